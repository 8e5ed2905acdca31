using System.IO.Compression;
using System.Security;
using System.Text;
using CdaCheck.Core.Indicators;
using CdaCheck.TestData.Indicators;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// Months 5–9, written by a reviewer who did not write the engine, each computed by hand from the guides'
/// definitions as docs/indicators.md states them (derivations in the comments): PSY venues chained or not across
/// midnight, the month boundary and a one-day gap; HAD of exactly 7 and 8 days, minors; séances at exactly 3 and 4
/// months, at month ends, in two legal entities; a real-looking workbook (sheets in another order, a decoy sheet,
/// headers in other case/accents/spaces, rich-text and inline strings, formula results, booleans, numeric IPPs, date
/// serials and text dates, trailing empty rows); unusable inputs read in French; SUN-ES report indicators over ACE,
/// MSSanté correspondents équipés and attachments without INS.
/// </summary>
public sealed partial class HandMadeMonthsTests
{
    private const string Cro = "34874-8", Crc = "11488-4", Img = "18748-4", Bio = "11502-2";

    // ------------------------------------------------------------------ month 5: edges of the séjour definitions

    // June 2025 (HOP'EN 2), CSV. By hand, from the definitions in docs/indicators.md (a séjour ends in the month):
    //  PSY (venues chained when the next entry is at most 1 day after the previous exit; closed when the last venue is discharged)
    //   R1 20/05–31/05 (not "sortant": transfer) + 01/06–10/06: entry 01/06 = 31/05 + 1 → one séjour across the month boundary, ends 10/06 → 1
    //   R2 28/05–02/06 one venue across the boundary → 1
    //   R3 25/06–05/07 ends in July → 0
    //   R4 10/06–15/06 + 16/06–03/07: chained, the séjour ends 03/07 → 0 (the first venue alone is not a séjour)
    //   R5 02/06–02/06, 02/06–02/06 (two venues the same day) + 03/06–03/06 → one séjour → 1
    //   R6 01/06–05/06 then 07/06–12/06: entry 07/06 > 05/06 + 1 → two séjours → 2
    //   R7 04/06 08:00–05/06 23:30 then 06/06 00:15–09/06 (across midnight, next day) → one séjour → 1
    //   R8 entered 20/06, not discharged → 0                                                      PSY: 6
    //  HAD (adults, exit − entry ≥ 8 days, the PMSI length of stay)
    //   H1 01/06–09/06 = 8 → 1; H2 minor 19 days → 0; H3 02/06–09/06 = 7 → 0; H4 25/05–02/06 = 8 → 1;
    //   H5 25/06–10/07 ends in July → 0; H6 minor written "O" → 0                                 HAD: 2
    //  Séances (≥ 3 in less than 3 months for radio/chimio, in a 4-month period in one legal entity for dialysis)
    //   T1 radio 15/03, 20/04, 14/06: 14/06 < 15/06 → 1 séjour ending 14/06 → 1
    //   T2 radio 15/03, 20/04, 15/06: 15/06 is exactly 3 months after 15/03 (not less) → 0
    //   T3 radio 31/03, 15/05, 30/06: 31/03 + 3 months = 30/06 (no 31 June) → not less → 0
    //   T4 chimio 02/06, 09/06, 16/06 → 1                                                         series: 2
    //   D1 dialyse 05/03, 10/04, 02/06 in EJ1 + 03/06, 10/06 in EJ2: EJ1 has 3 in 4 months → 1; EJ2 2 → 0
    //   D2 dialyse 01/06 EJ1, 08/06 EJ2, 15/06 EJ1: no entity has 3 → 0
    //   D4 dialyse 10/02, 15/03, 10/06: 10/06 is exactly 4 months after 10/02 → 0                dialysis: 1
    //  MCO/SMR: M1 02/06–05/06 surgery → 1; M2 SMR 01/05–20/06 → 1; M3 29/06–30/06 23:59 surgery "1" → 1;
    //   M4 urgences seules → 0; M5 28/06–01/07 → 0                                                MCO/SMR: 3
    //  (R5, H3 and M2 spell their activity out: "Psychiatrie infanto-juvénile", "Hospitalisation à domicile", "Soins médicaux
    //  et de réadaptation"; read as MCO, R5 would give 3 séjours and H3 one.)
    //  Séjours clôturés: 6 + 2 + 2 + 1 + 3 = 14 → 14 × 0.93 = 13.02; patients: 13 (R6 has two séjours).
    //  LDL (conformant, SUCCES): R6 on R6b ✓, R1 on its first venue R1a ✓ (the chain is the séjour), R4 on R4a ✗ (séjour
    //  ends in July), T1 on the séance T1c ✓, D2 on D2c ✗ (no séjour), H1 ✓, H3 ✗ → 4 / 13.02 = 30.72 → 30.7 %.
    //  P1.03: surgery séjours M1, M3 → 1.86; CRO for M1 → 1 / 1.86 = 53.76 → 53.8 %.
    [Fact]
    public void Month_5_psychiatry_chains_HAD_day_counts_series_at_exactly_3_and_4_months_and_dialysis_in_two_legal_entities()
    {
        const string header = "IPP Patient;N° de venue;UF;Date Entrée;Date Sortie;Hospitalisé sortant ?;Au moins un acte chirurgical ?;Consultation sur le mois (avec ACE);Activité;FINESS juridique;Mineur;Passage aux urgences seul";
        var venues = new List<string> { header };
        void V(string ipp, string no, string act, string entry, string exit, string sortant = "oui", string chir = "non", string ej = "EJ1", string minor = "non", string urg = "non") =>
            venues.Add($"{ipp};{no};U1;{entry};{exit};{sortant};{chir};non;{act};{ej};{minor};{urg}");
        V("R1", "R1a", "Psychiatrie", "20/05/2025", "31/05/2025", sortant: "non"); V("R1", "R1b", "Psychiatrie", "01/06/2025", "10/06/2025");
        V("R2", "R2a", "PSY", "28/05/2025", "02/06/2025");
        V("R3", "R3a", "PSY", "25/06/2025", "05/07/2025");
        V("R4", "R4a", "PSY", "10/06/2025", "15/06/2025"); V("R4", "R4b", "PSY", "16/06/2025", "03/07/2025");
        V("R5", "R5b", "Psychiatrie infanto-juvénile", "02/06/2025", "02/06/2025"); V("R5", "R5a", "Psychiatrie infanto-juvénile", "02/06/2025", "02/06/2025");
        V("R5", "R5c", "Psychiatrie infanto-juvénile", "03/06/2025", "03/06/2025");
        V("R6", "R6a", "PSY", "01/06/2025", "05/06/2025"); V("R6", "R6b", "PSY", "07/06/2025", "12/06/2025");
        V("R7", "R7a", "PSY", "04/06/2025 08:00", "05/06/2025 23:30"); V("R7", "R7b", "PSY", "06/06/2025 00:15", "09/06/2025 10:00");
        V("R8", "R8a", "PSY", "20/06/2025", "", sortant: "non");
        V("H1", "H1a", "HAD", "01/06/2025", "09/06/2025"); V("H2", "H2a", "HAD", "01/06/2025", "20/06/2025", minor: "oui");
        V("H3", "H3a", "Hospitalisation à domicile", "02/06/2025", "09/06/2025"); V("H4", "H4a", "HAD", "25/05/2025", "02/06/2025");
        V("H5", "H5a", "HAD", "25/06/2025", "10/07/2025"); V("H6", "H6a", "HAD", "01/06/2025", "30/06/2025", minor: "O");
        foreach (var (ipp, act, dates) in new[]
        {
            ("T1", "Radiothérapie", new[] { "15/03/2025", "20/04/2025", "14/06/2025" }), ("T2", "Radiothérapie", ["15/03/2025", "20/04/2025", "15/06/2025"]),
            ("T3", "RADIOTHERAPIE", ["31/03/2025", "15/05/2025", "30/06/2025"]), ("T4", "Chimiothérapie", ["02/06/2025", "09/06/2025", "16/06/2025"]),
        })
            for (int i = 0; i < dates.Length; i++) V(ipp, ipp + (char)('a' + i), act, dates[i], dates[i]);
        V("D1", "D1a", "Dialyse", "05/03/2025", "05/03/2025"); V("D1", "D1b", "Dialyse", "10/04/2025", "10/04/2025"); V("D1", "D1c", "Dialyse", "02/06/2025", "02/06/2025");
        V("D1", "D1d", "Dialyse", "03/06/2025", "03/06/2025", ej: "EJ2"); V("D1", "D1e", "Dialyse", "10/06/2025", "10/06/2025", ej: "EJ2");
        V("D2", "D2a", "Dialyse", "01/06/2025", "01/06/2025"); V("D2", "D2b", "Dialyse", "08/06/2025", "08/06/2025", ej: "EJ2"); V("D2", "D2c", "Dialyse", "15/06/2025", "15/06/2025");
        V("D4", "D4a", "Dialyse", "10/02/2025", "10/02/2025"); V("D4", "D4b", "Dialyse", "15/03/2025", "15/03/2025"); V("D4", "D4c", "Dialyse", "10/06/2025", "10/06/2025");
        V("M1", "M1a", "MCO", "02/06/2025", "05/06/2025", chir: "oui"); V("M2", "M2a", "Soins médicaux et de réadaptation", "01/05/2025", "20/06/2025");
        V("M3", "M3a", "MCO", "29/06/2025 14:00", "30/06/2025 23:59", chir: "1"); V("M4", "M4a", "MCO", "10/06/2025", "10/06/2025", urg: "oui");
        V("M5", "M5a", "MCO", "28/06/2025", "01/07/2025");
        venues.Add(";;;;;;;;;;;"); // a trailing empty record, as spreadsheets export them
        var docs = new List<string> { DocumentHeader };
        var traces = new List<string> { TraceHeader };
        void Sent(string id, string ipp, string venue, string code, string day)
        {
            var date = DateTime.ParseExact(day, "dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
            docs.Add($"{ipp};{venue};{day};{id};{code};{Cda(id, ipp, code, date)};non;non");
            traces.Add($"{id};{day};{code};{ipp};SUCCES;{venue}");
        }
        Sent("L-R6", "R6", "R6b", Ldl, "12/06/2025"); Sent("L-R1", "R1", "R1a", Ldl, "31/05/2025"); Sent("L-R4", "R4", "R4a", Ldl, "15/06/2025");
        Sent("L-T1", "T1", "T1c", Ldl, "14/06/2025"); Sent("L-D2", "D2", "D2c", Ldl, "15/06/2025"); Sent("L-H1", "H1", "H1a", Ldl, "09/06/2025");
        Sent("L-H3", "H3", "H3a", Ldl, "09/06/2025"); Sent("CRO-M1", "M1", "M1a", Cro, "04/06/2025");
        var v = Write("m5-venues.csv", venues);
        var d = Write("m5-documents.csv", docs);
        var t = Write("m5-traces.csv", traces);

        var run = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2025-06", "--venues", v, "--documents", d, "--traces", t, "--format", "json");
        run.ExitCode.ShouldBe(0, run.Stderr);
        var ldl = Indicator(run.Stdout, "P1.02-LDL");
        (ldl.GetProperty("denominatorRaw").GetInt32(), ldl.GetProperty("denominator").GetDecimal(), ldl.GetProperty("numerator").GetInt32(), ldl.GetProperty("rate").GetDecimal())
            .ShouldBe((14, 13.02m, 4, 30.7m), run.Stdout);
        var cro = Indicator(run.Stdout, "P1.03");
        (cro.GetProperty("denominatorRaw").GetInt32(), cro.GetProperty("numerator").GetInt32(), cro.GetProperty("rate").GetDecimal()).ShouldBe((2, 1, 53.8m));
        Indicator(run.Stdout, "P1.07").GetProperty("denominatorRaw").GetInt32().ShouldBe(13);
        // the activities as a DIM spells them out ("Psychiatrie infanto-juvénile", "Hospitalisation à domicile") are known
        System.Text.Json.JsonDocument.Parse(run.Stdout).RootElement.GetProperty("inputErrors").EnumerateArray().ShouldBeEmpty(run.Stdout);

        var inputs = InputReader.Read(new InputPaths(v, d, t, null, null), new InputOptions { Aliases = ColumnAliases.Load(Shared.Data), Data = Shared.Data });
        var report = new IndicatorEngine(new ConformanceGate(Shared.Data, null)).Compute(new IndicatorRequest("hopen2", 2025, 6), inputs, ProgramDefinition.Load(Shared.Data, "hopen2"));
        report["P1.02-LDL"]!.Units.Select(u => u.UnitId).Order(StringComparer.Ordinal).ShouldBe(
            ["D1a+D1b+D1c", "H1a", "H4a", "M1a", "M2a", "M3a", "R1a+R1b", "R2a", "R5a+R5b+R5c", "R6a", "R6b", "R7a+R7b", "T1a+T1b+T1c", "T4a+T4b+T4c"]);
        report["P1.02-LDL"]!.Units.Where(u => u.Counted).Select(u => u.UnitId).Order(StringComparer.Ordinal).ShouldBe(["H1a", "R1a+R1b", "R6b", "T1a+T1b+T1c"]);

        // SUN-ES counts the same séjours (no DMP information: every séjour)
        var sun = CliRunner.Invoke("indicators", "--program", "sun-es", "--month", "2025-06", "--allow-any-month", "--venues", v, "--documents", d, "--traces", t, "--format", "json");
        sun.ExitCode.ShouldBe(0, sun.Stderr);
        var ds11 = Indicator(sun.Stdout, "DS1.1");
        (ds11.GetProperty("denominatorRaw").GetInt32(), ds11.GetProperty("numerator").GetInt32(), ds11.GetProperty("rate").GetDecimal()).ShouldBe((14, 4, 28.6m));

        // the same three files as Excel's "CSV (séparateur : point-virgule)" writes them on a French Windows
        // (Windows-1252: "Date Entrée" with é as the byte E9): read as such, with a notice, same figures
        var cp1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;
        string Ansi(string path)
        {
            var ansi = Path.ChangeExtension(path, ".ansi.csv");
            File.WriteAllBytes(ansi, cp1252.GetBytes(File.ReadAllText(path)));
            return ansi;
        }
        var excel = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2025-06", "--venues", Ansi(v), "--documents", Ansi(d), "--traces", Ansi(t), "--format", "json");
        excel.ExitCode.ShouldBe(0, excel.Stderr);
        var ldl1252 = Indicator(excel.Stdout, "P1.02-LDL");
        (ldl1252.GetProperty("denominatorRaw").GetInt32(), ldl1252.GetProperty("numerator").GetInt32(), ldl1252.GetProperty("rate").GetDecimal()).ShouldBe((14, 4, 30.7m));
        System.Text.Json.JsonDocument.Parse(excel.Stdout).RootElement.GetProperty("inputErrors").EnumerateArray()
            .Count(e => e.GetProperty("message").GetString()!.Contains("Windows-1252")).ShouldBe(3);
        // and as a DPI's tab-separated export (no ';' in its first lines): read with tabs, said so, same figures
        string Tabs(string path)
        {
            var tsv = Path.ChangeExtension(path, ".txt");
            File.WriteAllText(tsv, File.ReadAllText(path).Replace(';', '\t'), new UTF8Encoding(false));
            return tsv;
        }
        var tsvRun = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2025-06", "--venues", Tabs(v), "--documents", Tabs(d), "--traces", Tabs(t), "--format", "json");
        tsvRun.ExitCode.ShouldBe(0, tsvRun.Stderr);
        (Indicator(tsvRun.Stdout, "P1.02-LDL").GetProperty("numerator").GetInt32(), Indicator(tsvRun.Stdout, "P1.02-LDL").GetProperty("denominatorRaw").GetInt32()).ShouldBe((4, 14));
        System.Text.Json.JsonDocument.Parse(tsvRun.Stdout).RootElement.GetProperty("inputErrors").GetArrayLength().ShouldBe(3);
        CsvReader.Separator("Export du 01/07/2025, venues\nIPP;UF\n"u8).ShouldBe(';');
        CsvReader.Separator("IPP,UF,Date\n"u8).ShouldBe(',');
        CsvReader.Separator("IPP\n"u8).ShouldBe(';');
        CsvReader.LooksLikeWindows1252(cp1252.GetBytes("Date Entrée;é")).ShouldBeTrue();
        CsvReader.LooksLikeWindows1252(Encoding.UTF8.GetBytes("Date Entrée;").Concat(new byte[] { 0xC3, 0x28 }).ToArray()).ShouldBeFalse();
        CsvReader.LooksLikeWindows1252("IPP;UF"u8).ShouldBeFalse();
    }

    // ------------------------------------------------------------------ month 6: a real-looking workbook

    /// <summary>
    /// One cell of <see cref="WriteRawXlsx"/>: "s:" shared string, "r:" rich-text shared string (runs split by '|'),
    /// "i:" inline string, "f:" formula with a string result, "n:" number, "d:" date serial (custom format dd/mm/yyyy),
    /// "t:" date-time serial (built-in format 22), "D:" ISO 8601 date cell (t="d"), "b:" boolean, "e:" styled empty cell, "" no cell.
    /// </summary>
    private static string Serial(string ddMMyyyy, double fraction = 0) =>
        (DateOnly.ParseExact(ddMMyyyy, "dd/MM/yyyy").DayNumber - new DateOnly(1899, 12, 30).DayNumber + fraction).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An .xlsx written part by part (not by the OpenXml SDK nor CdaCheck's writer): the cells' forms are chosen one by one.</summary>
    private static void WriteRawXlsx(string path, params (string Sheet, string[][] Rows)[] sheets) => WriteRawXlsx(path, false, sheets);

    /// <summary>The same; <paramref name="strict"/>: the "Strict Open XML" namespaces (ISO/IEC 29500 strict).</summary>
    private static void WriteRawXlsx(string path, bool strict, params (string Sheet, string[][] Rows)[] sheets)
    {
        string ns = strict ? "http://purl.oclc.org/ooxml/spreadsheetml/main" : "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        string relNs = strict ? "http://purl.oclc.org/ooxml/officeDocument/relationships" : "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        var shared = new List<string>();
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        void Entry(string name, string text)
        {
            using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            w.Write(text);
        }
        static string X(string s) => SecurityElement.Escape(s)!;
        var types = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
        var book = new StringBuilder($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{ns}\" xmlns:r=\"{relNs}\"><sheets>");
        var rels = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for (int s = 0; s < sheets.Length; s++)
        {
            // the parts are numbered backwards so the sheet order is not the part order
            var part = $"worksheets/feuille{sheets.Length - s}.xml";
            book.Append($"<sheet name=\"{X(sheets[s].Sheet)}\" sheetId=\"{s + 1}\" r:id=\"rId{s + 10}\"/>");
            rels.Append($"<Relationship Id=\"rId{s + 10}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"{part}\"/>");
            types.Append($"<Override PartName=\"/xl/{part}\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
            var data = new StringBuilder($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{ns}\"><sheetData>");
            for (int r = 0; r < sheets[s].Rows.Length; r++)
            {
                data.Append($"<row r=\"{r + 1}\">");
                var cells = sheets[s].Rows[r];
                for (int c = 0; c < cells.Length; c++)
                {
                    var cell = cells[c];
                    if (cell.Length == 0) continue;
                    var at = $"r=\"{XlsxWriter.ColumnName(c)}{r + 1}\"";
                    var (kind, value) = (cell[..2], cell[2..]);
                    data.Append(kind switch
                    {
                        "s:" or "r:" => $"<c {at} t=\"s\"><v>{shared.Count}</v></c>",
                        "i:" => $"<c {at} t=\"inlineStr\"><is><t xml:space=\"preserve\">{X(value)}</t></is></c>",
                        "f:" => $"<c {at} t=\"str\"><f>TRIM(\"{X(value)}\")</f><v>{X(value)}</v></c>",
                        "n:" => $"<c {at}><v>{value}</v></c>",
                        "d:" => $"<c {at} s=\"1\"><v>{Serial(value)}</v></c>",
                        "t:" => $"<c {at} s=\"2\"><v>{Serial(value[..10], TimeSpan.Parse(value[11..], System.Globalization.CultureInfo.InvariantCulture).TotalDays)}</v></c>",
                        "b:" => $"<c {at} t=\"b\"><v>{value}</v></c>",
                        "D:" => $"<c {at} t=\"d\"><v>{value}</v></c>",
                        "e:" => $"<c {at} s=\"1\"/>",
                        _ => throw new ArgumentException(cell),
                    });
                    if (kind == "s:") shared.Add($"<si><t xml:space=\"preserve\">{X(value)}</t></si>");
                    if (kind == "r:") shared.Add("<si>" + string.Concat(value.Split('|').Select(run => $"<r><rPr><b/><sz val=\"11\"/></rPr><t xml:space=\"preserve\">{X(run)}</t></r>")) + "</si>");
                }
                data.Append("</row>");
            }
            Entry("xl/" + part, data.Append("</sheetData></worksheet>").ToString());
        }
        rels.Append("<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
        Entry("[Content_Types].xml", types.Append("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
            + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>").ToString());
        Entry("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        Entry("xl/workbook.xml", book.Append("</sheets></workbook>").ToString());
        Entry("xl/_rels/workbook.xml.rels", rels.ToString());
        Entry("xl/sharedStrings.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{ns}\" count=\"{shared.Count}\" uniqueCount=\"{shared.Count}\">{string.Concat(shared)}</sst>");
        Entry("xl/styles.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"{ns}\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
            + "<fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/></cellStyleXfs>"
            + "<cellXfs count=\"3\"><xf numFmtId=\"0\" xfId=\"0\"/><xf numFmtId=\"164\" xfId=\"0\" applyNumberFormat=\"1\"/><xf numFmtId=\"22\" xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>");
    }

    // July 2025 (HOP'EN 2), one workbook as a DIM would hand it over: a "Lisez-moi" sheet first, then "Traces DMP",
    // "Documents produits", and the venues on a sheet named "Extraction PMSI juillet" (no known name: found by its
    // header). Headers in other case/accents/spacing ("  date  ENTREE ", "HOSPITALISÉ SORTANT ?", "N°de venue"),
    // rich-text ("IPP " + "Patient") and inline ("DATE SORTIE") strings, columns reordered, unknown columns
    // ("Commentaire", "Service producteur"), text dates and date serials (custom dd/mm/yyyy, and a date-time),
    // Oui/Non/O/N/n and TRUE/FALSE cells, a numeric IPP and venue number, a formula's string result, and empty
    // trailing rows (styled empty cells, blank strings), and a title with an empty row above the venues' header. By hand:
    //  B1 01/07–04/07 (exit an ISO date cell) sortant "Oui", chir "O" → séjour, surgery
    //  B2 03/07–08/07 (text dates) sortant "O"      → séjour
    //  B3 10/07–12/07 sortant "N"                    → not a séjour
    //  B4 15/07 sortant "Non", ACE "Oui"             → not a séjour; the only ACE consultation of July
    //  B5 20/07 10:30 (date-time serial)–25/07, sortant TRUE → séjour
    //  B6 (IPP 700076, venue 900006 as numbers) 05/07–06/07 "Oui", chir "Oui" → séjour, surgery
    //  P1.02-LDL: 4 séjours → 3.72; conformant LDL for B1, B2, B6 → 3 / 3.72 = 80.65 → 80.6 %
    //  P1.03: B1, B6 → 1.86; CRO for B1 → 1 / 1.86 = 53.76 → 53.8 %
    //  P1.04: B4 → 0.93; CRC → 1 / 0.93 = 107.53 → 107.5 % (the weighting can exceed 100 %: not capped)
    //  P1.07: 4 patients, no message → 0 %.
    //  --sun-es-reached D2,D4 (biology and MSSanté reached, discharge documents not): LDL target 55 (reached),
    //  CRO 55 (53.8: not reached), P1.04 50 (one target: reached), P1.05 65, P1.06 45, P1.07 70, P1.01 80.
    // The same workbook whose exit column is headed "Sortie le" stops the run (exit 2) naming the column, in French;
    // a mapping file "venues.Date sortie=Sortie le" gives the same figures.
    [Fact]
    public void Month_6_a_workbook_as_handed_over_sheets_reordered_headers_respelt_serials_and_text_dates_per_domain_targets()
    {
        string[][] Venues(string exitHeader) =>
        [
            ["s:Extraction PMSI – séjours de juillet 2025 (DIM)"], [],
            ["s:  date  ENTREE ", "r:IPP |Patient", "s:N°de venue", "s:Commentaire", "s:UF", "i:" + exitHeader, "s:HOSPITALISÉ SORTANT ?", "s:au moins un acte CHIRURGICAL ?", "s:Consultation sur le mois (avec ACE)", "s:activité"],
            ["d:01/07/2025", "s:P71", "s:B1", "s:RAS", "s:CHIR", "D:2025-07-04T00:00:00", "s:Oui", "s:O", "s:N", "s:MCO"],
            ["s:03/07/2025", "s:P72", "s:B2", "", "s:MED", "s:08/07/2025", "s:O", "s:Non", "s:n", "s:Médecine"],
            ["d:10/07/2025", "s:P73", "s:B3", "", "s:MED", "d:12/07/2025", "s:N", "s:N", "s:N", "s:MCO"],
            ["d:15/07/2025", "s:P74", "s:B4", "s:consultation", "s:CS", "d:15/07/2025", "s:Non", "s:N", "s:Oui", "s:MCO"],
            ["t:20/07/2025 10:30", "s:P75", "s:B5", "", "s:MED", "d:25/07/2025", "b:1", "b:0", "b:0", "s:MCO"],
            ["d:05/07/2025", "n:700076", "n:900006", "", "s:MED", "d:06/07/2025", "s:Oui", "s:Oui", "s:Non", "s:Chirurgie"],
            ["e:", "e:", "e:", "e:"],
            ["s:", "s:  ", "", "s: "],
        ];
        string C(string id, string ipp, string code, string day) =>
            "s:" + Cda(id, ipp, code, DateTime.ParseExact(day, "dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        string[][] documents =
        [
            ["s:Type de document (code LOINC)", "s:Identifiant du document", "s:IPP Patient", "s:N° de venue", "s:Date production du document", "s:Service producteur", "s:Fichier", "s:Non transmission", "s:Document historique"],
            ["s:" + Ldl, "s:L71", "s:P71", "s:B1", "d:04/07/2025", "s:CHIR", C("L71", "P71", Ldl, "04/07/2025"), "s:N", "s:Non"],
            ["f:" + Ldl, "s:L72", "s:P72", "s:B2", "s:08/07/2025", "s:MED", C("L72", "P72", Ldl, "08/07/2025"), "s:Non", "s:N"],
            ["s:" + Ldl, "s:L76", "n:700076", "n:900006", "d:06/07/2025", "", C("L76", "700076", Ldl, "06/07/2025"), "s:N", "s:N"],
            ["s:" + Cro, "s:CRO71", "s:P71", "s:B1", "d:02/07/2025", "s:BLOC", C("CRO71", "P71", Cro, "02/07/2025"), "s:N", "s:N"],
            ["s:" + Crc, "s:CRC74", "s:P74", "s:B4", "d:15/07/2025", "s:CS", C("CRC74", "P74", Crc, "15/07/2025"), "s:N", "s:N"],
            ["e:", "e:"],
        ];
        string[][] traces =
        [
            ["s:Identifiant du document", "s:Date d'émission", "s:Type de document (code LOINC)", "s:IPP Patient", "s:Statut DMP", "s:N° de venue"],
            ["s:L71", "d:05/07/2025", "s:" + Ldl, "s:P71", "s:SUCCES", "s:B1"],
            ["s:L72", "i:09/07/2025", "f:" + Ldl, "s:P72", "s:SUCCES", "s:B2"],
            ["s:L76", "d:07/07/2025", "s:" + Ldl, "n:700076", "s:SUCCES", "n:900006"],
            ["s:CRO71", "d:03/07/2025", "s:" + Cro, "s:P71", "s:SUCCES", "s:B1"],
            ["s:CRC74", "d:16/07/2025", "s:" + Crc, "s:P74", "s:SUCCES", "s:B4"],
        ];
        string[][] readme = [["s:Comptage HOP'EN 2 – juillet 2025"], [], ["s:Remarque", "s:extraction du DIM, à ne pas modifier"]];
        var book = P("comptage-juillet.xlsx");
        WriteRawXlsx(book, ("Lisez-moi", readme), ("Traces DMP", traces), ("Documents produits", documents), ("Extraction PMSI juillet", Venues("DATE SORTIE")));
        string[] Args(string workbook, params string[] more) =>
            ["indicators", "--program", "hopen2", "--month", "2025-07", "--workbook", workbook, "--documents-root", _dir, "--sun-es-reached", "D2,D4", "--format", "json", .. more];

        var run = CliRunner.Invoke(Args(book));
        run.ExitCode.ShouldBe(0, run.Stderr);
        var expected = new (string Id, int Num, decimal Den, decimal? Rate, decimal Target, bool Reached)[]
        {
            ("P1.02-LDL", 3, 3.72m, 80.6m, 55m, true), ("P1.03", 1, 1.86m, 53.8m, 55m, false), ("P1.04", 1, 0.93m, 107.5m, 50m, true), ("P1.07", 0, 4m, 0.0m, 70m, false),
        };
        foreach (var e in expected)
        {
            var i = Indicator(run.Stdout, e.Id);
            (i.GetProperty("numerator").GetInt32(), i.GetProperty("denominator").GetDecimal(), i.GetProperty("rate").GetDecimal(), i.GetProperty("target").GetDecimal(), i.GetProperty("reached").GetBoolean())
                .ShouldBe((e.Num, e.Den, e.Rate!.Value, e.Target, e.Reached), e.Id + "\n" + run.Stdout);
        }
        (Indicator(run.Stdout, "P1.05").GetProperty("target").GetDecimal(), Indicator(run.Stdout, "P1.06").GetProperty("target").GetDecimal(), Indicator(run.Stdout, "P1.01").GetProperty("target").GetDecimal())
            .ShouldBe((65m, 45m, 80m));
        var root = System.Text.Json.JsonDocument.Parse(run.Stdout).RootElement;
        root.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("file").GetString()).ShouldContain("comptage-juillet.xlsx[Extraction PMSI juillet]");
        // the title above the venues' header is passed over, and said so (the header is on row 3)
        root.GetProperty("inputErrors").EnumerateArray().Select(e => (e.GetProperty("file").GetString(), e.GetProperty("line").GetInt32()))
            .ShouldBe([("comptage-juillet.xlsx[Extraction PMSI juillet]", 3)], run.Stdout);

        // "Sortie le": the run stops, in French, naming the file and the column; the mapping file maps it
        var other = P("comptage-juillet-sortie.xlsx");
        WriteRawXlsx(other, ("Lisez-moi", readme), ("Traces DMP", traces), ("Documents produits", documents), ("Séjours", Venues("Sortie le")));
        var stopped = CliRunner.InvokeWith(CliRunner.French, Args(other));
        stopped.ExitCode.ShouldBe(2);
        stopped.Stdout.ShouldBeEmpty();
        stopped.Stderr.ShouldContain("comptage-juillet-sortie.xlsx[Séjours]:3:"); // the header row, below the title
        stopped.Stderr.ShouldContain("colonne(s) manquante(s) : Date sortie (");
        var mapping = Write("correspondance.txt", ["# notre extraction PMSI", "venues.Date sortie = Sortie le"]);
        var mapped = CliRunner.Invoke(Args(other, "--columns", mapping));
        mapped.ExitCode.ShouldBe(0, mapped.Stderr);
        (Indicator(mapped.Stdout, "P1.02-LDL").GetProperty("numerator").GetInt32(), Indicator(mapped.Stdout, "P1.02-LDL").GetProperty("denominator").GetDecimal()).ShouldBe((3, 3.72m));

        // the same workbook saved as "Strict Open XML": same figures
        var strict = P("comptage-juillet-strict.xlsx");
        WriteRawXlsx(strict, true, ("Lisez-moi", readme), ("Traces DMP", traces), ("Documents produits", documents), ("Extraction PMSI juillet", Venues("DATE SORTIE")));
        var strictRun = CliRunner.Invoke(Args(strict));
        strictRun.ExitCode.ShouldBe(0, strictRun.Stderr);
        foreach (var e in expected)
            Indicator(strictRun.Stdout, e.Id).GetProperty("numerator").GetInt32().ShouldBe(e.Num, e.Id);
    }

    // ------------------------------------------------------------------ month 7: unusable inputs, read in French

    // July 2025. A CSV with two title lines above its header is read (header found on line 3). Then what a French
    // user sees (LANG=fr_FR): each of these stops the run with exit 2, nothing on stdout, the
    // message naming the file, its line and the column, in French:
    //  (a) documents without "Type de document (code LOINC)" → missing column "Type de document";
    //  (b) venues with the header only and two empty ";;;" records → no row at all;
    //  (c) a workbook whose "Séjours" sheet has its header and styled empty rows only → no row at all;
    //  (d) traces whose every date is ISO (2025-07-05) → no usable row, the first reason "pas une date jj/mm/aaaa";
    //  (e) a mapping line whose left side is not a column of the extractions.
    [Fact]
    public void Month_7_unusable_inputs_stop_the_run_with_French_messages_naming_file_line_and_column()
    {
        var v = Write("m7-venues.csv", [VenueHeader, "P91;S91;MED;01/07/2025;04/07/2025;oui;non;non;MCO;EJ1;non"]);
        var d = Write("m7-documents.csv", [DocumentHeader, "P91;S91;04/07/2025;L91;11490-0;;non;non"]);
        var t = Write("m7-traces.csv", [TraceHeader, "L91;05/07/2025;11490-0;P91;SUCCES;S91"]);
        CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2025-07", "--venues", v, "--documents", d, "--traces", t).ExitCode.ShouldBe(0);
        // a DPI export with two title lines above its header is usable (the header is found on line 3, and said so)
        var titled = Write("m7-venues-titre.csv", ["Export DPI — venues du 01/07/2025 au 31/07/2025;;;", "Établissement : CH de test", VenueHeader, "P91;S91;MED;01/07/2025;04/07/2025;oui;non;non;MCO;EJ1;non"]);
        var titledRun = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2025-07", "--venues", titled, "--documents", d, "--traces", t, "--format", "json");
        titledRun.ExitCode.ShouldBe(0, titledRun.Stderr);
        Indicator(titledRun.Stdout, "P1.02-LDL").GetProperty("denominatorRaw").GetInt32().ShouldBe(1);
        System.Text.Json.JsonDocument.Parse(titledRun.Stdout).RootElement.GetProperty("inputErrors").EnumerateArray()
            .Single().GetProperty("line").GetInt32().ShouldBe(3);
        CliRunner.Run Fr(string venues, string documents, string traces, params string[] more) => CliRunner.InvokeWith(CliRunner.French,
            ["indicators", "--program", "hopen2", "--month", "2025-07", "--venues", venues, "--documents", documents, "--traces", traces, .. more]);
        void Stopped(CliRunner.Run run, params string[] parts)
        {
            run.ExitCode.ShouldBe(2, run.Stderr);
            run.Stdout.ShouldBeEmpty();
            foreach (var p in parts) run.Stderr.ShouldContain(p, Case.Sensitive, run.Stderr);
        }

        var noType = Write("m7-documents-sans-type.csv", ["IPP Patient;N° de venue;Date production du document;Identifiant du document;Fichier;Non transmission;Document historique",
            "P91;S91;04/07/2025;L91;;non;non"]);
        Stopped(Fr(v, noType, t), "m7-documents-sans-type.csv:1", "colonne(s) manquante(s) : Type de document", "--columns");

        var headerOnly = Write("m7-venues-vides.csv", [VenueHeader, ";;;;;;;;;;", ";;;;;;;;;;"]);
        Stopped(Fr(headerOnly, d, t), "m7-venues-vides.csv", "aucune ligne");

        var book = P("m7-vide.xlsx");
        WriteRawXlsx(book, ("Séjours", [VenueHeader.Split(';').Select(h => "s:" + h).ToArray(), ["e:", "e:", "e:"], ["s: ", "s:"]]));
        Stopped(Fr(book, d, t), "m7-vide.xlsx[Séjours]", "aucune ligne");

        var iso = Write("m7-traces-iso.csv", [TraceHeader, "L91;2025-07-05;11490-0;P91;SUCCES;S91", "L91;2025-07-06;11490-0;P91;SUCCES;S91"]);
        Stopped(Fr(v, d, iso), "m7-traces-iso.csv", "aucune ligne exploitable (lignes lues : 2, aucune retenue) ; premier rejet :", "n'est pas une date jj/mm/aaaa : « 2025-07-05 »");

        var badMap = Write("m7-colonnes.txt", ["venues.Date de naissance=Naissance"]);
        Stopped(Fr(v, d, t, "--columns", badMap), "m7-colonnes.txt:1", "Date de naissance");
    }

    // ------------------------------------------------------------------ month 8: SUN-ES report indicators, ACE, MSSanté

    // November 2023, window F4 (S2-2023). Venues (no DMP column: every séjour counts):
    //  S1..S4 (P81..P84) MCO séjours closed in November; C1 (P85) an external consultation (ACE) of 15/11, not a
    //  séjour; C2 (P86) an outpatient venue of 16/11 that is neither a séjour nor an ACE; S0 P81's séjour of January
    //  2020 (within 5 years before 02/11/2023); E3 P83's séjour of October 2018 (more than 5 years before 10/11/2023);
    //  A2 P82's ACE consultation of March 2023 (a consultation is not a previous séjour).
    //  DS3.1 (imaging reports produced in the month on a séjour or an ACE, the report is the unit): I1 on S1, I2 on C1 →
    //   2 (I3 on C2 is out of scope); all three conformant and sent → 2/2 = 100.0 %.
    //  DS2.1: biology reports G1 on S2, G2 on C1, both N1 (SUN-ES wants N3 with its PDF: IND-005) → 0/2.
    //  DS1.4: séjours whose patient had a previous séjour within 5 years: S1 only (S0) → 1; H0, the LDL of S0 marked
    //   historique, sent on 20/11/2023 in a batch after S1's discharge → 1/1 = 100.0 %.
    //  DS4.1 (correspondents équipés MSSanté): S1 → dr.a (équipé, IHE XDM package with a conformant CDA) counts;
    //   S2 → dr.b (non équipé) is out; S3 → dr.c (équipé, a bare CDA attached: IND-010) does not count → 1/2 = 50.0 %.
    //  DS4.2 ("Nombre de séjours": 4): S1's message without attachment counts; S2's attachment has no INS (IND-007) does
    //   not; S4's conformant attachment counts → 2/4 = 50.0 %. Targets F4: DS3.1 63, DS1.4 50, DS4.1 and DS4.2 56.
    [Fact]
    public void Month_8_sun_es_reports_over_sejours_and_ACE_historical_documents_and_MSSante_correspondents()
    {
        var venues = new List<string> { VenueHeader };
        void V(string ipp, string no, string entry, string exit, string sortant, string ace) => venues.Add($"{ipp};{no};U1;{entry};{exit};{sortant};non;{ace};MCO;EJ1;non");
        V("P81", "S1", "02/11/2023", "06/11/2023", "oui", "non"); V("P82", "S2", "05/11/2023", "09/11/2023", "oui", "non");
        V("P83", "S3", "10/11/2023", "14/11/2023", "oui", "non"); V("P84", "S4", "20/11/2023", "24/11/2023", "oui", "non");
        V("P85", "C1", "15/11/2023", "15/11/2023", "non", "oui"); V("P86", "C2", "16/11/2023", "16/11/2023", "non", "non");
        V("P81", "S0", "10/01/2020", "15/01/2020", "oui", "non"); V("P83", "E3", "01/10/2018", "05/10/2018", "oui", "non");
        V("P82", "A2", "01/03/2023", "01/03/2023", "non", "oui");
        var docs = new List<string> { DocumentHeader };
        var traces = new List<string> { TraceHeader };
        void Sent(string id, string ipp, string venue, string code, DateTime produced, string sent, string historical = "non")
        {
            docs.Add($"{ipp};{venue};{produced:dd/MM/yyyy};{id};{code};{Cda(id, ipp, code, produced)};non;{historical}");
            traces.Add($"{id};{sent};{code};{ipp};SUCCES;{venue}");
        }
        var nov = (int day) => new DateTime(2023, 11, day, 10, 0, 0);
        Sent("I1", "P81", "S1", Img, nov(3), "03/11/2023"); Sent("I2", "P85", "C1", Img, nov(15), "15/11/2023"); Sent("I3", "P86", "C2", Img, nov(16), "16/11/2023");
        Sent("G1", "P82", "S2", Bio, nov(6), "06/11/2023"); Sent("G2", "P85", "C1", Bio, nov(15), "15/11/2023");
        Sent("H0", "P81", "S0", Ldl, new DateTime(2020, 1, 15, 10, 0, 0), "20/11/2023", historical: "oui");

        Directory.CreateDirectory(P("mss"));
        var a1 = CdaCheck.TestData.Indicators.IndicatorCda.Build(HospitalMonth.Spec("MA1", "P81", Ldl, nov(6)));
        File.WriteAllBytes(P("mss/S1-dr.a.zip"), XdmVariants.Valid(Shared.Data, Encoding.UTF8.GetBytes(a1)));
        File.WriteAllText(P("mss/S2-patient.xml"), IndicatorCda.Build(HospitalMonth.Spec("MP2", "P82", Ldl, nov(9)) with { InsOid = null }), new UTF8Encoding(false));
        string[] mss =
        [
            "Identifiant du message;Date d'envoi;IPP Patient;N° de venue;Adresse destinataire;Type de destinataire;Correspondant équipé MSSanté;Pièce jointe;Statut d'envoi",
            "M1;07/11/2023;P81;S1;dr.a@ch-test.mssante.fr;PS;oui;mss/S1-dr.a.zip;SUCCES",
            $"M2;10/11/2023;P82;S2;dr.b@cabinet.fr;PS;non;{Cda("MB2", "P82", Ldl, nov(9))};SUCCES",
            $"M3;15/11/2023;P83;S3;dr.c@ch-test.mssante.fr;PS;oui;{Cda("MC3", "P83", Ldl, nov(14))};SUCCES",
            "MP1;07/11/2023;P81;S1;p81@patient.mssante.fr;patient;non;;SUCCES",
            "MP2;10/11/2023;P82;S2;p82@patient.mssante.fr;patient;non;mss/S2-patient.xml;SUCCES",
            $"MP4;25/11/2023;P84;S4;p84@patient.mssante.fr;patient;non;{Cda("MP4", "P84", Ldl, nov(24))};SUCCES",
        ];
        var run = CliRunner.Invoke("indicators", "--program", "sun-es", "--month", "2023-11", "--window", "F4",
            "--venues", Write("m8-venues.csv", venues), "--documents", Write("m8-documents.csv", docs), "--traces", Write("m8-traces.csv", traces),
            "--mss", Write("m8-mss.csv", mss), "--format", "json");
        run.ExitCode.ShouldBe(0, run.Stderr);
        var expected = new (string Id, int Num, decimal Den, decimal Rate, decimal Target)[]
        {
            ("DS3.1", 2, 2m, 100.0m, 63m), ("DS2.1", 0, 2m, 0.0m, 63m), ("DS1.4", 1, 1m, 100.0m, 50m), ("DS4.1", 1, 2m, 50.0m, 56m), ("DS4.2", 2, 4m, 50.0m, 56m),
        };
        foreach (var e in expected)
        {
            var i = Indicator(run.Stdout, e.Id);
            (i.GetProperty("numerator").GetInt32(), i.GetProperty("denominator").GetDecimal(), i.GetProperty("rate").GetDecimal(), i.GetProperty("target").GetDecimal())
                .ShouldBe((e.Num, e.Den, e.Rate, e.Target), e.Id + "\n" + i);
        }
        string[] Reasons(string id, string doc) => Indicator(run.Stdout, id).GetProperty("rejected").EnumerateArray()
            .Single(r => r.GetProperty("document").GetString() == doc).GetProperty("reasons").EnumerateArray().Select(x => x.GetString()!).ToArray();
        Reasons("DS2.1", "G2").ShouldContain("IND-005");
        Reasons("DS4.1", "M3").ShouldContain("IND-010");
        Reasons("DS4.2", "MP2").ShouldContain("IND-007");
    }

    // ------------------------------------------------------------------ month 9: P1.01 identities, P1.07/P1.08 messages

    // March 2025 (HOP'EN 2), --sun-es-reached D4. Venues: I1..I9 MCO 03/03–07/03 (séjours); I10 01/02–05/02 (not in
    // the active file of March); I11 25/02–02/03 (overlaps March: active file, and a séjour ending 02/03).
    //  P1.01 ("patients disposant d'une INS": statut récupérée or qualifiée, not douteuse nor fictive; numerator the
    //  qualifiées) from the identities file: I1 "Identité qualifiée" ✓✓, I2 "Qualifiée" ✓✓, I3 "Identité récupérée"
    //  den only, I4 "Identité provisoire" out, I5 "Identité validée" out, I6 "non qualifiée" out (not a status),
    //  I7 qualifiée but douteuse out, I8 récupérée but fictive out, I9 "IQ" ✓✓, I10 qualifiée but not in the
    //  active file, I11 "QUALIFIEE" ✓✓ → 4 / 5 = 80.0 % ≥ 80 (one target): reached.
    //  P1.07 (patients with a séjour clôturé in March: I1..I9, I11 = 10): I1 PS send with a conformant document ✓;
    //  I2's send of 01/03 is before its séjour's entry (03/03) ✗; I3's send ECHEC ✗; I4's attachment has a test INS ✗
    //  → 1/10 = 10.0 %, target 70 (D4 reached).
    //  P1.08: I5 message to the patient without attachment ✓, I6 status "lu" ✓, I7 "en attente" ✗ → 2/10 = 20.0 %.
    [Fact]
    public void Month_9_P1_01_exact_identity_statuses_and_P1_07_P1_08_messages_after_the_entry()
    {
        var venues = new List<string> { VenueHeader };
        for (int i = 1; i <= 9; i++) venues.Add($"I{i};SI{i};MED;03/03/2025;07/03/2025;oui;non;non;MCO;EJ1;non");
        venues.Add("I10;SI10;MED;01/02/2025;05/02/2025;oui;non;non;MCO;EJ1;non");
        venues.Add("I11;SI11;MED;25/02/2025;02/03/2025;oui;non;non;MCO;EJ1;non");
        string[] identities =
        [
            "IPP Patient;Statut de l'identité;Douteuse;Fictive",
            "I1;Identité qualifiée;non;non", "I2;Qualifiée;non;non", "I3;Identité récupérée;non;non", "I4;Identité provisoire;non;non",
            "I5;Identité validée;non;non", "I6;non qualifiée;non;non", "I7;qualifiée;oui;non", "I8;Récupérée;non;oui", "I9;IQ;non;non",
            "I10;qualifiée;non;non", "I11;QUALIFIEE;non;non",
        ];
        var march = (int day) => new DateTime(2025, 3, day, 10, 0, 0);
        string[] mss =
        [
            "Identifiant du message;Date d'envoi;IPP Patient;N° de venue;Adresse destinataire;Type de destinataire;Correspondant équipé MSSanté;Pièce jointe;Statut d'envoi",
            $"N1;08/03/2025;I1;SI1;dr.a@ch-test.mssante.fr;PS;oui;{Cda("NA1", "I1", Ldl, march(7))};SUCCES",
            $"N2;01/03/2025;I2;SI2;dr.a@ch-test.mssante.fr;PS;oui;{Cda("NA2", "I2", Ldl, march(1))};SUCCES",
            $"N3;08/03/2025;I3;SI3;dr.a@ch-test.mssante.fr;PS;oui;{Cda("NA3", "I3", Ldl, march(7))};ECHEC",
            $"N4;08/03/2025;I4;SI4;dr.a@ch-test.mssante.fr;PS;oui;{Cda("NA4", "I4", Ldl, march(7), testIns: true)};SUCCES",
            "N5;10/03/2025;I5;SI5;i5@patient.mssante.fr;patient;non;;SUCCES",
            "N6;10/03/2025;I6;SI6;i6@patient.mssante.fr;patient;non;;lu",
            "N7;10/03/2025;I7;SI7;i7@patient.mssante.fr;patient;non;;en attente",
        ];
        var run = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2025-03", "--sun-es-reached", "D4",
            "--venues", Write("m9-venues.csv", venues), "--documents", Write("m9-documents.csv", [DocumentHeader, "I1;SI1;07/03/2025;X1;11490-0;;non;non"]),
            "--traces", Write("m9-traces.csv", [TraceHeader, "X1;07/03/2025;11490-0;I1;ECHEC;SI1"]),
            "--identities", Write("m9-identites.csv", identities), "--mss", Write("m9-mss.csv", mss), "--format", "json");
        run.ExitCode.ShouldBe(0, run.Stderr);
        var expected = new (string Id, int Num, decimal Den, decimal Rate, decimal Target, bool Reached)[]
        {
            ("P1.01", 4, 5m, 80.0m, 80m, true), ("P1.07", 1, 10m, 10.0m, 70m, false), ("P1.08", 2, 10m, 20.0m, 70m, false),
        };
        foreach (var e in expected)
        {
            var i = Indicator(run.Stdout, e.Id);
            (i.GetProperty("numerator").GetInt32(), i.GetProperty("denominator").GetDecimal(), i.GetProperty("rate").GetDecimal(), i.GetProperty("target").GetDecimal(), i.GetProperty("reached").GetBoolean())
                .ShouldBe((e.Num, e.Den, e.Rate, e.Target, e.Reached), e.Id + "\n" + i);
        }
    }
}
