using System.Text;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.Pdf;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.Pdf;

public class ContentInterpreterTests
{
    private static PageContent Raw(string ops) => Page1(p => p.Raw(ops));

    [Theory]
    [InlineData("0 g", 0.0)]
    [InlineData("1 g", 1.0)]
    [InlineData("0.5 g", 0.5)]
    [InlineData("1 0 0 rg", 0.299)]
    [InlineData("0 0 1 rg", 0.114)]
    [InlineData("0 0 0 1 k", 0.0)]
    [InlineData("0 0 0 0 k", 1.0)]
    [InlineData("1 0 0 0 k", 0.701)] // cyan = (0,1,1)
    [InlineData("/DeviceGray cs 0.25 sc", 0.25)]
    [InlineData("/DeviceRGB cs 0 1 0 scn", 0.587)]
    [InlineData("/DeviceCMYK cs 0 0 0 0.5 scn", 0.5)]
    public void Fill_colour_becomes_luminance(string colour, double lum)
    {
        var p = Raw($"{colour} 10 20 30 40 re f");
        p.Rects.Count.ShouldBe(1);
        p.Rects[0].ShouldBe(new FilledRect(10, 20, 30, 40, p.Rects[0].Luminance));
        p.Rects[0].Luminance.ShouldBe(lum, 1e-9);
    }

    [Fact]
    public void Writer_colours_round_trip()
    {
        var p = Page1(pg => pg.FillRect(0, 0, 5, 5, PdfColor.Rgb(1, 1, 1)).FillRect(5, 0, 5, 5, PdfColor.Cmyk(0, 0, 0, 1)).FillRect(10, 0, 5, 5, PdfColor.Gray(0.3)));
        p.Rects.Select(r => Math.Round(r.Luminance, 3)).ShouldBe(new[] { 1.0, 0.0, 0.3 });
    }

    [Fact]
    public void Named_colour_spaces_resolve_through_resources()
    {
        var objs = MinimalObjects("/CS0 cs 1 scn 0 0 10 10 re f /CS1 cs 0.5 scn 0 0 10 10 re f /CS2 cs 1 scn 0 0 10 10 re f",
            "/ColorSpace << /CS0 [/ICCBased 6 0 R] /CS1 [/Separation /Black /DeviceCMYK 7 0 R] /CS2 [/Indexed /DeviceRGB 1 <000000FFFFFF>] >>",
            StreamObj("x", "/N 1"), "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0 0 1] /N 1 >>");
        var p = Page1(HandMade(objs));
        p.Rects.Select(r => Math.Round(r.Luminance, 9)).ShouldBe(new[] { 1.0, 0.5, 1.0 });
    }

    [Fact]
    public void Ctm_and_graphics_state_stack()
    {
        var p = Raw("q 2 0 0 3 100 200 cm 1 g 0 0 10 10 re f Q 0 0 10 10 re f");
        p.Rects[0].ShouldBe(new FilledRect(100, 200, 20, 30, 1));
        p.Rects[1].ShouldBe(new FilledRect(0, 0, 10, 10, 0)); // colour and CTM restored by Q
    }

    [Fact]
    public void Flipped_and_rotated_ctm_still_give_axis_aligned_rects()
    {
        var p = Raw("q 1 0 0 -1 0 800 cm 10 10 20 5 re f Q q 0 1 -1 0 300 0 cm 0 0 20 5 re f Q q 0.7071 0.7071 -0.7071 0.7071 0 0 cm 0 0 20 5 re f Q");
        p.Rects.Count.ShouldBe(2); // the 45° one is not axis-aligned
        p.Rects[0].ShouldBe(new FilledRect(10, 785, 20, 5, 0));
        p.Rects[1].X.ShouldBe(295, 1e-9);
        p.Rects[1].Y.ShouldBe(0, 1e-9);
        p.Rects[1].Width.ShouldBe(5, 1e-9);
        p.Rects[1].Height.ShouldBe(20, 1e-9);
    }

