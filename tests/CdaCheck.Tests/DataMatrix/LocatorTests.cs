using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.DataMatrix;

namespace CdaCheck.Tests.DataMatrix;

public class VectorLocatorTests
{
    private static readonly bool[,] Symbol = SymbolFixtures.InsSymbol();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Edge_sort_gives_the_order_of_a_comparison_sort(int shape)
    {
        var random = new Random(shape);
        foreach (int n in new[] { 0, 1, 5, 16, 17, 64, 65, 300, 2000 })
        {
            var v = new double[n];
            for (int i = 0; i < n; i++)
                v[i] = shape switch
                {
                    0 => 100 + 0.75 * random.Next(0, 24), // a symbol's column edges, row by row: many equal values
                    1 => random.NextDouble() * 1e6 - 5e5,
                    2 => i % 7 == 0 ? 1e300 : random.Next(-3, 3) * 0.05 + (random.Next(2) == 0 ? 0.0 : -0.0), // clustered, one far value
                    _ => 100 + 0.75 * (i % 24) + random.NextDouble() * 0.02, // columns turned back from a rotation
                };
            var expected = (double[])v.Clone();
            Array.Sort(expected);
            VectorLocator.SortFinite(v);
            v.ShouldBe(expected);
        }
    }

    [Theory]
    [InlineData(VectorStyle.DarkOnly)]
    [InlineData(VectorStyle.DarkAndLight)]
    [InlineData(VectorStyle.MergedRuns)]
    public void Finds_and_decodes_vector_symbols(VectorStyle style)
    {
        var page = SymbolFixtures.VectorPage(Symbol, style);
        var found = DataMatrixLocator.Locate(page);
        found.Count.ShouldBe(1);
        var s = found[0];
        s.Decoded.ShouldBeTrue(s.Result.Reason);
        s.Result.Text.ShouldBe(SymbolFixtures.InsSample);
        s.Source.ShouldBe("vector");
        s.Box.X.ShouldBe(500, 0.01);
        s.Box.Width.ShouldBe(Symbol.GetLength(1) * 2.0, 0.01);
        (s.Box.Y + s.Box.Height).ShouldBe(741, 0.01);
        s.Result.IsEncodedIn(Encodation.C40, 0, 26).ShouldBeTrue();
    }

    [Fact]
    public void Fop_style_with_quiet_zone_rects_and_grey_levels()
    {
        // Light modules drawn too (including the quiet zone), dark not quite black, light not quite white.
        var page = SymbolFixtures.VectorPage(SymbolFixtures.WithQuietZone(Symbol, 2), VectorStyle.DarkAndLight, lumDark: 0.1, lumLight: 0.95, module: 1.7);
        var s = DataMatrixLocator.Locate(page).Single();
        s.Decoded.ShouldBeTrue();
        s.Result.Text.ShouldBe(SymbolFixtures.InsSample);
    }

