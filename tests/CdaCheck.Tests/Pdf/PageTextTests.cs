using System.Diagnostics;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.Pdf;

/// <summary>
/// The text layer as a reader sees it: glyphs positioned one by one (chromium/skia) joined into words, and
/// look-alike characters folded before the cartouche (DM-034) and evidence checks compare with the header.
/// </summary>
public class PageTextTests
{
    /// <summary>One run per glyph, 0.6 font size wide, as skia writes them; <paramref name="gapAfter"/> adds a word gap after those indexes.</summary>
    private static IEnumerable<TextRun> Glyphs(string text, double x, double y, double size = 10, double tracking = 0)
    {
        foreach (var ch in text)
        {
            double adv = ch == ' ' ? 0.28 * size : 0.6 * size;
            if (ch != ' ') yield return new TextRun(ch.ToString(), x, y, size, x + adv, y);
            x += adv + tracking;
        }
    }

    [Fact]
    public void Glyph_runs_are_joined_into_words_and_lines()
    {
        var page = new PageContent { PageNumber = 1 };
        page.Texts.AddRange(Glyphs("LOVELACE Ada", 100, 700));
        page.Texts.AddRange(Glyphs("INS 1 85", 100, 688, tracking: 0.5)); // letter-spacing under a tenth of the size
        PageText.Read(page).ShouldBe("LOVELACE Ada\nINS 1 85");
    }

    [Fact]
    public void Runs_without_an_end_position_stay_separate_words() =>
        PageText.Read(new PageContent { Texts = { new TextRun("LOVELACE", 0, 0, 9), new TextRun("Ada", 50, 0, 9) } }).ShouldBe("LOVELACE Ada");

    [Theory]
    [InlineData("DUPONT\u2212MARTIN", "DUPONT-MARTIN")]
    [InlineData("DUPONT\u2011MARTIN", "DUPONT-MARTIN")]
    [InlineData("DUPONT\u2013MARTIN", "DUPONT-MARTIN")]
    [InlineData("D\u2019ARC", "D'ARC")]
    [InlineData("D\u02BCARC", "D'ARC")]
    [InlineData("LE\u00A0GOFF", "LE GOFF")]
    [InlineData("LE\u202FGOFF", "LE GOFF")]
    [InlineData("\uFF2C\uFF2F\uFF36\uFF25", "LOVE")]
    [InlineData("Gri\uFB03n", "GRIFFIN")]
    [InlineData("Ra\uFB01k", "RAFIK")]
    [InlineData("Ka\uFB02a", "KAFLA")]
    [InlineData("Mar\u00ADtin", "MARTIN")]
    public void Look_alikes_are_folded(string printed, string expected) =>
        DataMatrixStage.NormaliseName(printed).ShouldBe(expected);

    private static List<string> Dm034(PageContent page, string family)
    {
        var r = new DocumentResult("t.xml", InputKind.Cda) { SegurKind = "ldl", TypeCode = "11490-0" };
        r.Ins.Status = InsStatus.Qualified;
        r.Ins.Oid = "1.2.250.1.213.1.4.8";
        r.Ins.Matricule = "185057512345673";
        r.Ins.BirthFamily = family;
        var pdf = new ParsedPdf { Origin = "nonXMLBody", Location = new Location(), Summary = new PdfSummary { Pages = 1 } };
        pdf.Pages.Add(page);
        r.ParsedPdfs.Add(pdf);
        var o = new ValidationOptions { RevealIdentity = true };
        var sink = new FindingSink(o);
        new DataMatrixStage(Shared.Data).Run(r, sink, new ValidationContext(Shared.Data, o));
        return sink.Findings.Where(f => f.RuleId == "DM-034").Select(f => f.Message).ToList();
    }

    [Theory]
    [InlineData("DUPONT\u2212MARTIN", "DUPONT-MARTIN")]
    [InlineData("DUPONT-MARTIN", "DUPONT\u2212MARTIN")]
    [InlineData("LOVELACE", "LOVELACE")]
    public void Cartouche_in_glyph_runs_with_look_alikes_is_found(string printed, string header)
    {
        var page = new PageContent { PageNumber = 1 };
        page.Texts.AddRange(Glyphs(printed + " Ada", 100, 700));
        page.Texts.AddRange(Glyphs("INS : 1 85 05 75 123 456 73", 100, 688));
        Dm034(page, header).ShouldBeEmpty();
        Dm034(page, "DUPOND").Count.ShouldBe(1); // a different name is still missing
    }

    private static string Tool(string name, params string[] args)
    {
        var psi = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit(120_000).ShouldBeTrue();
        return o;
    }

    [ToolFact("chromium", "pdftotext")]
    public void Chromium_pages_read_like_pdftotext_and_show_the_cartouche()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cdacheck-text-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var html = Path.Combine(dir, "c.html");
            File.WriteAllText(html, """
                <html><head><meta charset="utf-8"><style>body{font-family:sans-serif;font-size:11pt} .t{letter-spacing:0.6px}</style></head><body>
                <h1>Compte rendu de consultation</h1>
                <table><tr><td>Nom de naissance</td><td><b>DUPONT−MARTIN</b></td></tr>
                <tr><td>Prénoms</td><td>Anne‑Marie</td></tr>
                <tr><td class="t">INS</td><td class="t">1 85 05 75 123 456 73</td></tr></table>
                <p>Né(e) le 10/12/1815 — à Paris.</p></body></html>
                """);
            var pdfPath = Path.Combine(dir, "c.pdf");
            Tool("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", $"--print-to-pdf={pdfPath}", html);
            File.Exists(pdfPath).ShouldBeTrue();
            var page = PdfReader.ReadPage(PdfReader.Open(File.ReadAllBytes(pdfPath)), 0);
            page.Texts.Count.ShouldBeGreaterThan(40); // one run per glyph (or per few glyphs)
            var ours = DataMatrixStage.NormaliseName(PageText.Read(page)).Split(' ', '\n');
            var oracle = DataMatrixStage.NormaliseName(Tool("pdftotext", pdfPath, "-")).Split((char[])[' ', '\n', '\f'], StringSplitOptions.RemoveEmptyEntries);
            ours.ShouldBe(oracle, ignoreOrder: true);
            Dm034(page, "DUPONT-MARTIN").ShouldBeEmpty();
        }
        finally { Directory.Delete(dir, true); }
    }
}
