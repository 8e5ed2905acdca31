using System.Diagnostics;
using System.Text;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Evidence;
using CdaCheck.TestData.Composite;
using static CdaCheck.Tests.Evidence.EvidenceFixtures;

namespace CdaCheck.Tests.Evidence;

/// <summary>Independent oracles (poppler, libdmtx, qpdf) on the evidence PDF; each test is a no-op when its tool is absent.</summary>
public class EvidenceOracleTests
{
    private static bool Has(string tool) => RasterFallback.FindOnPath(tool) is not null;

    private static (int Code, string Stdout) Run(string tool, params string[] args) => ExternalTool.Run(tool, 120_000, args);

    private static (byte[] Before, byte[] After, List<string> Needles) Pair(SymbolStyle style, bool xrefStream)
    {
        var b = Builder("ldl", style, xrefStream);
        var input = b.ToBytes();
        var outcome = EvidenceWriter.Create(input, Shared.Data);
        outcome.Accepted.ShouldBeTrue(string.Join("; ", outcome.Refusals));
        return (EmbeddedPdfs(input)[0], EmbeddedPdfs(outcome.Output!)[0], Needles(b));
    }

    private static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "cdacheck-evd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    [Theory]
    [InlineData(SymbolStyle.VectorDarkAndLight, false)]
    [InlineData(SymbolStyle.Image4Px, true)]
    public void Pdftotext_finds_no_identity_value_in_the_evidence_pdf(SymbolStyle style, bool xrefStream)
    {
        if (!Has("pdftotext")) return;
        var (before, after, needles) = Pair(style, xrefStream);
        var dir = TempDir();
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "before.pdf"), before);
            File.WriteAllBytes(Path.Combine(dir, "after.pdf"), after);
            var (c0, t0) = Run("pdftotext", Path.Combine(dir, "before.pdf"), "-");
            var (c1, t1) = Run("pdftotext", Path.Combine(dir, "after.pdf"), "-");
            c0.ShouldBe(0); c1.ShouldBe(0);
            t0.ShouldContain(needles[1]); // positive control: the original shows the birth family name
            foreach (var n in needles) t1.Contains(n, StringComparison.OrdinalIgnoreCase).ShouldBeFalse();
            t1.ShouldContain("Compte rendu fictif");
        }
        finally { if (Environment.GetEnvironmentVariable("CDACHECK_KEEP_TMP") is null) Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData(SymbolStyle.VectorDarkAndLight, false)]
    [InlineData(SymbolStyle.VectorDarkOnly, true)]
    [InlineData(SymbolStyle.Image2Px, false)]
    [InlineData(SymbolStyle.Image4Px, true)]
    public void Dmtxread_decodes_nothing_on_the_rendered_evidence_page(SymbolStyle style, bool xrefStream)
    {
        if (!Has("pdftoppm") || !Has("dmtxread")) return;
        var (before, after, _) = Pair(style, xrefStream);
        var dir = TempDir();
        try
        {
            string Decode(byte[] pdf, string name)
            {
                var path = Path.Combine(dir, name + ".pdf");
                File.WriteAllBytes(path, Widen(pdf));
                var (c, _) = Run("pdftoppm", "-r", "150", "-gray", "-f", "1", "-l", "1", "-singlefile", path, Path.Combine(dir, name));
                c.ShouldBe(0);
                var (_, text) = Run("dmtxread", "-n", "-N1", "-m", "2000", Path.Combine(dir, name + ".pgm"));
                return text;
            }
            Decode(before, "before").ShouldStartWith("IS0100"); // positive control: the oracle reads the original symbol
            Decode(after, "after").ShouldBeEmpty();
        }
        finally { if (Environment.GetEnvironmentVariable("CDACHECK_KEEP_TMP") is null) Directory.Delete(dir, true); }
    }

    /// <summary>
    /// The SegurPdf fixture draws the symbol from x=520 pt, so symbols wider than 37 modules overrun the A4 page
    /// edge (595.28 pt) and a renderer clips them. For the raster oracle the page is widened to 700 pt (same byte
    /// length, so the rewritten file's offsets stay valid); the drawing itself is unchanged.
    /// </summary>
    private static byte[] Widen(byte[] pdf)
    {
        var plain = new PdfRewriter(CdaCheck.Core.Pdf.PdfReader.Open(pdf)).Write(null);
        var text = Encoding.Latin1.GetString(plain);
        text.ShouldContain("595.28");
        return Encoding.Latin1.GetBytes(text.Replace("595.28", "700.00", StringComparison.Ordinal));
    }

    [Fact]
    public void Qpdf_finds_the_rewritten_pdf_structurally_sound()
    {
        if (!Has("qpdf")) return;
        var (_, after, _) = Pair(SymbolStyle.Image2Px, true);
        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "after.pdf");
            File.WriteAllBytes(path, after);
            var (code, output) = Run("qpdf", "--check", path);
            code.ShouldBe(0, output);
        }
        finally { if (Environment.GetEnvironmentVariable("CDACHECK_KEEP_TMP") is null) Directory.Delete(dir, true); }
    }
}