    [Fact]
    public void Fop_style_counting_every_rect_as_dark_would_fail()
    {
        // Guard: the fill luminance matters. All rects dark → an all-black grid, not a symbol.
        var page = SymbolFixtures.VectorPage(Symbol, VectorStyle.DarkAndLight, lumDark: 0, lumLight: 0);
        DataMatrixLocator.Locate(page).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void Rotated_and_mirrored_vector_symbols(int transform)
    {
        var page = SymbolFixtures.VectorPage(DataMatrixDecoder.Orient(Symbol, transform), VectorStyle.DarkOnly);
        var s = DataMatrixLocator.Locate(page).Single();
        s.Decoded.ShouldBeTrue();
        s.Result.Text.ShouldBe(SymbolFixtures.InsSample);
        s.Result.Orientation.ShouldNotBe(0);
    }

    [Fact]
    public void Two_symbols_on_one_page()
    {
        var page = SymbolFixtures.VectorPage(Symbol, VectorStyle.DarkOnly);
        var other = DataMatrixEncoder.Encode("SECOND SYMBOL");
        SymbolFixtures.AddVector(page, other, VectorStyle.DarkOnly, 100, 400, 3);
        var found = DataMatrixLocator.Locate(page);
        found.Count.ShouldBe(2);
        found.Select(f => f.Result.Text).ShouldBe(new[] { SymbolFixtures.InsSample, "SECOND SYMBOL" }, ignoreOrder: true);
    }

    [Fact]
    public void Masked_vector_symbol_is_located_but_undecodable()
    {
        var page = SymbolFixtures.VectorPage(Symbol, VectorStyle.DarkAndLight);
        int n = Symbol.GetLength(0);
        // A white box painted over the centre of the symbol (the finder and clock stay visible).
        page.Rects.Add(new FilledRect(500 + 3 * 2, 741 - (n - 3) * 2, (n - 6) * 2, (n - 6) * 2, 1));
        var s = DataMatrixLocator.Locate(page).Single();
        s.Result.Status.ShouldBe(DecodeStatus.LocatedButUndecodable);
        s.Result.Size!.Rows.ShouldBe(n);
    }

    [Fact]
    public void A_page_without_symbol_finds_nothing()
    {
        var page = new PageContent { PageNumber = 1 };
        var rnd = new Random(5);
        for (int i = 0; i < 300; i++) page.Rects.Add(new FilledRect(rnd.Next(500), rnd.Next(800), 2, 2, 0)); // scattered squares
        for (int i = 0; i < 20; i++) page.Rects.Add(new FilledRect(40, 100 + i * 30, 500, 0.5, 0));
        DataMatrixLocator.Locate(page).ShouldBeEmpty();
    }
}

public class ImageLocatorTests
{
    private static readonly bool[,] Symbol = SymbolFixtures.InsSymbol();

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    [InlineData(2.7)]
    [InlineData(5.3)]
    public void Decodes_images_at_any_scale(double scale)
    {
        var (w, h, g) = SymbolFixtures.Raster(Symbol, scale);
        var page = new PageContent { PageNumber = 1 };
        page.Images.Add(SymbolFixtures.Image(w, h, g));
        var s = DataMatrixLocator.Locate(page).Single();
        s.Decoded.ShouldBeTrue(s.Result.Reason);
        s.Result.Text.ShouldBe(SymbolFixtures.InsSample);
        s.Source.ShouldBe("image");
        // the box on the page is the symbol part of the 80 pt image (quiet zone excluded)
        int n = Symbol.GetLength(0);
        s.Box.Width.ShouldBe(80.0 * n / (n + 4), 80.0 / (n + 4) + 1);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 2.0)]
    [InlineData(3, 4.0)]
    [InlineData(4, 1.0)]
    [InlineData(5, 3.0)]
    [InlineData(6, 2.5)]
    [InlineData(7, 4.0)]
    public void Rotated_and_mirrored_images(int transform, double scale)
    {
        var (w, h, g) = SymbolFixtures.Raster(DataMatrixDecoder.Orient(Symbol, transform), scale);
        var found = ImageLocator.FindInGray(w, h, g);
        found.Count.ShouldBe(1);
        found[0].Result.Status.ShouldBe(DecodeStatus.Decoded);
        found[0].Result.Text.ShouldBe(SymbolFixtures.InsSample);
    }

    [Theory]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    public void Image_rotated_by_its_transform(int degrees)
    {
        var (w, h, g) = SymbolFixtures.Raster(Symbol, 3);
        var page = new PageContent { PageNumber = 1 };
        page.Images.Add(SymbolFixtures.Image(w, h, g, x: 100, y: 200, size: 60, rotateDegrees: degrees));
        var s = DataMatrixLocator.Locate(page).Single();
        s.Decoded.ShouldBeTrue();
        s.Box.X.ShouldBeInRange(100, 110);
        s.Box.Y.ShouldBeInRange(200, 210);
    }

