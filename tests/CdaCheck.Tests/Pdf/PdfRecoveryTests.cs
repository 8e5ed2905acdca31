using System.Diagnostics;
using System.Text;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.Pdf;
using CdaCheck.Tests.Infrastructure;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.Pdf;

/// <summary>
/// Page tree and cross-reference recovery: pages listed twice, broken branches, missing startxref/%%EOF,
/// damaged xref sections, contents deleted by an incremental update. poppler's pdftotext is the oracle where
/// it applies (it reads the same pages).
/// </summary>
public class PdfRecoveryTests
{
    private static IEnumerable<string> Ids(byte[] pdf) => Shared.Validator().Validate("doc.pdf", pdf).Findings.Select(f => f.RuleId);

    /// <summary>pdftotext's text of the whole file (form feeds between pages).</summary>
    private static string PdfToText(byte[] pdf) => Run("pdftotext", pdf, "-q", "{}", "-");

    /// <summary>Runs a tool with the PDF written to a temporary file ({} in the arguments); its standard output.</summary>
    private static string Run(string tool, byte[] pdf, params string[] args)
    {
        if (!args.Contains("{}")) args = [.. args, "{}"];
        var f = Path.Combine(Path.GetTempPath(), $"cdacheck-rec-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(f, pdf);
        try
        {
            var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a == "{}" ? f : a);
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return text;
        }
        finally { File.Delete(f); }
    }

    private static string[] TwoPageObjects(string kids) =>
    [
        "<< /Type /Catalog /Pages 2 0 R >>",
        $"<< /Type /Pages /Kids [{kids}] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        StreamObj("BT /F1 12 Tf 72 700 Td (Premiere page) Tj ET"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 7 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        StreamObj("BT /F1 12 Tf 72 700 Td (Seconde page) Tj ET"),
    ];

    [ToolFact("pdftotext")]
    public void A_page_listed_twice_is_two_pages_not_a_cycle()
    {
        var pdf = HandMade(TwoPageObjects("3 0 R 3 0 R"));
        var doc = PdfReader.Open(pdf);
        doc.Pages.Count.ShouldBe(2);
        doc.Pages[1].Dict.ShouldBeSameAs(doc.Pages[0].Dict);
        doc.Issues.ShouldBeEmpty();
        Ids(pdf).ShouldNotContain("SEC-012");
        PdfToText(pdf).Split('\f').Count(t => t.Contains("Premiere page")).ShouldBe(2); // poppler shows it twice
    }

