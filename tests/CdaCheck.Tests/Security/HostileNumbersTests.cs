using System.IO.Compression;
using System.Text;
using CdaCheck.Core.Indicators;
using CdaCheck.Core.Validation;
using CdaCheck.Core.Xdm;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Numbers read from the input that drive date or size arithmetic, at the ends of their range: each ends in a
/// finding, an input error or plain text, never an internal error (SEC-005, exit 3).
/// </summary>
public sealed class HostileNumbersTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-numbers");
    public void Dispose() => _dir.Delete(true);
    private string P(string name) => Path.Combine(_dir.FullName, name);

    private static string Indicators => Path.Combine(TestPaths.TestData, "indicators");

    private const string VenueHeader = "IPP;N° venue;UF;Date entrée;Date sortie;Hospitalisé sortant;Acte chirurgical;Consultation ACE;Activité;Décédé;Non assuré;Type INS;Mineur ASE;Nouveau-né maternité;DMP;Opposition DMP;INS qualifiée;Passage urgences seul";
    private static string Venue(string ipp, string number, string entry, string exit, string activity) =>
        $"{ipp};{number};U1;{entry};{exit};oui;non;non;{activity};non;non;NIR;non;non;ouvert;non;oui;non";

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CdaCheck.Cli.CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private (int Code, string Out, string Err) RunIndicators(string program, string month, string venues) => Cli(
        "indicators", "--program", program, "--month", month, "--allow-any-month", "--lang", "en", "--format", "json",
        "--venues", venues, "--documents", Path.Combine(Indicators, "documents.csv"), "--traces", Path.Combine(Indicators, "traces.csv"),
        "--documents-root", Indicators);

    /// <summary>
    /// 31/12/9999 and 01/01/0001 are dates an extraction can hold: a psychiatry exit of 31/12/9999 (chained venues: exit
    /// + 1 day), a radiotherapy series starting in 9999 (entry + 3 months), a history look-back from year 1 (entry − 5
    /// years), and the month 9999-12 (its last day) overflowed DateOnly: exit 3 and no report.
    /// </summary>
    [Theory]
    [InlineData("sun-es")]
    [InlineData("hopen2")]
    public void Indicator_dates_at_the_ends_of_the_calendar_give_a_report(string program)
    {
        var cases = new Dictionary<string, string[]>
        {
            ["psy.csv"] = [Venue("P1", "V1", "01/10/2026", "31/12/9999", "PSY"), Venue("P1", "V2", "02/10/2026", "05/10/2026", "PSY")],
            ["series.csv"] = [Venue("P1", "V1", "31/12/9999", "31/12/9999", "RADIOTHERAPIE"), Venue("P1", "V2", "30/12/9999", "31/12/9999", "RADIOTHERAPIE"),
                              Venue("P1", "V3", "01/10/2026", "01/10/2026", "RADIOTHERAPIE"), Venue("P1", "V4", "31/10/9999", "31/12/9999", "DIALYSE")],
            ["history.csv"] = [Venue("P1", "V1", "01/01/0001", "02/01/0001", "MCO"), Venue("P1", "V2", "01/10/2026", "05/10/2026", "MCO"),
                               Venue("P2", "V3", "01/01/0001", "01/01/0001", "MCO"), Venue("P2", "V4", "03/01/0001", "05/10/2026", "MCO")],
        };
        foreach (var (name, rows) in cases)
        {
            File.WriteAllLines(P(name), [VenueHeader, .. rows]);
            var (code, stdout, stderr) = RunIndicators(program, "2026-10", P(name));
            code.ShouldBeOneOf([0, 1], $"{program} {name}: {stderr}");
            using (System.Text.Json.JsonDocument.Parse(stdout)) { }
        }
        var (c2, _, e2) = RunIndicators(program, "9999-12", Path.Combine(Indicators, "venues.csv"));
        c2.ShouldBeOneOf([0, 1], "month 9999-12: " + e2);
        new IndicatorRequest(program, 9999, 12).End.ShouldBe(new DateOnly(9999, 12, 31));
    }

    /// <summary>A one-sheet workbook whose cell B2 is a number with a date style (1904 date system or not).</summary>
    private static void Workbook(string path, string serial, bool date1904)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Part(string name, string xml)
        {
            using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            w.Write(xml);
        }
        const string ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
        Part("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
        Part("xl/workbook.xml", $"<workbook {ns} xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><workbookPr date1904=\"{(date1904 ? 1 : 0)}\"/>" +
            "<sheets><sheet name=\"Feuille\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
        Part("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
        Part("xl/styles.xml", $"<styleSheet {ns}><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>");
        Part("xl/worksheets/sheet1.xml", $"<worksheet {ns}><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Date</t></is></c></row>" +
            $"<row r=\"2\"><c r=\"A2\" s=\"1\"><v>45731</v></c><c r=\"B2\" s=\"1\"><v>{serial}</v></c></row></sheetData></worksheet>");
    }

    /// <summary>
    /// A date-styled cell whose serial rounds (to the minute) past 31/12/9999, or any serial of the last four years in
    /// the 1904 date system, overflowed DateTime.AddTicks: the indicators run stopped with an internal error. Such a cell
    /// is read as the number it is written as.
    /// </summary>
    [Theory]
    [InlineData("2958465.9999999", false)]
    [InlineData("2958465.99999", false)]
    [InlineData("2958465", true)]
    [InlineData("2957100", true)]
    [InlineData("2958465.999305", true)]
    public void Xlsx_date_serials_past_the_last_day_are_read_as_numbers(string serial, bool date1904)
    {
        var path = P("serial.xlsx");
        Workbook(path, serial, date1904);
        var book = XlsxWorkbook.Open(path, Shared.Data);
        var row = book.Rows("Feuille").Single(r => r.Line == 2);
        row.Fields[0].ShouldBe(date1904 ? "16/03/2029" : "15/03/2025", "control: an ordinary serial is a date");
        row.Fields[1].ShouldBe(serial);
        var d = double.Parse(serial, System.Globalization.CultureInfo.InvariantCulture);
        XlsxWorkbook.SerialToText(d, date1904).ShouldBeNull();
        XlsxWorkbook.SerialToText(2958465, false).ShouldBe("31/12/9999");
        XlsxWorkbook.SerialToText(2958465 - 1462, true).ShouldBe("31/12/9999");
    }

    /// <summary>
    /// The CDA effectiveTime compared with the XDM creationTime is brought to UTC: 99991231230000-0200 is in year
    /// 10000 and 00010101000000+0100 before year 1 (DateTime overflow), and a zone written in other digits
    /// (+٠١٠٠, matched by \d) reached int.Parse: both gave SEC-005.
    /// </summary>
    [Theory]
    [InlineData("99991231230000-0200")]
    [InlineData("00010101000000+0100")]
    [InlineData("20251103101500+\u0660\u0661\u0660\u0660")]
    [InlineData("2025110310\u0661\u0665\u0660\u0660+0100")]
    public void Effective_times_whose_utc_instant_cannot_be_computed_are_not_compared(string ts)
    {
        Hl7Values.CdaTsToUtcDtm(ts).ShouldBeNull();
        var cda = SampleCda.Builder().WithEffectiveTime(ts).ToBytes();
        var r = Shared.Validator().Validate("IHE_XDM.ZIP", XdmVariants.Valid(Shared.Data, cda));
        r.AllFindings().ShouldNotContain(f => f.RuleId == "SEC-005", string.Join("; ", r.AllFindings().Select(f => f.RuleId + " " + f.Message)));
        r.AllFindings().ShouldNotBeEmpty();
        Hl7Values.CdaTsToUtcDtm("20251103101500+0100").ShouldBe("20251103091500", "control");
    }

    /// <summary>
    /// --limit values past what the arithmetic holds: decompressed-bytes=8589934591g made the PDF's document total
    /// (four times it) negative, so every embedded PDF was a "decompression bomb of more than -4 bytes" (SEC-010).
    /// </summary>
    [Theory]
    [InlineData("decompressed-bytes=8589934591g")]
    [InlineData("decompressed-bytes=9223372036854775807")]
    [InlineData("decompressed-bytes=3g")]
    public void Limits_past_the_arithmetic_do_not_invent_findings(string limit)
    {
        var sample = Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml");
        var run = CliRunner.Invoke("validate", "--format", "json", "--limit", limit, sample);
        run.Stdout.ShouldNotContain("SEC-010");
        run.Stdout.ShouldNotContain("SEC-005");
        run.ExitCode.ShouldBe(0, run.Stdout);
    }

    /// <summary>
    /// --limit input-bytes=4g and a 3 GB file: the buffer's int size overflowed (OverflowException, exit 3, the JSON
    /// report cut off); input-bytes=long.MaxValue and a file longer than it says (/proc): limit + 1 overflowed
    /// (IndexOutOfRangeException). No array holds more than Array.MaxLength: that is the limit then.
    /// </summary>
    [Fact]
    public void Input_limits_past_what_an_array_holds()
    {
        var big = P("big.xml");
        using (var f = File.Create(big)) f.SetLength(3L << 30); // sparse: no disk used
        var options = new ValidationOptions { Limits = new Limits().With("input-bytes=4g") };
        Validator.ReadInput(big, options, out var refused).ShouldBeNull();
        refused.ShouldNotBeNull();
        refused.Findings.ShouldContain(f => f.RuleId == "SEC-002");
        refused.Findings[0].Message.ShouldNotContain("4294967296", customMessage: "the limit named is the one applied");

        if (OperatingSystem.IsLinux())
        {
            var huge = new ValidationOptions { Limits = new Limits().With("input-bytes=9223372036854775807") };
            var bytes = Validator.ReadInput("/proc/self/status", huge, out var r2);
            r2.ShouldBeNull();
            bytes.ShouldNotBeNull();
            Encoding.ASCII.GetString(bytes).ShouldContain("Name:");
        }
        var run = CliRunner.Invoke("validate", "--format", "json", "--limit", "input-bytes=4g", big);
        run.ExitCode.ShouldBe(1, run.Stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Stdout);
        doc.RootElement.GetProperty("documents")[0].GetProperty("findings")[0].GetProperty("ruleId").GetString().ShouldBe("SEC-002");
    }

    /// <summary>
    /// Extractions named by path are asked what they are before they are opened: a workbook that is /dev/zero was
    /// read with File.ReadAllBytes (memory without end), a CSV extraction that is /dev/zero or a FIFO was read or
    /// waited on forever, and so was the --columns mapping file. Each stops the run with exit 2 naming SEC-020.
    /// </summary>
    [LinuxFact]
    public void Extractions_that_are_devices_or_fifos_are_refused()
    {
        File.CreateSymbolicLink(P("zero.xlsx"), "/dev/zero");
        File.CreateSymbolicLink(P("zero.csv"), "/dev/zero");
        using (var p = System.Diagnostics.Process.Start("mkfifo", [P("fifo.csv")])!) p.WaitForExit();
        foreach (var venues in new[] { P("zero.xlsx"), P("zero.xlsx") + "#venues", P("zero.csv"), P("fifo.csv"), "/dev/zero" })
        {
            var run = CliRunner.InvokeWithin(TimeSpan.FromSeconds(60), "indicators", "--program", "sun-es", "--month", "2026-10", "--lang", "en",
                "--venues", venues, "--documents", Path.Combine(Indicators, "documents.csv"), "--traces", Path.Combine(Indicators, "traces.csv"));
            run.ExitCode.ShouldBe(2, venues + ": " + run.Stderr);
            run.Stderr.ShouldContain("SEC-020", customMessage: venues);
        }
        foreach (var mapping in new[] { P("zero.csv"), P("fifo.csv") }) // --columns: the column mapping file
        {
            var run = CliRunner.InvokeWithin(TimeSpan.FromSeconds(60), "indicators", "--program", "sun-es", "--month", "2026-10", "--lang", "en",
                "--venues", Path.Combine(Indicators, "venues.csv"), "--documents", Path.Combine(Indicators, "documents.csv"),
                "--traces", Path.Combine(Indicators, "traces.csv"), "--columns", mapping);
            run.ExitCode.ShouldBe(2, mapping + ": " + run.Stderr);
            run.Stderr.ShouldContain("SEC-020", customMessage: mapping);
        }
    }

    /// <summary>
    /// A charset that .NET knows but will not use (UTF-7: NotSupportedException, not ArgumentException) in an RFC 2047
    /// encoded word or an RFC 2231 parameter escaped the MIME reader: an internal error for the whole message.
    /// </summary>
    [Theory]
    [InlineData("Subject", "=?utf-7?B?QUJDRA==?=")]
    [InlineData("Subject", "=?UTF-7?Q?A+AOk-?=")]
    [InlineData("Content-Disposition", "attachment; title*=utf-7''%41%2B%41%4F%6B%2D")]
    public void Mime_charsets_that_cannot_be_used_are_read_as_utf8(string header, string value)
    {
        var eml = Encoding.Latin1.GetString(EmlBuilder.ForSample(Shared.Data).Build());
        eml = header == "Subject"
            ? eml.Replace("Subject: ", "Subject: " + value + " ", StringComparison.Ordinal)
            : eml.Replace("Content-Disposition: attachment;", "Content-Disposition: " + value + ";", StringComparison.Ordinal);
        eml.ShouldContain("utf-7", Case.Insensitive);
        var r = Shared.Validator().Validate("message.eml", Encoding.Latin1.GetBytes(eml));
        r.AllFindings().ShouldNotContain(f => f.RuleId == "SEC-005", string.Join("; ", r.AllFindings().Select(f => f.RuleId + " " + f.Message)));
        CdaCheck.Core.Mss.MimeReader.DecodeEncodedWords("=?utf-7?B?QUJDRA==?=").ShouldBe("ABCD");
        CdaCheck.Core.Mss.MimeReader.DecodeRfc2231("utf-7''%41%42", null, out _).ShouldBe("AB");
    }

    /// <summary>
    /// The raster fallback rendered page 1 at 300 dpi whatever its /MediaBox: a page of 4000 pt is a bitmap of 278 MB
    /// (14400 pt: 3.6 GB) that pdftoppm wrote and this process read whole. The resolution is lowered so that the page
    /// is at most ContentInterpreter.MaxImagePixels pixels, and a larger output is not read.
    /// </summary>
    [Fact]
    public void Raster_resolution_follows_the_page_size()
    {
        CdaCheck.Core.DataMatrix.RasterFallback.DpiFor([0, 0, 595, 842]).ShouldBe(300);
        CdaCheck.Core.DataMatrix.RasterFallback.DpiFor([0, 0, 14400, 14400]).ShouldBe(40);
        CdaCheck.Core.DataMatrix.RasterFallback.DpiFor([0, 0, 1e308, 1e308]).ShouldBe(1, "an area that overflows to infinity: the least (and the rendered size is checked)");
        CdaCheck.Core.DataMatrix.RasterFallback.DpiFor([0, 0, 1e200, 1e200]).ShouldBe(1);
        CdaCheck.Core.DataMatrix.RasterFallback.DpiFor([0, 0, double.NaN, 5]).ShouldBe(300);
        CdaCheck.Core.DataMatrix.RasterFallback.DpiFor(null).ShouldBe(300);
        foreach (var side in new[] { 595.0, 4000, 14400 })
        {
            int dpi = CdaCheck.Core.DataMatrix.RasterFallback.DpiFor([0, 0, side, side]);
            Math.Pow(side * dpi / 72, 2).ShouldBeLessThanOrEqualTo(CdaCheck.Core.Pdf.ContentInterpreter.MaxImagePixels);
        }
    }

    [ToolFact("pdftoppm")]
    public void A_huge_page_rendered_by_the_raster_fallback_stays_within_the_image_limit()
    {
        var pdf = Encoding.Latin1.GetString(Fuzz.PdfImageHarnessTests.Pdf("/Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", "/Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"));
        // the page object keeps its length (the cross-reference offsets stay right): a 4000 pt square page
        pdf = pdf.Replace("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]", "<</Type /Page /Parent 2 0 R /MediaBox[0 0 4000 4000]", StringComparison.Ordinal);
        pdf.ShouldContain("[0 0 4000 4000]");
        var (prefix, _, suffix) = Fuzz.FuzzSeeds.N1Parts();
        var xml = Encoding.UTF8.GetBytes(prefix + Convert.ToBase64String(Encoding.Latin1.GetBytes(pdf)) + suffix);
        var v = Shared.Validator(new ValidationOptions { RasterFallback = RasterMode.Always });
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = v.Validate("huge-page.xml", xml);
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(200L << 20);
        r.AllFindings().ShouldNotContain(f => f.RuleId == "SEC-005");
        r.Pdf.ShouldNotBeNull();
    }
}
