using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Reporting;
using CdaCheck.TestData.DataMatrix;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Every DataMatrix a report draws (the HTML report's &lt;svg class="grid"&gt;, inspect's text grid) is rendered to
/// PNG and read with two independent barcode readers (zxing-cpp's ZXingReader and libdmtx's dmtxread): without
/// --reveal-identity nothing decodes; with it, the same drawing decodes (control: the rendering and the readers work).
/// Skipped (no assertion) when the tools are absent; .ci/run installs them.
/// </summary>
public class DrawnSymbolTests
{
    private static readonly string[] Samples = ["ldl-n1.xml", "crc-n1.xml", "cro-n1.xml", "img-n1.xml", "bio-n1.xml"];

    private static IEnumerable<string> SampleFiles() => Samples.Select(s => Path.Combine(TestPaths.TestData, "samples", s));

    [Fact]
    public void The_masked_grid_keeps_the_finder_and_the_size_and_our_decoder_reads_nothing()
    {
        var m = SymbolFixtures.InsSymbol();
        DataMatrixDecoder.DecodeInGrid(m).Status.ShouldBe(DecodeStatus.Decoded);
        var masked = SymbolDisplay.Masked(m);
        masked.GetLength(0).ShouldBe(m.GetLength(0));
        masked.GetLength(1).ShouldBe(m.GetLength(1));
        var size = SymbolSize.Find(m.GetLength(0), m.GetLength(1))!;
        Placement.FinderScore(size, masked).ShouldBe(1.0);
        DataMatrixDecoder.DecodeInGrid(masked).Status.ShouldNotBe(DecodeStatus.Decoded);
        SymbolDisplay.Masked(DataMatrixEncoder.Encode("IS0100OTHER"u8.ToArray(), new DataMatrixEncoderOptions { Size = size }))
            .Cast<bool>().ShouldBe(masked.Cast<bool>()); // the drawing does not depend on the payload
    }

    [ToolFact("rsvg-convert", "ZXingReader", "dmtxread")]
    public void No_drawn_symbol_in_the_html_report_decodes_without_reveal()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-drawn");
        try
        {
            int Decoded(bool reveal)
            {
                var html = Path.Combine(dir.FullName, reveal ? "revealed.html" : "masked.html");
                var run = CliRunner.Invoke(["validate", "--format", "html", "-o", html, .. (reveal ? new[] { "--reveal-identity" } : []), .. SampleFiles()]);
                run.ExitCode.ShouldBeOneOf(0, 1);
                var svgs = Regex.Matches(File.ReadAllText(html), "<svg class=\"grid\".*?</svg>", RegexOptions.Singleline).Select(x => x.Value).ToList();
                svgs.Count.ShouldBeGreaterThanOrEqualTo(3);
                int n = 0;
                for (int i = 0; i < svgs.Count; i++)
                {
                    var svg = Path.Combine(dir.FullName, $"{(reveal ? "r" : "m")}{i}.svg");
                    var png = Path.ChangeExtension(svg, ".png");
                    File.WriteAllText(svg, svgs[i]);
                    Run("rsvg-convert", "-z", "2", "-b", "white", "-o", png, svg).Code.ShouldBe(0);
                    if (Readers(png)) n++;
                }
                return n;
            }
            Decoded(reveal: true).ShouldBeGreaterThanOrEqualTo(3); // control
            Decoded(reveal: false).ShouldBe(0);
        }
        finally { dir.Delete(true); }
    }

    [ToolFact("ZXingReader", "dmtxread")]
    public void No_drawn_symbol_in_inspect_decodes_without_reveal()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-drawn");
        try
        {
            int revealed = 0, masked = 0;
            foreach (var f in SampleFiles())
                foreach (var reveal in new[] { true, false })
                {
                    var run = CliRunner.Invoke([.. new[] { "inspect" }, .. (reveal ? new[] { "--reveal-identity" } : []), f]);
                    var grid = TextGrid(run.Stdout);
                    if (grid is null) continue;
                    var png = Path.Combine(dir.FullName, Path.GetFileNameWithoutExtension(f) + (reveal ? "-r" : "-m") + ".png");
                    var (w, h, g) = SymbolFixtures.Raster(grid, 6, 3);
                    File.WriteAllBytes(png, Png.WriteGray(w, h, g));
                    if (Readers(png)) { if (reveal) revealed++; else masked++; }
                }
            revealed.ShouldBeGreaterThanOrEqualTo(3); // control: the text grid as drawn is a readable symbol
            masked.ShouldBe(0);
        }
        finally { dir.Delete(true); }
    }

    /// <summary>The module grid inspect prints: the run of lines made of '█' and spaces only (two characters per module).</summary>
    private static bool[,]? TextGrid(string stdout)
    {
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var rows = new List<string>();
        foreach (var l in lines)
        {
            var t = l.StartsWith("    ", StringComparison.Ordinal) ? l[4..] : null;
            if (t is not null && t.Length > 0 && t.Contains('█') && t.All(c => c is '█' or ' ')) rows.Add(t);
            else if (rows.Count > 0) break;
        }
        if (rows.Count == 0) return null;
        int cols = rows.Max(r => r.Length) / 2;
        var m = new bool[rows.Count, cols];
        for (int y = 0; y < rows.Count; y++)
            for (int x = 0; x < cols; x++) m[y, x] = 2 * x < rows[y].Length && rows[y][2 * x] == '█';
        return m;
    }

    /// <summary>True when either reader decodes a DataMatrix in the image.</summary>
    private static bool Readers(string png)
    {
        var z = Run("ZXingReader", "-format", "DataMatrix", "-bytes", png);
        if (z.Stdout.Length > 0) return true;
        return DmtxOracle.Read(png, 30_000) is not null;
    }

    private static (int Code, string Stdout) Run(string tool, params string[] args) => ExternalTool.Run(tool, 60_000, args);
}
