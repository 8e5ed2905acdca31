using System.Diagnostics;
using System.Text.RegularExpressions;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Pdf;
using Xunit.Abstractions;

namespace CdaCheck.Tests.Pdf;

/// <summary>
/// The reader against independent tools (qpdf, poppler's pdftotext) on every PDF embedded in the
/// shared ANS examples. Skipped (passes with a note) when the corpus or the tools are absent;
/// `.ci/run` installs qpdf and poppler-utils.
/// </summary>
public class AnsPdfOracleTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<AnsPdf>> All = new(() => AnsPdfCorpus.Load(TestPaths.AnsExamples));
    private static IReadOnlyList<AnsPdf> Distinct => AnsPdfCorpus.Distinct(All.Value);

    /// <summary>Runs a tool on the PDF written to a temporary file, deleted right after (the corpus is never copied anywhere lasting).</summary>
    private static (int Exit, string Out)? RunOn(AnsPdf pdf, string tool, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cdacheck-oracle-{Environment.ProcessId}-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf.Bytes);
        try { return Run(tool, args.Contains("{pdf}") ? args.Select(a => a == "{pdf}" ? path : a).ToArray() : [.. args, path]); }
        finally { File.Delete(path); }
    }

    private static (int Exit, string Out)? Run(string tool, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) { p.Kill(); return null; }
            return (p.ExitCode, stdout.Result);
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    private bool Available(string tool, string versionArg = "--version")
    {
        if (!TestPaths.HasAnsExamples || All.Value.Count == 0) { output.WriteLine("ANS corpus absent: skipped"); return false; }
        if (Run(tool, versionArg) is null) { output.WriteLine($"{tool} not installed: skipped"); return false; }
        return true;
    }

    [SharedFact]
    public void Corpus_has_embedded_pdfs()
    {
        All.Value.Count.ShouldBeGreaterThan(20);
        Distinct.Count.ShouldBeGreaterThan(20);
    }

    [SharedFact]
    public void Page_counts_match_qpdf()
    {
        if (!Available("qpdf")) return;
        foreach (var pdf in Distinct)
        {
            var q = RunOn(pdf, "qpdf", "--show-npages");
            q.ShouldNotBeNull();
            int expected = int.Parse(q.Value.Out.Trim());
            var doc = PdfReader.Open(pdf.Bytes);
            doc.Pages.Count.ShouldBe(expected, pdf.ToString());
        }
    }

    [SharedFact]
    public void Readability_agrees_with_qpdf_check()
    {
        if (!Available("qpdf")) return;
        var validator = Shared.Validator();
        foreach (var pdf in Distinct)
        {
            var q = RunOn(pdf, "qpdf", "--check");
            q.ShouldNotBeNull();
            bool qpdfReadable = q.Value.Exit is 0 or 3; // 3 = warnings only
            var r = validator.Validate(pdf.ToString() + ".pdf", pdf.Bytes);
            bool ours = r.ParsedPdfs.Count == 1 && r.ParsedPdfs[0].Readable
                        && !r.Findings.Any(f => f.RuleId is "PDF-001" or "PDF-006" or "PDF-007" or "SEC-005");
            ours.ShouldBe(qpdfReadable, pdf.ToString());
            // qpdf found no cross-reference damage: neither should we (linearized, hybrid /XRefStm and object-stream files included)
            if (q.Value.Exit == 0) r.Findings.ShouldNotContain(f => f.RuleId == "PDF-003", pdf.ToString());
            if (qpdfReadable) r.Findings.ShouldNotContain(f => f.RuleId == "PDF-002", pdf.ToString());
            r.Findings.ShouldNotContain(f => f.RuleId.StartsWith("SEC-"), pdf.ToString());
        }
    }

    [SharedFact]
    public void Hybrid_and_stream_xref_files_are_read_without_recovery()
    {
        All.Value.Count.ShouldBeGreaterThan(0, "no embedded PDF found in the ANS examples");
        bool Has(AnsPdf p, string s) => p.Bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(s)) >= 0;
        var hybrid = Distinct.Where(p => Has(p, "/XRefStm")).ToList();
        var objStm = Distinct.Where(p => Has(p, "/ObjStm")).ToList();
        hybrid.ShouldNotBeEmpty();
        objStm.ShouldNotBeEmpty();
        foreach (var p in hybrid.Concat(objStm))
        {
            var doc = PdfReader.Open(p.Bytes);
            doc.XrefRecovered.ShouldBeFalse(p.ToString());
            doc.Issues.ShouldBeEmpty(p.ToString());
            doc.Pages.Count.ShouldBeGreaterThan(0, p.ToString());
        }
    }

    private static readonly Regex Spaces = new(@"\s+", RegexOptions.Compiled);

    [SharedFact]
    public void Page1_text_contains_the_words_pdftotext_finds()
    {
        if (!Available("pdftotext", "-v")) return;
        foreach (var pdf in Distinct)
        {
            var q = RunOn(pdf, "pdftotext", "-q", "-f", "1", "-l", "1", "-enc", "UTF-8", "{pdf}", "-");
            q.ShouldNotBeNull();
            var words = Spaces.Split(q.Value.Out).Where(w => w.Length > 0).ToList();
            var page = PdfReader.ReadPage(PdfReader.Open(pdf.Bytes), 0);
            var ours = Spaces.Replace(string.Concat(page.Texts.Select(t => t.Text)), "");
            int found = words.Count(w => ours.Contains(w, StringComparison.Ordinal));
            output.WriteLine($"{pdf}: {found}/{words.Count} words");
            if (words.Count > 0) ((double)found / words.Count).ShouldBeGreaterThanOrEqualTo(0.9, pdf.ToString());
        }
    }

    /// <summary>ANS examples whose page 1 carries an INS DataMatrix drawn by FOP as one square per module (light and dark).</summary>
    private static readonly string[] VectorDataMatrixSources =
    [
        "BIO-CR-BIO_2024.01_CR-2nde-intention-PDF", "BIO-CR-BIO_2023.01_Electrophorese", "BIO-CR-BIO_2024.01_Microbiologie",
        "BIO-CR-BIO_2024.01_DEP-CCU-HPV", "eP-MED-DM_2023.01_Poso",
    ];

    /// <summary>The biggest set of equal small squares in the top-right quarter of page 1: (count, distinct luminances, bounds).</summary>
    internal static (int Count, int Luminances, double W, double H) SquareCluster(PageContent page)
    {
        var squares = page.Rects.Where(r => Math.Abs(r.Width - r.Height) < 0.01 && r.Width is > 0.5 and < 6
                                            && r.X > page.Width / 2 && r.Y > page.Height / 2).ToList();
        if (squares.Count == 0) return (0, 0, 0, 0);
        var bySize = squares.GroupBy(r => Math.Round(r.Width, 2)).OrderByDescending(g => g.Count()).First().ToList();
        double x0 = bySize.Min(r => r.X), x1 = bySize.Max(r => r.X + r.Width), y0 = bySize.Min(r => r.Y), y1 = bySize.Max(r => r.Y + r.Height);
        int lum = bySize.Select(r => Math.Round(r.Luminance, 2)).Distinct().Count();
        return (bySize.Count, lum, x1 - x0, y1 - y0);
    }

    /// <summary>
    /// The ECC200 border read from the squares' luminance: solid left column and bottom row (the L),
    /// alternating top row and right column (the clock track). It only holds when fill colours, q/Q and
    /// the CTM are followed exactly.
    /// </summary>
    private static void FinderPatternShouldHold(PageContent page, string name)
    {
        var squares = page.Rects.Where(r => Math.Abs(r.Width - r.Height) < 0.01 && r.Width is > 0.5 and < 6
                                            && r.X > page.Width / 2 && r.Y > page.Height / 2).ToList();
        double size = squares.GroupBy(r => Math.Round(r.Width, 2)).OrderByDescending(g => g.Count()).First().Key;
        var mods = squares.Where(r => Math.Round(r.Width, 2) == size).ToList();
        double x0 = mods.Min(r => r.X), y0 = mods.Min(r => r.Y);
        int cols = (int)Math.Round((mods.Max(r => r.X) - x0) / size) + 1, rows = (int)Math.Round((mods.Max(r => r.Y) - y0) / size) + 1;
        var dark = new bool?[rows, cols]; // [row from bottom, col]
        foreach (var r in mods)
        {
            int c = (int)Math.Round((r.X - x0) / size), row = (int)Math.Round((r.Y - y0) / size);
            dark[row, c] = r.Luminance < 0.5; // the last paint wins
        }
        (rows * cols).ShouldBeGreaterThanOrEqualTo(1296, name);
        for (int i = 0; i < rows; i++)
        {
            dark[i, 0].ShouldBe(true, $"{name}: left column, row {i}");
            dark[i, cols - 1].ShouldBe(i % 2 == 0, $"{name}: right column, row {i}");
        }
        for (int c = 0; c < cols; c++)
        {
            dark[0, c].ShouldBe(true, $"{name}: bottom row, col {c}");
            dark[rows - 1, c].ShouldBe(c % 2 == 0, $"{name}: top row, col {c}");
        }
    }

    [SharedFact]
    public void Vector_datamatrix_pages_yield_module_squares_top_right()
    {
        All.Value.Count.ShouldBeGreaterThan(0, "no embedded PDF found in the ANS examples");
        var listedHashes = All.Value.Where(p => VectorDataMatrixSources.Any(s => p.Source.StartsWith(s, StringComparison.Ordinal)))
                                    .Select(p => p.Sha1).ToHashSet();
        var withCluster = new HashSet<string>();
        foreach (var pdf in Distinct)
        {
            var page = PdfReader.ReadPage(PdfReader.Open(pdf.Bytes), 0);
            var (count, lum, w, h) = SquareCluster(page);
            output.WriteLine($"{pdf}: {count} squares, {lum} luminances, {w:0.#}x{h:0.#} pt");
            if (count >= 1296)
            {
                lum.ShouldBe(2, pdf.ToString());
                w.ShouldBeLessThan(100, pdf.ToString());
                h.ShouldBeLessThan(100, pdf.ToString());
                withCluster.Add(pdf.Sha1);
                FinderPatternShouldHold(page, pdf.ToString());
            }
        }
        withCluster.ShouldBeSubsetOf(listedHashes);
        foreach (var source in VectorDataMatrixSources)
        {
            var ofSource = All.Value.Where(p => p.Source.StartsWith(source, StringComparison.Ordinal)).ToList();
            if (ofSource.Count == 0) continue;
            ofSource.ShouldContain(p => withCluster.Contains(p.Sha1), source);
        }
        withCluster.Count.ShouldBeGreaterThanOrEqualTo(5);
    }
}