    [Fact]
    public void Negative_re_sizes_are_normalised()
    {
        Raw("10 10 -5 -4 re f").Rects.Single().ShouldBe(new FilledRect(5, 6, 5, 4, 0));
    }

    [Theory]
    [InlineData("0 0 m 10 0 l 10 10 l 0 10 l h f", 1)]
    [InlineData("0 0 m 10 0 l 10 10 l 0 10 l 0 0 l h f", 1)] // closing point repeated (FOP)
    [InlineData("0 0 m 10 0 l 10 10 l 0 10 l f*", 1)]
    [InlineData("0 0 m 10 0 l 10 10 l 0 10 l b", 1)]
    [InlineData("0 0 m 10 0 l 10 10 l 0 10 l B*", 1)]
    [InlineData("0 0 m 10 0 l 5 10 l h f", 0)] // triangle
    [InlineData("0 0 m 10 1 l 10 10 l 0 10 l h f", 0)] // not axis-aligned
    [InlineData("0 0 m 10 10 l 10 0 l 0 10 l h f", 0)] // bow tie
    [InlineData("0 0 m 10 0 l 10 10 c 0 10 l h f", 0)] // curve
    [InlineData("0 0 10 10 re n", 0)]
    [InlineData("0 0 10 10 re S", 0)]
    [InlineData("0 0 10 10 re W n", 0)]
    [InlineData("0 0 10 10 re 20 0 10 10 re f", 2)]
    [InlineData("0 0 10 10 re F", 1)]
    public void Which_paths_become_filled_rects(string ops, int count)
    {
        Raw(ops).Rects.Count.ShouldBe(count);
    }

    [Fact]
    public void Module_grid_dark_only_and_dark_and_light()
    {
        var m = new bool[,] { { true, false, true }, { false, true, false } };
        var dark = Page1(p => p.AddModuleGrid(m, 500, 700, 2, drawLightModules: false));
        dark.Rects.Count.ShouldBe(3);
        dark.Rects.ShouldAllBe(r => r.Luminance == 0 && r.Width == 2 && r.Height == 2);
        dark.Rects.ShouldContain(new FilledRect(500, 702, 2, 2, 0)); // row 0 col 0 is the top-left module
        var both = Page1(p => p.AddModuleGrid(m, 500, 700, 2, drawLightModules: true));
        both.Rects.Count.ShouldBe(6);
        both.Rects.Count(r => r.Luminance == 1).ShouldBe(3);
        both.Rects.ShouldContain(new FilledRect(502, 702, 2, 2, 1));
    }

    [Fact]
    public void Rotated_module_grid_stays_axis_aligned_at_90_degrees()
    {
        var m = new bool[,] { { true, false, false }, { false, false, false } }; // 3 wide, 2 high, top-left dark
        var p = Page1(pg => pg.AddModuleGrid(m, 100, 100, 2, drawLightModules: false, rotationDegrees: 90));
        // centre (103, 102); the top-left module (100..102, 102..104) turns 90° counter-clockwise to (101..103, 99..101)
        var r = p.Rects.Single();
        r.X.ShouldBe(101, 1e-9);
        r.Y.ShouldBe(99, 1e-9);
        r.Width.ShouldBe(2, 1e-9);
        Page1(pg => pg.AddModuleGrid(m, 100, 100, 2, false, rotationDegrees: 30)).Rects.ShouldBeEmpty();
    }

    private static readonly bool[,] Checker = BuildChecker();

    private static bool[,] BuildChecker()
    {
        var m = new bool[4, 6];
        for (int r = 0; r < 4; r++) for (int c = 0; c < 6; c++) m[r, c] = (r + c) % 2 == 0 || c == 0;
        return m;
    }