    [Fact]
    public void Grey_levels_and_noise_are_binarised()
    {
        var (w, h, g) = SymbolFixtures.Raster(Symbol, 4, darkValue: 60, lightValue: 200);
        var rnd = new Random(11);
        for (int i = 0; i < g.Length; i++) g[i] = (byte)Math.Clamp(g[i] + rnd.Next(-30, 31), 0, 255);
        var found = ImageLocator.FindInGray(w, h, g);
        found.Single().Result.Text.ShouldBe(SymbolFixtures.InsSample);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Partly_masked_image_is_located_but_undecodable(bool blackMask)
    {
        double scale = 4;
        var (w, h, g) = SymbolFixtures.Raster(Symbol, scale);
        int n = Symbol.GetLength(0);
        // mask the central area, keep finder and clock tracks
        int a = (int)((2 + 3) * scale), b = (int)((2 + n - 3) * scale);
        for (int y = a; y < b; y++) for (int x = a; x < b; x++) g[y * w + x] = blackMask ? (byte)0 : (byte)255;
        var found = ImageLocator.FindInGray(w, h, g);
        found.Single().Result.Status.ShouldBe(DecodeStatus.LocatedButUndecodable);
    }

    [Fact]
    public void Symbol_inside_a_page_sized_raster_is_found()
    {
        // a 150 dpi "page" with text-like noise and the symbol near the top right
        int w = 1240, h = 1754;
        var g = Enumerable.Repeat((byte)255, w * h).ToArray();
        var rnd = new Random(2);
        for (int k = 0; k < 400; k++)
        {
            int x = rnd.Next(50, 900), y = rnd.Next(300, 1600);
            for (int dy = 0; dy < 12; dy++) for (int dx = 0; dx < 3; dx++) g[(y + dy) * w + x + dx] = 0; // glyph strokes
        }
        var (sw, sh, sg) = SymbolFixtures.Raster(Symbol, 4, 0);
        for (int y = 0; y < sh; y++) for (int x = 0; x < sw; x++) g[(100 + y) * w + 1000 + x] = sg[y * sw + x];
        var found = ImageLocator.FindInGray(w, h, g);
        found.Count(f => f.Result.Status == DecodeStatus.Decoded).ShouldBe(1);
        found.First(f => f.Result.Status == DecodeStatus.Decoded).X.ShouldBe(1000);
    }

    [Fact]
    public void Text_like_shapes_are_not_symbols()
    {
        int w = 200, h = 200;
        var g = Enumerable.Repeat((byte)255, w * h).ToArray();
        // a big "L" and a filled square
        for (int y = 20; y < 120; y++) for (int x = 20; x < 28; x++) g[y * w + x] = 0;
        for (int y = 112; y < 120; y++) for (int x = 20; x < 100; x++) g[y * w + x] = 0;
        for (int y = 140; y < 190; y++) for (int x = 120; x < 170; x++) g[y * w + x] = 0;
        ImageLocator.FindInGray(w, h, g).ShouldBeEmpty();
    }

    [Fact]
    public void Pgm_round_trip()
    {
        var (w, h, g) = SymbolFixtures.Raster(Symbol, 2);
        var back = Pgm.Read(Pgm.Write(w, h, g))!.Value;
        back.Width.ShouldBe(w);
        back.Gray.ShouldBe(g);
        Pgm.Read([1, 2, 3]).ShouldBeNull();
    }
}

public class LocatorRobustnessTests
{
    [Fact]
    public void Module_rects_smaller_than_the_pitch()
    {
        var m = SymbolFixtures.InsSymbol();
        var page = new PageContent { PageNumber = 1 };
        for (int r = 0; r < m.GetLength(0); r++)
            for (int c = 0; c < m.GetLength(1); c++)
                if (m[r, c]) page.Rects.Add(new FilledRect(100 + c * 2.0, 500 - r * 2.0, 1.7, 1.7, 0.05));
        var s = DataMatrixLocator.Locate(page).Single();
        s.Decoded.ShouldBeTrue();
        s.Result.Text.ShouldBe(SymbolFixtures.InsSample);
    }

    [Fact]
    public void Hostile_rects_and_images_do_not_throw()
    {
        var page = SymbolFixtures.VectorPage(SymbolFixtures.InsSymbol(), VectorStyle.DarkOnly);
        page.Rects.Add(new FilledRect(double.NaN, 3, 2, 2, 0));
        page.Rects.Add(new FilledRect(1e300, -1e300, 2, 2, 0));
        page.Rects.Add(new FilledRect(5, 5, double.PositiveInfinity, 2, 0));
        page.Rects.Add(new FilledRect(500, 700, -2, -2, double.NaN));
        for (int i = 0; i < 10; i++) page.Rects.Add(new FilledRect(1e6 + i * 2, 1e6, 2, 2, 0));
        page.Images.Add(new PlacedImage(100, 100, new byte[10], CdaCheck.Core.Pdf.Matrix.Identity));        // too few samples
        page.Images.Add(new PlacedImage(1, 1, new byte[1], CdaCheck.Core.Pdf.Matrix.Identity));
        page.Images.Add(new PlacedImage(50, 50, new byte[2500], new CdaCheck.Core.Pdf.Matrix(double.NaN, 0, 0, 1, 0, 0))); // flat
        var found = DataMatrixLocator.Locate(page);
        found.Count(f => f.Decoded).ShouldBe(1);
    }

    [Fact]
    public void Random_module_matrices_never_throw()
    {
        var rnd = new Random(9);
        for (int i = 0; i < 300; i++)
        {
            var size = SymbolSize.All[rnd.Next(SymbolSize.All.Count)];
            var m = DataMatrixEncoder.Encode(new string('A', rnd.Next(1, 3)), new DataMatrixEncoderOptions { Size = size });
            // scramble data modules heavily but keep the finder: located, never an exception
            for (int k = 0; k < size.Rows * size.Columns / 3; k++)
            {
                int r = rnd.Next(1, size.Rows - 1), c = rnd.Next(1, size.Columns - 1);
                if (Placement.FinderModule(size, r, c) is null) m[r, c] = !m[r, c];
            }
            var res = DataMatrixDecoder.DecodeAnyOrientation(m);
            res.Status.ShouldNotBe(DecodeStatus.NotASymbol);
        }
    }