    [Fact]
    public void A_real_ancestor_loop_is_a_cycle_and_the_other_pages_stay()
    {
        // 8 is an intermediate node listing its own parent
        var objs = TwoPageObjects("3 0 R 8 0 R 6 0 R").Append("<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>").ToArray();
        var doc = PdfReader.Open(HandMade(objs));
        doc.Pages.Count.ShouldBe(2);
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.DepthExceeded && i.Detail.Contains("cycle"));
        AllText(PdfReader.ReadPage(doc, 1)).ShouldBe("Seconde page");
    }

    [Fact]
    public void A_broken_branch_costs_that_branch_only()
    {
        // 8: a page node nested beyond the lexer's limit (reading it throws); 9: not in the file at all
        string deep = new string('[', 80) + new string(']', 80);
        var objs = TwoPageObjects("8 0 R 3 0 R 9 0 R 6 0 R").Append($"<< /Type /Page /Junk {deep} >>").ToArray();
        var pdf = HandMade(objs);
        var doc = PdfReader.Open(pdf);
        doc.Pages.Select(p => p.ObjectNumber).ShouldBe(new[] { 3, 6 });
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.DepthExceeded && i.ObjectNumber == 8);
        AllText(PdfReader.ReadPage(doc, 0)).ShouldBe("Premiere page");
        var ids = Ids(pdf).ToList();
        ids.ShouldContain("SEC-012");
        ids.ShouldNotContain("PDF-006");
        ids.ShouldNotContain("PDF-007");
    }

    [Theory]
    [InlineData(XrefStyle.Classic)]
    [InlineData(XrefStyle.Stream)]
    public void Without_startxref_and_eof_the_objects_are_found_by_scanning(XrefStyle style)
    {
        var full = OnePage(p => p.Text("Compte rendu", 72, 700), w => { w.Xref = style; w.Version = "1.5"; }).ToBytes();
        int cut = full.AsSpan().LastIndexOf("startxref"u8);
        var pdf = full[..cut];
        var doc = PdfReader.Open(pdf);
        doc.HasStartXref.ShouldBeFalse();
        doc.HasEof.ShouldBeFalse();
        doc.XrefRecovered.ShouldBeTrue();
        doc.Pages.Count.ShouldBe(1);
        AllText(PdfReader.ReadPage(doc, 0)).ShouldBe("Compte rendu");
        var ids = Ids(pdf).ToList();
        ids.ShouldContain("PDF-002"); // still reported damaged
        ids.ShouldContain("PDF-003");
        ids.ShouldNotContain("PDF-006");
    }

    [ToolTheory("pdftotext")]
    [InlineData("garbage-offset")]
    [InlineData("bad-prev")]
    [InlineData("bad-entries")]
    public void A_damaged_xref_triggers_the_scan(string damage)
    {
        var objs = TwoPageObjects("3 0 R 6 0 R");
        var pdf = damage switch
        {
            "garbage-offset" => HandMade(objs, startxref: x => $"startxref\n{x + 7}\n%%EOF\n"),
            "bad-prev" => HandMade(objs, trailerExtra: "/Root 1 0 R /Prev 3", startxref: null),
            _ => Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(HandMade(objs)).Replace(" 00000 n ", " 00000 x ")),
        };
        var doc = PdfReader.Open(pdf);
        doc.XrefRecovered.ShouldBeTrue();
        doc.Pages.Count.ShouldBe(2);
        AllText(PdfReader.ReadPage(doc, 0)).ShouldBe("Premiere page");
        AllText(PdfReader.ReadPage(doc, 1)).ShouldBe("Seconde page");
        Ids(pdf).ShouldContain("PDF-003");
        var oracle = PdfToText(pdf);
        oracle.ShouldContain("Premiere page");
        oracle.ShouldContain("Seconde page");
    }

    /// <summary>An incremental update after the file that deletes object 4 (page 1's contents): "f" entry, or the null object.</summary>
    private static byte[] DeleteContents(bool asNull)
    {
        var first = HandMade(MinimalObjects("BT /F1 12 Tf 72 700 Td (Ancien contenu) Tj ET"));
        var s = Encoding.Latin1.GetString(first);
        int prev = int.Parse(s[(s.LastIndexOf("startxref", StringComparison.Ordinal) + 10)..].Split('\n')[0]);
        var sb = new StringBuilder(s);
        string entry;
        if (asNull)
        {
            entry = $"{sb.Length:D10} 00000 n \n";
            sb.Append("4 0 obj\nnull\nendobj\n");
        }
        else entry = "0000000000 00001 f \n";
        long xref = sb.Length;
        sb.Append($"xref\n0 1\n0000000000 65535 f \n4 1\n{entry}trailer\n<< /Size 6 /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    [ToolTheory("qpdf")]
    [InlineData(false)]
    [InlineData(true)]
    public void Contents_deleted_by_an_update_make_an_empty_page(bool asNull)
    {
        var pdf = DeleteContents(asNull);
        var doc = PdfReader.Open(pdf);
        doc.XrefRecovered.ShouldBeFalse();
        var page = PdfReader.ReadPage(doc, 0);
        page.Texts.ShouldBeEmpty();
        var ids = Ids(pdf).ToList();
        ids.ShouldNotContain("PDF-007");
        ids.ShouldNotContain("PDF-003");
        // qpdf reads object 4 as null too (poppler, on a free entry, rebuilds its xref and finds the old object)
        Run("qpdf", pdf, "--show-object=4").Trim().ShouldBe("null");
    }

    [Fact]
    public void Contents_pointing_at_no_object_is_still_unreadable()
    {
        var objs = MinimalObjects("x");
        objs[2] = objs[2].Replace("/Contents 4 0 R", "/Contents 40 0 R");
        Ids(HandMade(objs)).ShouldContain("PDF-007");
    }
}
