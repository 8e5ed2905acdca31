using System.Globalization;
using System.Text;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.DataMatrix;
using CdaCheck.TestData.Pdf;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>
/// Vector symbols as real producers draw them: modules as closed paths rounded to 0.05 pt (LibreOffice), runs
/// merged into one outline, symbols under a rotating transform or with the rotation baked into the coordinates.
/// </summary>
public class ProducerVectorTests
{
    private static PdfDocument AnyDoc
    {
        get
        {
            var w = new PdfWriter();
            w.AddPage(100, 100);
            return PdfReader.Open(w.ToBytes());
        }
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static List<LocatedSymbol> Decode(Action<PdfPageBuilder> draw)
    {
        var w = new PdfWriter();
        draw(w.AddPage(595, 842));
        var page = PdfReader.ReadPage(PdfReader.Open(w.ToBytes()), 0);
        var r = DataMatrixLocator.Locate(page);
        return r;
    }

    private static void ShouldDecode(List<LocatedSymbol> found) =>
        found.ShouldContain(s => s.Decoded && s.Result.Text == SymbolFixtures.InsSample, $"{found.Count} located: {string.Join(", ", found.Select(f => f.Result.Status + " " + f.Result.Reason))}");

    [Theory]
    [InlineData(1)] [InlineData(3)] [InlineData(5)] [InlineData(-2)] [InlineData(30)] [InlineData(45)]
    [InlineData(90)] [InlineData(180)] [InlineData(270)] [InlineData(357)]
    public void Rectangles_under_a_rotating_transform(double degrees)
    {
        var m = SymbolFixtures.InsSymbol();
        ShouldDecode(Decode(p => p.Text("Compte rendu", 72, 760).AddModuleGrid(m, 400, 600, 2, false, rotationDegrees: degrees)));
        ShouldDecode(Decode(p => p.AddModuleGrid(m, 400, 600, 1.5, true, rotationDegrees: degrees)));
    }

    /// <summary>
    /// LibreOffice's drawing: each dark module a closed path "m l l l l h f*" with page coordinates rounded to 0.05 pt,
    /// optionally rotated about the symbol's centre before rounding, optionally one outline per horizontal run with a
    /// point at every module boundary (merged modules).
    /// </summary>
    private static string ClosedPaths(bool[,] m, double x, double y, double module, double degrees, bool mergeRuns, double grid = 0.05, bool midStart = false)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        double t = degrees * Math.PI / 180, cos = Math.Cos(t), sin = Math.Sin(t);
        double cx = x + cols * module / 2, cy = y + rows * module / 2;
        string P(double px, double py)
        {
            double rx = cx + (px - cx) * cos - (py - cy) * sin, ry = cy + (px - cx) * sin + (py - cy) * cos;
            return $"{F(Math.Round(rx / grid) * grid)} {F(Math.Round(ry / grid) * grid)}";
        }
        var sb = new StringBuilder("0 g\n");
        for (int r = 0; r < rows; r++)
        {
            double y0 = y + (rows - 1 - r) * module, y1 = y0 + module;
            for (int c = 0; c < cols;)
            {
                if (!m[r, c]) { c++; continue; }
                int e = c;
                if (mergeRuns) while (e + 1 < cols && m[r, e + 1]) e++;
                double x0 = x + c * module, x1 = x + (e + 1) * module;
                if (midStart && e == c)
                {
                    // LibreOffice: from the middle of the bottom side, round the four corners, back to the middle
                    double xm = (x0 + x1) / 2;
                    sb.Append(P(xm, y0)).Append(" m ").Append(P(x0, y0)).Append(" l ").Append(P(x0, y1)).Append(" l ")
                      .Append(P(x1, y1)).Append(" l ").Append(P(x1, y0)).Append(" l ").Append(P(xm, y0)).Append(" l h f*\n");
                    c = e + 1;
                    continue;
                }
                sb.Append(P(x0, y0)).Append(" m ");
                for (int k = c + 1; k <= e + 1; k++) sb.Append(P(x + k * module, y0)).Append(" l ");
                for (int k = e + 1; k >= c; k--) sb.Append(P(x + k * module, y1)).Append(" l ");
                sb.Append(P(x0, y0)).Append(" l h f*\n");
                c = e + 1;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// LibreOffice Draw's own export (measured on LibreOffice 7.4): each module a closed path starting in the middle of
    /// its bottom side, coordinates on its grid of 1/100 mm, so that under a rotation the starting point lies up to
    /// 0.02 pt off the side it splits (5 corners, not 4, unless that point is recognised as collinear).
    /// </summary>
    [Theory]
    [InlineData(1.5, 0)] [InlineData(1.5, 1)] [InlineData(1.5, 3)] [InlineData(0.85, 5)] [InlineData(2.5, 30)] [InlineData(0.6, 2)]
    public void LibreOffice_paths_starting_mid_side_on_its_hundredth_of_a_millimetre_grid(double module, double degrees)
    {
        var m = SymbolFixtures.InsSymbol();
        ShouldDecode(Decode(p => p.Raw(ClosedPaths(m, 400.03, 600.02, module, degrees, false, grid: 72 / 2540.0, midStart: true))));
    }

    [Theory]
    [InlineData(1.55, 0, false)] [InlineData(1.6, 0, false)] [InlineData(0.8, 0, false)]
    [InlineData(1.55, 0, true)] [InlineData(0.8, 0, true)]
    [InlineData(1.55, 90, false)] [InlineData(1.55, 180, true)] [InlineData(1.55, 270, false)]
    public void Closed_paths_rounded_to_a_twentieth_of_a_point(double module, double degrees, bool mergeRuns)
    {
        var m = SymbolFixtures.InsSymbol();
        ShouldDecode(Decode(p => p.Raw(ClosedPaths(m, 400.03, 600.02, module, degrees, mergeRuns))));
    }

    /// <summary>
    /// cairo's drawing (what rsvg-convert and python3-cairo write): every module's corners computed by the producer under
    /// a rotation and a shear (x' = x + tan(shear)·y), written to 0.001 pt; as one path of module subpaths filled
    /// once, or as a clipping path ("W n") filled by one rectangle over the symbol.
    /// </summary>
    private static string CairoModules(bool[,] m, double x, double y, double module, double degrees, double shearDegrees, bool clip)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        double t = degrees * Math.PI / 180, cos = Math.Cos(t), sin = Math.Sin(t), sh = Math.Tan(shearDegrees * Math.PI / 180);
        double side = cols * module;
        string P(double px, double py)
        {
            px -= side / 2; py -= side / 2;
            px += sh * py;
            double rx = x + px * cos - py * sin, ry = y + px * sin + py * cos;
            return $"{F(Math.Round(rx, 3))} {F(Math.Round(ry, 3))}";
        }
        var sb = new StringBuilder("0 g\n");
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                if (!m[r, c]) continue;
                double x0 = c * module, y0 = (rows - 1 - r) * module;
                sb.Append(P(x0, y0)).Append(" m ").Append(P(x0 + module, y0)).Append(" l ")
                  .Append(P(x0 + module, y0 + module)).Append(" l ").Append(P(x0, y0 + module)).Append(" l h\n");
            }
        if (!clip) return sb.Append("f\n").ToString();
        sb.Append("W n\n");
        return "q " + sb + $"{P(-module, -module)} m {P(side + module, -module)} l {P(side + module, side + module)} l {P(-module, side + module)} l h f Q\n";
    }

    [Theory]
    [InlineData(0, 0, false)] [InlineData(1, 0, false)] [InlineData(5, 0, false)] [InlineData(0, 2, false)] [InlineData(1, -3, false)]
    [InlineData(0, 0, true)] [InlineData(3, 0, true)] [InlineData(2, 2, true)]
    public void Modules_rotated_and_sheared_by_the_producer_or_drawn_as_a_clip(double degrees, double shear, bool clip)
    {
        var m = SymbolFixtures.InsSymbol();
        ShouldDecode(Decode(p => p.Text("Compte rendu", 72, 760).Raw(CairoModules(m, 440, 640, 1.42, degrees, shear, clip))));
    }

    [Fact]
    public void A_clip_that_is_not_made_of_modules_paints_nothing_of_its_own()
    {
        // a cell clipped to a rectangle, then a large fill: the fill is recorded as it is, no shapes come from the clip
        var page = ContentInterpreter.ScanContent(AnyDoc, Encoding.ASCII.GetBytes("q 10 10 50 50 re W n 0 0 100 100 re f Q 5 5 2 2 re f"), null);
        page.Rects.ShouldBe(new[] { new FilledRect(0, 0, 100, 100, 0), new FilledRect(5, 5, 2, 2, 0) });
    }

    [Fact]
    public void A_fill_under_a_module_clip_paints_the_modules_it_covers_and_Q_ends_the_clip()
    {
        var content = new StringBuilder("q ");
        for (int i = 0; i < 8; i++) content.Append($"{i * 4} 0 2 2 re ");
        content.Append("W n 0.2 g 0 0 15 3 re f Q 0 g 50 50 1 1 re f");
        var page = ContentInterpreter.ScanContent(AnyDoc, Encoding.ASCII.GetBytes(content.ToString()), null);
        // modules whose centre is inside the filled rectangle (x ≤ 15: the first 4), in the fill's colour; after Q, no clip
        page.Rects.Count.ShouldBe(5);
        page.Rects.Take(4).ShouldAllBe(r => r.Width == 2 && r.Height == 2 && Math.Abs(r.Luminance - 0.2) < 1e-9);
        page.Rects[4].ShouldBe(new FilledRect(50, 50, 1, 1, 0));
    }

    [Fact]
    public void A_rectilinear_outline_is_cut_into_rectangles()
    {
        // an L of three modules (2 wide on the bottom row), and a U, both filled even-odd
        var page = ContentInterpreter.ScanContent(AnyDoc, Encoding.ASCII.GetBytes(
            "0 0 m 4 0 l 4 2 l 2 2 l 2 4 l 0 4 l h f*\n10 0 m 16 0 l 16 4 l 14 4 l 14 2 l 12 2 l 12 4 l 10 4 l h f*"), null);
        page.Rects.ShouldBe(new[]
        {
            new FilledRect(0, 0, 4, 2, 0), new FilledRect(0, 2, 2, 2, 0),
            new FilledRect(10, 0, 6, 2, 0), new FilledRect(10, 2, 2, 2, 0), new FilledRect(14, 2, 2, 2, 0),
        });
        page.Quads.ShouldBeEmpty();
    }

    [Fact]
    public void A_rotated_rectangle_is_a_quad_and_a_skewed_one_is_nothing()
    {
        var page = ContentInterpreter.ScanContent(AnyDoc, Encoding.ASCII.GetBytes(
            "q 0.9962 0.0872 -0.0872 0.9962 100 100 cm 0 0 2 2 re f Q\n0 0 m 2 0 l 3 2 l 1 2 l h f"), null);
        page.Rects.ShouldBeEmpty();
        page.Quads.Count.ShouldBe(1);
        page.Quads[0].Angle.ShouldBe(5, 0.01);
    }
}