    [Fact]
    public void Random_codewords_decode_or_fail_cleanly()
    {
        // Valid RS over random data codewords: decodation must never throw, whatever the bytes.
        var rnd = new Random(4);
        foreach (var size in SymbolSize.All)
            for (int i = 0; i < 20; i++)
            {
                var data = new byte[size.DataCodewords];
                rnd.NextBytes(data);
                var m = DataMatrixEncoder.Render(size, DataMatrixEncoder.AddErrorCorrection(size, data));
                var r = DataMatrixDecoder.Decode(m);
                r.Status.ShouldNotBe(DecodeStatus.NotASymbol);
                r.ErrorsCorrected.ShouldBe(0);
            }
    }
}

public class MaskedQuarterTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    [InlineData(false, 3)]
    public void Quarter_masked_over_the_clock_corner_is_located(bool black, int quarter)
    {
        // quarter 1: top right (clock corner); 3: bottom left (finder corner is kept: mask stops 1 module inside)
        var sym = SymbolFixtures.InsSymbol();
        int n = sym.GetLength(0);
        double scale = 4;
        var (w, h, g) = SymbolFixtures.Raster(sym, scale);
        int q = 2 * (int)scale; // quiet zone in px
        int half = (int)(n / 2 * scale);
        int x0 = quarter == 1 ? q + half : q + (int)scale, y0 = quarter == 1 ? q : q + half;
        int x1 = quarter == 1 ? q + (int)(n * scale) : q + half, y1 = quarter == 1 ? q + half : q + (int)((n - 1) * scale);
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) g[y * w + x] = black ? (byte)0 : (byte)255;
        var found = ImageLocator.FindInGray(w, h, g);
        found.Count.ShouldBe(1);
        found[0].Result.Status.ShouldBe(DecodeStatus.LocatedButUndecodable);
    }
}

public class TouchingContentTests
{
    [Fact]
    public void Symbol_touching_a_thin_table_rule_in_a_page_raster()
    {
        int w = 600, h = 400;
        var g = Enumerable.Repeat((byte)255, w * h).ToArray();
        var (sw, sh, sg) = SymbolFixtures.Raster(SymbolFixtures.InsSymbol(), 4, 0);
        int ox = 300, oy = 100;
        for (int y = 0; y < sh; y++) for (int x = 0; x < sw; x++) g[(oy + y) * w + ox + x] = sg[y * sw + x];
        // a 2 px table rule along the bottom edge of the symbol and a vertical one touching its left side
        for (int x = 20; x < 580; x++) { g[(oy + sh) * w + x] = 0; g[(oy + sh + 1) * w + x] = 0; }
        for (int y = 20; y < 380; y++) { g[y * w + ox - 1] = 0; }
        // text strokes touching the top right
        for (int y = oy - 12; y < oy + 2; y++) g[y * w + ox + sw - 3] = 0;
        var found = ImageLocator.FindInGray(w, h, g);
        var s = found.Single(f => f.Result.Status == DecodeStatus.Decoded);
        s.Result.Text.ShouldBe(SymbolFixtures.InsSample);
        s.X.ShouldBeInRange(ox - 1, ox + 1);
    }
}

public class FopLayoutTests
{
    [Fact]
    public void Fop_layout_with_flipped_heights_and_background_before()
    {
        // Apache FOP (ANS examples): page CTM flips y, so rectangles come with negative heights;
        // a white background of the symbol's size is painted first, then one 2 pt rect per module.
        var m = SymbolFixtures.InsSymbol();
        int n = m.GetLength(0);
        var page = new PageContent { PageNumber = 1 };
        page.Rects.Add(new FilledRect(499.505, 740.941, 2.0 * n, -2.0 * n, 1));
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                page.Rects.Add(new FilledRect(499.505 + 2 * c, 740.941 - 2 * r, 2, -2, m[r, c] ? 0 : 1));
        page.Rects.Add(new FilledRect(17.2, 727.6, 300, -114.4, 1)); // later shapes elsewhere on the page
        var s = DataMatrixLocator.Locate(page).Single();
        s.Decoded.ShouldBeTrue();
        s.Result.Text.ShouldBe(SymbolFixtures.InsSample);
        s.Box.X.ShouldBe(499.505, 0.001);
        s.Box.Y.ShouldBe(740.941 - 2 * n, 0.001);
    }
}