    private static void ShouldMatchModules(PlacedImage img, int px)
    {
        img.Width.ShouldBe(6 * px);
        img.Height.ShouldBe(4 * px);
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 6; c++)
                img.Gray[(r * px + px / 2) * img.Width + c * px + px / 2].ShouldBe(Checker[r, c] ? (byte)0 : (byte)255, $"module {r},{c}");
    }

    [Theory]
    [InlineData(ModuleImageKind.Gray8, 1)]
    [InlineData(ModuleImageKind.Gray8, 4)]
    [InlineData(ModuleImageKind.Bit1, 2)]
    [InlineData(ModuleImageKind.Bit1Inverted, 3)]
    [InlineData(ModuleImageKind.Rgb, 2)]
    [InlineData(ModuleImageKind.Mask, 2)]
    public void Module_images_decode_to_gray(ModuleImageKind kind, int px)
    {
        var p = Page1(pg => pg.AddModuleImage(Checker, 400, 600, 2, px, 0, kind));
        var img = p.Images.Single();
        ShouldMatchModules(img, px);
        img.Bounds.ShouldBe(new CdaCheck.Core.Rules.Box(400, 600, 12, 8));
    }

    [Fact]
    public void Rotated_module_image_keeps_its_matrix()
    {
        var img = Page1(pg => pg.AddModuleImage(Checker, 400, 600, 2, 2, 90)).Images.Single();
        img.Transform.A.ShouldBe(0, 1e-9);
        img.Transform.B.ShouldBe(12, 1e-9);
        img.Transform.C.ShouldBe(-8, 1e-9);
        var b = img.Bounds;
        b.Width.ShouldBe(8, 1e-9);
        b.Height.ShouldBe(12, 1e-9);
        (b.X + b.Width / 2).ShouldBe(406, 1e-9); // rotated about the centre
        (b.Y + b.Height / 2).ShouldBe(604, 1e-9);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Gray_images_at_2_and_4_bits(int bpc)
    {
        var gray = new byte[] { 0, 255, 128, 64, 255, 0, 0, 255 };
        var img = Page1(pg => pg.Image(ImageSpec.GrayBits(4, 2, gray, bpc), [10, 0, 0, 10, 0, 0])).Images.Single();
        int max = (1 << bpc) - 1;
        img.Gray.ShouldBe(gray.Select(g => (byte)Math.Round((g >> (8 - bpc)) * 255.0 / max)).ToArray());
    }

    [Fact]
    public void Indexed_images_use_the_palette()
    {
        var img = Page1(pg => pg.Image(ImageSpec.Indexed(3, 1, [0, 1, 2], [0, 0, 0, 255, 255, 255, 255, 0, 0]), [3, 0, 0, 1, 0, 0])).Images.Single();
        img.Gray.ShouldBe(new byte[] { 0, 255, 76 });
        var img4 = Page1(pg => pg.Image(ImageSpec.Indexed(3, 1, [1, 0, 1], [0, 0, 0, 255, 255, 255], bpc: 4), [3, 0, 0, 1, 0, 0])).Images.Single();
        img4.Gray.ShouldBe(new byte[] { 255, 0, 255 });
    }

    [Fact]
    public void Inline_image()
    {
        var gray = new byte[] { 0, 10, 200, 255, 69, 73 }; // contains "EI" bytes (69, 73)
        var p = Page1(pg => pg.InlineImage(3, 2, gray, [30, 0, 0, 20, 5, 5]).FillRect(0, 0, 1, 1, PdfColor.Black));
        var img = p.Images.Single();
        img.Gray.ShouldBe(gray);
        img.Bounds.ShouldBe(new CdaCheck.Core.Rules.Box(5, 5, 30, 20));
        p.Rects.Count.ShouldBe(1); // parsing continued after EI
    }

    [Fact]
    public void Inline_image_with_filter_and_abbreviations()
    {
        var p = Raw("q 4 0 0 1 0 0 cm BI /W 4 /H 1 /CS /G /BPC 8 /F /AHx ID 00FF80FF> EI Q 0 0 1 1 re f");
        p.Images.Single().Gray.ShouldBe(new byte[] { 0, 255, 128, 255 });
        p.Rects.Count.ShouldBe(1);
    }

    [Fact]
    public void Dct_images_are_skipped_with_an_issue()
    {
        var objs = MinimalObjects("q 10 0 0 10 0 0 cm /Im1 Do Q", "/XObject << /Im1 6 0 R >>",
            StreamObj("\u00FF\u00D8\u00FF\u00E0junk", "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode"));
        var doc = PdfReader.Open(HandMade(objs));
        PdfReader.ReadPage(doc, 0).Images.ShouldBeEmpty();
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.ImageCodecSkipped && i.ObjectNumber == 6);
    }

    [Fact]
    public void Form_xobjects_apply_their_matrix_and_nest()
    {
        var p = Page1(pg => pg
            .Form(f => f.FillRect(0, 0, 10, 10, PdfColor.Gray(0.5))
                        .Form(g => g.FillRect(1, 1, 2, 2, PdfColor.Black), matrix: [1, 0, 0, 1, 100, 0]),
                  matrix: [2, 0, 0, 2, 0, 0], cm: [1, 0, 0, 1, 50, 50])
            .FillRect(0, 0, 1, 1, PdfColor.White));
        p.Rects.Count.ShouldBe(3);
        p.Rects[0].ShouldBe(new FilledRect(50, 50, 20, 20, 0.5));
        p.Rects[1].ShouldBe(new FilledRect(252, 52, 4, 4, 0));
        p.Rects[2].ShouldBe(new FilledRect(0, 0, 1, 1, 1)); // state restored after the forms
    }

    [Fact]
    public void Form_cycle_and_depth_are_bounded()
    {
        var objs = MinimalObjects("/Fx Do 0 0 5 5 re f", "/XObject << /Fx 6 0 R >>",
            StreamObj("0 0 1 1 re f /Fx Do", "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /Fx 6 0 R >> >>"));
        var doc = PdfReader.Open(HandMade(objs));
        var p = PdfReader.ReadPage(doc, 0);
        p.Rects.Count.ShouldBe(2);
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.DepthExceeded);
        // a chain of distinct forms deeper than the limit
        var chain = new List<string>();
        for (int i = 0; i < 40; i++)
            chain.Add(StreamObj($"/F{i + 1} Do", $"/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /F{i + 1} {i + 7} 0 R >> >>"));
        chain.Add(StreamObj("0 0 1 1 re f", "/Type /XObject /Subtype /Form /BBox [0 0 1 1]"));
        var deep = PdfReader.Open(HandMade(MinimalObjects("/F0 Do", "/XObject << /F0 6 0 R >>", [.. chain])));
        Should.Throw<PdfLimitException>(() => PdfReader.ReadPage(deep, 0)).Kind.ShouldBe(PdfIssueKind.DepthExceeded);
        // the same chain cut at 10 levels is drawn
        var shortChain = chain.Take(10).Select((c, i) => i == 9 ? StreamObj("0 0 1 1 re f", "/Type /XObject /Subtype /Form /BBox [0 0 1 1]") : c).ToArray();
        PdfReader.ReadPage(PdfReader.Open(HandMade(MinimalObjects("/F0 Do", "/XObject << /F0 6 0 R >>", shortChain))), 0).Rects.Count.ShouldBe(1);
    }

    [Fact]
    public void Text_winansi_positions_and_size()
    {
        var p = Page1(pg => pg.Text("Née à Zürich – 3 €", 72, 700, 10));
        var t = p.Texts.Single();
        t.Text.ShouldBe("Née à Zürich – 3 €");
        t.X.ShouldBe(72);
        t.Y.ShouldBe(700);
        t.FontSize.ShouldBe(10);
    }

    [Fact]
    public void Text_operators_move_the_line()
    {
        var p = Raw("BT /F1 10 Tf 14 TL 100 500 Td (a) Tj T* (b) Tj 0 -20 TD (c) Tj (d) ' 1 2 (e) \" 2 0 0 2 50 60 Tm (f) Tj ET");
        p.Texts.Select(t => t.Text).ShouldBe(new[] { "a", "b", "c", "d", "e", "f" });
        p.Texts.Select(t => t.Y).ShouldBe(new double[] { 500, 486, 466, 446, 426, 60 });
        p.Texts[5].FontSize.ShouldBe(20);
        p.Texts[5].X.ShouldBe(50);
        p.Texts[1].X.ShouldBe(100);
    }

    [Fact]
    public void Text_advances_with_widths_and_TJ_gaps_become_spaces()
    {
        var objs = MinimalObjects("BT /F2 10 Tf 0 0 Td (AB) Tj (C) Tj [(D) -500 (E) 100 (F)] TJ ET", "/Font << /F2 6 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 65 /LastChar 70 /Widths [500 500 500 500 500 500] >>");
        var p = Page1(HandMade(objs));
        p.Texts.Select(t => t.Text).ShouldBe(new[] { "AB", "C", "D EF" });
        p.Texts[1].X.ShouldBe(10, 1e-9); // 2 glyphs × 500/1000 × 10
        p.Texts[2].X.ShouldBe(15, 1e-9);
    }

    [Fact]
    public void Spacing_scaling_and_rise_move_the_text()
    {
        var objs = MinimalObjects("BT /F2 10 Tf 0 0 Td 2 Tc 3 Tw (A A) Tj (B) Tj 50 Tz (C) Tj (D) Tj 5 Ts (E) Tj ET", "/Font << /F2 6 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 69 /Widths [250 " + string.Join(" ", Enumerable.Repeat("500", 37)) + "] >>");
        var p = Page1(HandMade(objs));
        p.Texts.Select(t => t.Text).ShouldBe(new[] { "A A", "B", "C", "D", "E" });
        // "A A": 5+2, 2.5+2+3, 5+2 = 21.5; "B": 7; then 50% scaling: "C" advances (5+2)×0.5 = 3.5
        p.Texts[1].X.ShouldBe(21.5, 1e-9);
        p.Texts[2].X.ShouldBe(28.5, 1e-9);
        p.Texts[3].X.ShouldBe(32, 1e-9);
        p.Texts[4].Y.ShouldBe(5, 1e-9);
        p.Texts[3].Y.ShouldBe(0, 1e-9);
    }

    [Fact]
    public void Image_mask_paints_the_fill_colour()
    {
        var gray = new byte[] { 0, 255, 0, 255 };
        var img = Page1(pg => pg.Image(ImageSpec.Mask(4, 1, gray), [4, 0, 0, 1, 0, 0], "0.5 g")).Images.Single();
        img.Gray.ShouldBe(new byte[] { 128, 255, 128, 255 });
        var red = Page1(pg => pg.Image(ImageSpec.Mask(4, 1, gray), [4, 0, 0, 1, 0, 0], "1 0 0 rg")).Images.Single();
        red.Gray[0].ShouldBe((byte)76);
    }

    [Fact]
    public void Identity_h_with_tounicode()
    {
        var w = new PdfWriter();
        var f = w.AddFont(new PdfFontSpec("ArialMT", null, IdentityH: true));
        w.AddPage().Text("ABCD Matricule 1 802 ŒÉ", 100, 100, 9, f);
        var bytes = w.ToBytes();
        var t = Page1(bytes).Texts.Single();
        t.Text.ShouldBe("ABCD Matricule 1 802 ŒÉ");
        t.FontSize.ShouldBe(9);
    }

    [Fact]
    public void Identity_h_without_tounicode_gives_no_text()
    {
        var w = new PdfWriter();
        var f = w.AddFont(new PdfFontSpec("ArialMT", null, IdentityH: true, WithToUnicode: false));
        w.AddPage().Text("ABC", 100, 100, 9, f);
        Page1(w.ToBytes()).Texts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("StandardEncoding", "It’s ﬁne — «ok»")]
    [InlineData("MacRomanEncoding", "Éçàü ∞ ≠ π")]
    [InlineData("WinAnsiEncoding", "Œuvre „x“ ™")]
    public void Simple_font_encodings(string encoding, string text)
    {
        var w = new PdfWriter();
        var f = w.AddFont(new PdfFontSpec("Times-Roman", encoding));
        w.AddPage().Text(text, 10, 10, 12, f);
        Page1(w.ToBytes()).Texts.Single().Text.ShouldBe(text);
    }

    [Fact]
    public void Differences_override_the_base_encoding()
    {
        var w = new PdfWriter();
        var f = w.AddFont(new PdfFontSpec("Custom", "WinAnsiEncoding", new Dictionary<int, string> { [1] = "eacute", [2] = "uni20AC", [3] = "f_i", [65] = "Z" }));
        w.AddPage().Raw($"BT /{f} 12 Tf 0 0 Td <01020341> Tj ET");
        Page1(w.ToBytes()).Texts.Single().Text.ShouldBe("é€fiZ");
    }

    [Fact]
    public void Tounicode_bfrange_with_array_and_multichar()
    {
        var cmap = "/CIDInit /ProcSet findresource begin 1 begincodespacerange <00> <FF> endcodespacerange " +
                   "2 beginbfrange <41> <43> <0061> <44> <45> [<00660069> <263A>] endbfrange 1 beginbfchar <46> <00E9> endbfchar endcmap";
        var objs = MinimalObjects("BT /F2 12 Tf 0 0 Td (ABCDEF) Tj ET", "/Font << /F2 6 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /X /ToUnicode 7 0 R >>", StreamObj(cmap));
        Page1(HandMade(objs)).Texts.Single().Text.ShouldBe("abcfi☺é");
    }

    [Fact]
    public void Contents_array_and_hostile_operands_do_not_crash()
    {
        var objs = MinimalObjects("x");
        objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents [4 0 R 6 0 R] /Resources << /Font << /F1 5 0 R >> >> >>";
        objs[3] = StreamObj("0 0 1 1 re f cm re Tf Do q q Q Q Q Q (unbalanced) Tj ] >> } 1 2 3 4 5 6 7 8 9 10 m");
        var all = objs.Append(StreamObj("5 5 2 2 re f")).ToArray();
        var p = Page1(HandMade(all));
        p.Rects.Count.ShouldBe(2);
        p.Rects[1].ShouldBe(new FilledRect(5, 5, 2, 2, 0));
    }

    [Fact]
    public void Graphics_state_depth_is_bounded()
    {
        Should.Throw<PdfLimitException>(() => Raw(string.Concat(Enumerable.Repeat("q ", 300)))).Kind.ShouldBe(PdfIssueKind.DepthExceeded);
        Raw(string.Concat(Enumerable.Repeat("q ", 200)) + "0 0 1 1 re f").Rects.Count.ShouldBe(1);
    }

    [Fact]
    public void Huge_images_are_not_decoded()
    {
        var objs = MinimalObjects("q 10 0 0 10 0 0 cm /Im1 Do Q", "/XObject << /Im1 6 0 R >>",
            StreamObj("x", "/Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray /BitsPerComponent 8"));
        var doc = PdfReader.Open(HandMade(objs));
        PdfReader.ReadPage(doc, 0).Images.ShouldBeEmpty();
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.ImageTooLarge && i.ObjectNumber == 6);
    }

    [Fact]
    public void Missing_contents_object_is_a_format_error()
    {
        var objs = MinimalObjects("x");
        objs[2] = objs[2].Replace("/Contents 4 0 R", "/Contents 99 0 R");
        Should.Throw<PdfFormatException>(() => Page1(HandMade(objs)));
        objs[2] = objs[2].Replace("/Contents 99 0 R", "");
        Page1(HandMade(objs)).Rects.ShouldBeEmpty(); // no /Contents at all: a blank page
    }
}
