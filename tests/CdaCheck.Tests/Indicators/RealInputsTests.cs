using System.Text;
using System.Text.Json;
using CdaCheck.Core.Indicators;
using CdaCheck.TestData.Indicators;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// Hand-made months read the way hospitals have them: the regional counting workbook's own headers (HOP'EN 2
/// webinar of 13 March 2025), from CSV and from an .xlsx workbook, a user mapping file, unusable inputs stopping
/// the run (exit 2), HOP'EN 2 phase 1 months, séjours by activity and per-domain SUN-ES tiers.
/// </summary>
public sealed class RealInputsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdacheck-real-inputs").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private string Write(string name, params string[] lines)
    {
        File.WriteAllText(P(name), string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return P(name);
    }

    // The venues of March 2025 with the webinar's headers. Séjours by activity (derivation):
    //  A V1 MCO with surgery, B V2 MCO                                    → 2 séjours
    //  C dialyse D1..D4 (05/01, 05/02, 05/03, 20/03, same EJ): one 4-month period, ≥ 3 séances → 1 séjour ending 20/03
    //  E dialyse E1 (EJ1), E2 E3 (EJ2): no legal entity has 3 séances    → 0
    //  F HAD 7 days → 0; G HAD 8 days → 1; N HAD 10 days but minor → 0
    //  K chimio 10/01, 01/02, 09/03: < 3 months                          → 1 séjour ending 09/03
    //  L chimio 01/12/2024, 15/01, 01/03: the third is 3 months after the first, not less → 0
    //  M PSY M1 01–10/03 then M2 11–20/03: several venues, one séjour   → 1
    // Total 6 séjours (each discharged venue would have given 14).
    private static readonly string[] VenueRows =
    [
        "A;V1;U1;03/03/2025;07/03/2025;oui;oui;non;MCO;EJ1;non",
        "B;V2;U1;10/03/2025;12/03/2025;oui;non;non;MCO;EJ1;non",
        "C;D1;DIA;05/01/2025;05/01/2025;oui;non;non;Dialyse;EJ1;non",
        "C;D2;DIA;05/02/2025;05/02/2025;oui;non;non;Dialyse;EJ1;non",
        "C;D3;DIA;05/03/2025;05/03/2025;oui;non;non;Dialyse;EJ1;non",
        "C;D4;DIA;20/03/2025;20/03/2025;oui;non;non;Dialyse;EJ1;non",
        "E;E1;DIA;02/03/2025;02/03/2025;oui;non;non;Dialyse;EJ1;non",
        "E;E2;DIA;09/03/2025;09/03/2025;oui;non;non;Dialyse;EJ2;non",
        "E;E3;DIA;16/03/2025;16/03/2025;oui;non;non;Dialyse;EJ2;non",
        "F;H1;HAD;01/03/2025;08/03/2025;oui;non;non;HAD;EJ1;non",
        "G;H2;HAD;01/03/2025;09/03/2025;oui;non;non;HAD;EJ1;non",
        "N;H3;HAD;01/03/2025;11/03/2025;oui;non;non;HAD;EJ1;oui",
        "K;C1;ONC;10/01/2025;10/01/2025;oui;non;non;Chimiothérapie;EJ1;non",
        "K;C2;ONC;01/02/2025;01/02/2025;oui;non;non;Chimiothérapie;EJ1;non",
        "K;C3;ONC;09/03/2025;09/03/2025;oui;non;non;Chimiothérapie;EJ1;non",
        "L;L1;ONC;01/12/2024;01/12/2024;oui;non;non;Chimiothérapie;EJ1;non",
        "L;L2;ONC;15/01/2025;15/01/2025;oui;non;non;Chimiothérapie;EJ1;non",
        "L;L3;ONC;01/03/2025;01/03/2025;oui;non;non;Chimiothérapie;EJ1;non",
        "M;M1;PSY;01/03/2025;10/03/2025;oui;non;non;Psychiatrie;EJ1;non",
        "M;M2;PSY;11/03/2025;20/03/2025;oui;non;non;Psychiatrie;EJ1;non",
    ];

    private const string VenueHeader = "IPP Patient;N° de venue;UF;Date Entrée;Date Sortie;Hospitalisé sortant ?;Au moins un acte chirurgical ?;Consultation sur le mois (avec ACE);Activité;FINESS juridique;Mineur";
    private const string DocumentHeader = "IPP Patient;N° de venue;Date production du document;Identifiant du document;Type de document (code LOINC);Fichier;Non transmission;Document historique";
    private const string TraceHeader = "Identifiant du document;Date d'émission;Type de document (code LOINC);IPP Patient;Statut DMP;N° de venue";

    private (string Venues, string Documents, string Traces) WorkbookHeaderCsvs() => (
        Write("venues.csv", [VenueHeader, .. VenueRows]),
        Write("documents.csv", DocumentHeader, "A;V1;07/03/2025;DOC1;11490-0;;non;non"),
        Write("traces.csv", TraceHeader, "DOC1;07/03/2025;11490-0;A;SUCCES;V1"));

    private static string[] Args(string venues, string documents, string traces, params string[] more) =>
        ["indicators", "--program", "hopen2", "--month", "2025-03", "--venues", venues, "--documents", documents, "--traces", traces, "--format", "json", .. more];

    private static JsonElement Indicator(string json, string id) =>
        JsonDocument.Parse(json).RootElement.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);

    [Fact]
    public void The_workbooks_own_headers_are_read_from_csv_and_sejours_follow_the_activity_definitions()
    {
        var (v, d, t) = WorkbookHeaderCsvs();
        var run = CliRunner.Invoke(Args(v, d, t));
        run.ExitCode.ShouldBe(0, run.Stderr);
        var ldl = Indicator(run.Stdout, "P1.02-LDL");
        ldl.GetProperty("denominatorRaw").GetInt32().ShouldBe(6);
        ldl.GetProperty("denominator").GetDecimal().ShouldBe(5.58m);
        ldl.GetProperty("naive").GetProperty("numerator").GetInt32().ShouldBe(1); // DOC1's SUCCES trace, header "Statut DMP"
        Indicator(run.Stdout, "P1.03").GetProperty("denominatorRaw").GetInt32().ShouldBe(1); // "Au moins un acte chirurgical ?"
        Indicator(run.Stdout, "P1.07").GetProperty("denominatorRaw").GetInt32().ShouldBe(6); // patients A B C G K M

        var report = Engine(v, d, t);
        report["P1.02-LDL"]!.Units.Select(u => u.UnitId).Order(StringComparer.Ordinal)
            .ShouldBe(["C1+C2+C3", "D1+D2+D3+D4", "H2", "M1+M2", "V1", "V2"]);
    }

    private static IndicatorReport Engine(string v, string d, string t)
    {
        var inputs = InputReader.Read(new InputPaths(v, d, t, null, null), new InputOptions { Aliases = ColumnAliases.Load(Shared.Data), Data = Shared.Data });
        var defs = ProgramDefinition.Load(Shared.Data, "hopen2");
        return new IndicatorEngine(new ConformanceGate(Shared.Data, null)).Compute(new IndicatorRequest("hopen2", 2025, 3), inputs, defs);
    }

    [Fact]
    public void A_workbook_with_one_sheet_per_extraction_gives_the_same_figures_as_its_csv_files()
    {
        var (v, d, t) = WorkbookHeaderCsvs();
        var csv = CliRunner.Invoke(Args(v, d, t));
        var book = P("comptage.xlsx");
        WriteWorkbook(book, false,
            ("Séjours", [VenueHeader, .. VenueRows]),
            ("Documents produits", [DocumentHeader, "A;V1;07/03/2025;DOC1;11490-0;;non;non"]),
            ("Traces DMP", [TraceHeader, "DOC1;07/03/2025;11490-0;A;SUCCES;V1"]));
        var xlsx = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2025-03", "--workbook", book, "--format", "json");
        xlsx.ExitCode.ShouldBe(0, xlsx.Stderr);
        static string Figures(string json) => string.Join("\n", JsonDocument.Parse(json).RootElement.GetProperty("indicators").EnumerateArray()
            .Select(i => $"{i.GetProperty("id")} {i.GetProperty("numerator")} {i.GetProperty("denominatorRaw")} {i.GetProperty("denominator")} {i.GetProperty("naive").GetProperty("numerator")}"));
        Figures(xlsx.Stdout).ShouldBe(Figures(csv.Stdout));
        var inputs = JsonDocument.Parse(xlsx.Stdout).RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("file").GetString()).ToList();
        inputs.ShouldContain("comptage.xlsx[Séjours]");

        // one sheet named on the command line (book.xlsx#Sheet), the other extractions as CSV
        var mixed = CliRunner.Invoke(Args(book + "#Séjours", d, t));
        mixed.ExitCode.ShouldBe(0, mixed.Stderr);
        Figures(mixed.Stdout).ShouldBe(Figures(csv.Stdout));
    }

    [Fact]
    public void The_xlsx_reader_gives_shared_and_inline_strings_numbers_booleans_and_date_serials_as_text()
    {
        var book = P("cells.xlsx");
        WriteWorkbook(book, true, ("Feuille", ["Texte;Nombre;Date", "abc;42;15/03/2025"]));
        var wb = XlsxWorkbook.Open(book, Shared.Data);
        wb.SheetNames.ShouldBe(["Feuille"]);
        var rows = wb.Rows("Feuille").ToList();
        rows[0].Fields.ShouldBe(["Texte", "Nombre", "Date"]);
        rows[1].Fields.ShouldBe(["abc", "42", "15/03/2025"]);
        rows[2].Fields.ShouldBe(["inline", "oui", "02/03/2025 08:30", "3.25"]);
        rows[2].Line.ShouldBe(3);
        XlsxWorkbook.SerialToText(45731).ShouldBe("15/03/2025");
        XlsxWorkbook.ColumnIndex("AB12").ShouldBe(27);
        XlsxWorkbook.IsDateFormat(0, null).ShouldBeFalse();
        XlsxWorkbook.IsDateFormat(164, "jj/mm/aaaa").ShouldBeTrue();
        XlsxWorkbook.IsDateFormat(165, "0.00\" jours\"").ShouldBeFalse();
    }

    [Fact]
    public void A_hostile_or_broken_workbook_stops_the_run_with_exit_2()
    {
        var (_, d, t) = WorkbookHeaderCsvs();
        var notZip = Write("fake.xlsx", "IPP;N° venue");
        CliRunner.Invoke(Args(notZip, d, t)).ExitCode.ShouldBe(2);
        var dtd = P("dtd.xlsx");
        using (var zip = new System.IO.Compression.ZipArchive(File.Create(dtd), System.IO.Compression.ZipArchiveMode.Create))
        {
            void Entry(string name, string text)
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write(text);
            }
            Entry("xl/workbook.xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>");
        }
        var run = CliRunner.Invoke(Args(dtd, d, t));
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("dtd.xlsx");
        var traversal = P("traversal.xlsx");
        using (var zip = new System.IO.Compression.ZipArchive(File.Create(traversal), System.IO.Compression.ZipArchiveMode.Create))
            zip.CreateEntry("../../evil.xml");
        CliRunner.Invoke(Args(traversal, d, t)).ExitCode.ShouldBe(2);
    }

    [Fact]
    public void A_user_mapping_file_names_other_headers()
    {
        var (_, d, t) = WorkbookHeaderCsvs();
        var v = Write("venues-dpi.csv", [VenueHeader.Replace("IPP Patient", "Ident. patient DPI").Replace("Date Sortie", "Fin de séjour (date)"), .. VenueRows]);
        var without = CliRunner.Invoke(Args(v, d, t));
        without.ExitCode.ShouldBe(2);
        without.Stderr.ShouldContain("venues-dpi.csv");
        without.Stderr.ShouldContain("IPP");
        without.Stderr.ShouldContain("Date sortie");
        var map = Write("columns.txt", "# my DPI's headers", "IPP = Ident. patient DPI", "venues.Date sortie=Fin de séjour (date)");
        var with = CliRunner.Invoke(Args(v, d, t, "--columns", map));
        with.ExitCode.ShouldBe(0, with.Stderr);
        Indicator(with.Stdout, "P1.02-LDL").GetProperty("denominatorRaw").GetInt32().ShouldBe(6);
        var bad = Write("bad-columns.txt", "Numéro de chambre=Chambre");
        var badRun = CliRunner.Invoke(Args(v, d, t, "--columns", bad));
        badRun.ExitCode.ShouldBe(2);
        badRun.Stderr.ShouldContain("Numéro de chambre");
    }

    [Fact]
    public void A_required_file_missing_a_column_or_without_a_usable_row_stops_with_exit_2_naming_file_and_column()
    {
        var (v, d, t) = WorkbookHeaderCsvs();
        var noDate = Write("documents-nodate.csv", "IPP Patient;N° de venue;Identifiant du document;Type de document (code LOINC);Fichier;Non transmission;Document historique", "A;V1;DOC1;11490-0;;non;non");
        var run = CliRunner.Invoke(Args(v, noDate, t));
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("documents-nodate.csv");
        run.Stderr.ShouldContain("Date production");
        run.Stdout.ShouldBeEmpty();

        var allBad = Write("traces-bad.csv", TraceHeader, "DOC1;32/03/2025;11490-0;A;SUCCES;V1", "DOC2;pas une date;11490-0;A;SUCCES;V1");
        var run2 = CliRunner.Invoke(Args(v, d, allBad));
        run2.ExitCode.ShouldBe(2);
        run2.Stderr.ShouldContain("traces-bad.csv");
        run2.Stderr.ShouldContain("no usable row");
        run2.Stderr.ShouldContain("Date émission");

        var headerOnly = Write("venues-empty.csv", VenueHeader);
        var run3 = CliRunner.Invoke(Args(headerOnly, d, t));
        run3.ExitCode.ShouldBe(2);
        run3.Stderr.ShouldContain("venues-empty.csv");
    }

    [Theory]
    [InlineData("2024-11", 2)]
    [InlineData("2024-12", 0)]
    [InlineData("2025-07", 0)]
    [InlineData("2025-08", 2)]
    public void Hopen2_months_are_those_of_phase_1_unless_allowed(string month, int code)
    {
        var (v, d, t) = WorkbookHeaderCsvs();
        string[] args = ["indicators", "--program", "hopen2", "--month", month, "--venues", v, "--documents", d, "--traces", t];
        var run = CliRunner.Invoke(args);
        run.ExitCode.ShouldBe(code, run.Stderr);
        if (code == 2) run.Stderr.ShouldContain("--allow-any-month");
        CliRunner.Invoke([.. args, "--allow-any-month"]).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Targets_follow_the_sun_es_domain_of_each_indicator()
    {
        var (v, d, t) = WorkbookHeaderCsvs();
        decimal Target(string json, string id) => Indicator(json, id).GetProperty("target").GetDecimal();
        var d1 = CliRunner.Invoke(Args(v, d, t, "--sun-es-reached", "D1,D4"));
        d1.ExitCode.ShouldBe(0, d1.Stderr);
        Target(d1.Stdout, "P1.02-LDL").ShouldBe(70m); // D1 reached
        Target(d1.Stdout, "P1.03").ShouldBe(70m);
        Target(d1.Stdout, "P1.05").ShouldBe(50m);     // D2 not reached
        Target(d1.Stdout, "P1.06").ShouldBe(45m);     // D3 not reached
        Target(d1.Stdout, "P1.07").ShouldBe(70m);     // D4 reached
        Target(d1.Stdout, "P1.01").ShouldBe(80m);     // one target
        var root = JsonDocument.Parse(d1.Stdout).RootElement;
        root.TryGetProperty("tier", out _).ShouldBeFalse();
        root.GetProperty("sunEsReached").EnumerateArray().Select(x => x.GetString()).ShouldBe(["D1", "D4"]);
        Indicator(d1.Stdout, "P1.05").GetProperty("targetTier").GetString().ShouldBe("other");
        new MiniJsonSchema(JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Schemas, "indicators.schema.json"))).RootElement)
            .Validate(root).ShouldBeEmpty();

        var all = CliRunner.Invoke(Args(v, d, t, "--tier", "sun-es-reached"));
        var four = CliRunner.Invoke(Args(v, d, t, "--sun-es-reached", "D1,D2,D3,D4"));
        Target(all.Stdout, "P1.05").ShouldBe(65m);
        Target(four.Stdout, "P1.05").ShouldBe(65m);
        Target(four.Stdout, "P1.06").ShouldBe(60m);
        JsonDocument.Parse(four.Stdout).RootElement.GetProperty("tier").GetString().ShouldBe("sun-es-reached");
        CliRunner.Invoke(Args(v, d, t, "--sun-es-reached", "D5")).ExitCode.ShouldBe(2);
        CliRunner.Invoke(Args(v, d, t, "--sun-es-reached", "D1", "--tier", "other")).ExitCode.ShouldBe(2);
    }

    [Fact]
    public void The_guides_worked_example_of_the_93_percent_weighting()
    {
        // "taux national MES" 93 %: 10 séjours → 9.3, 6 credited → 64.5 %; 4 → 3.72, 2 credited → 53.8 %
        Rates.Percent(6, Rates.Trim(10 * 0.93m)).ShouldBe(64.5m);
        Rates.Percent(2, Rates.Trim(4 * 0.93m)).ShouldBe(53.8m);
        var venues = new List<string> { VenueHeader };
        for (int i = 1; i <= 10; i++) venues.Add($"P{i:00};S{i:00};U1;01/03/2025;{i:00}/03/2025;oui;non;non;MCO;EJ1;non");
        var v = Write("venues10.csv", [.. venues]);
        var (_, d, t) = WorkbookHeaderCsvs();
        var ldl = Engine(v, d, t)["P1.02-LDL"]!;
        ldl.DenominatorRaw.ShouldBe(10);
        ldl.Denominator.ShouldBe(9.3m);
    }

    /// <summary>Writes a workbook with the Open XML SDK (the test oracle): strings shared, dates as serials with a date style.</summary>
    internal static void WriteWorkbook(string path, bool extraRow, params (string Sheet, string[] Lines)[] sheets)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var wb = doc.AddWorkbookPart();
        wb.Workbook = new Workbook();
        var styles = wb.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new Fonts(new Font()), new Fills(new Fill()), new Borders(new Border()),
            new CellFormats(new CellFormat { NumberFormatId = 0 }, new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 22, ApplyNumberFormat = true }));
        var sst = wb.AddNewPart<SharedStringTablePart>();
        sst.SharedStringTable = new SharedStringTable();
        var shared = new Dictionary<string, int>();
        var list = wb.Workbook.AppendChild(new Sheets());
        uint id = 1;
        foreach (var (name, lines) in sheets)
        {
            var part = wb.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            uint r = 1;
            foreach (var line in lines)
            {
                var row = new Row { RowIndex = r };
                var fields = line.Split(';');
                for (int c = 0; c < fields.Length; c++)
                {
                    var f = fields[c];
                    var cell = new Cell { CellReference = XlsxWriter.ColumnName(c) + r };
                    if (r > 1 && DateOnly.TryParseExact(f, "dd/MM/yyyy", out var date))
                    {
                        cell.CellValue = new CellValue((date.DayNumber - new DateOnly(1899, 12, 30).DayNumber).ToString());
                        cell.StyleIndex = 1;
                    }
                    else if (f.Length == 0) continue;
                    else if (r > 1 && f.All(char.IsAsciiDigit) && f.Length < 6)
                        cell.CellValue = new CellValue(f);
                    else
                    {
                        if (!shared.TryGetValue(f, out var si))
                        {
                            shared[f] = si = shared.Count;
                            sst.SharedStringTable.AppendChild(new SharedStringItem(new Text(f)));
                        }
                        cell.DataType = CellValues.SharedString;
                        cell.CellValue = new CellValue(si.ToString());
                    }
                    row.AppendChild(cell);
                }
                data.AppendChild(row);
                r++;
            }
            if (extraRow)
                data.AppendChild(new Row(
                    new Cell { CellReference = "A" + r, DataType = CellValues.InlineString, InlineString = new InlineString(new Text("inline")) },
                    new Cell { CellReference = "B" + r, DataType = CellValues.Boolean, CellValue = new CellValue("1") },
                    new Cell { CellReference = "C" + r, StyleIndex = 2, CellValue = new CellValue("45718.3541666667") },
                    new Cell { CellReference = "D" + r, CellValue = new CellValue("3.25") }) { RowIndex = r });
            part.Worksheet = new Worksheet(data);
            list.AppendChild(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id++, Name = name });
        }
        wb.Workbook.Save();
    }
}
