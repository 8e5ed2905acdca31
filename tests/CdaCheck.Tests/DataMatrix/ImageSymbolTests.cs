using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.DataMatrix;
using CdaCheck.TestData.Pdf;
using CdaCheck.Tests.Infrastructure;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>Image symbols at any angle, masks, and JPEG images decoded in-process (and only when read).</summary>
public class ImageSymbolTests
{
    /// <summary>The raster turned by <paramref name="degrees"/> about its centre (bilinear, white outside), as a tilted scan.</summary>
    private static (int W, int H, byte[] G) Rotate(int w, int h, byte[] g, double degrees, int seed = 0, double noise = 0)
    {
        double a = degrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
        int ow = (int)Math.Ceiling(w * Math.Abs(c) + h * Math.Abs(s)) + 4, oh = (int)Math.Ceiling(w * Math.Abs(s) + h * Math.Abs(c)) + 4;
        var o = new byte[ow * oh];
        var rnd = new Random(seed);
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
            {
                double dx = x - ow / 2.0, dy = y - oh / 2.0;
                double sx = c * dx + s * dy + w / 2.0 - 0.5, sy = -s * dx + c * dy + h / 2.0 - 0.5;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                double P(int xx, int yy) => xx < 0 || yy < 0 || xx >= w || yy >= h ? 255 : g[yy * w + xx];
                double v = P(x0, y0) * (1 - fx) * (1 - fy) + P(x0 + 1, y0) * fx * (1 - fy) + P(x0, y0 + 1) * (1 - fx) * fy + P(x0 + 1, y0 + 1) * fx * fy;
                v += noise * (rnd.NextDouble() - 0.5) * 2;
                o[y * ow + x] = (byte)Math.Clamp(Math.Round(v), 0, 255);
            }
        return (ow, oh, o);
    }

    [Theory]
    [InlineData(1, 4.0, 0)]
    [InlineData(3, 3.0, 0)]
    [InlineData(5, 3.0, 20)]
    [InlineData(4, 2.5, 0)]
    [InlineData(-2, 6.0, 30)]
    [InlineData(17, 4.0, 0)]
    [InlineData(-40, 5.0, 10)]
    public void A_tilted_image_symbol_is_decoded(double degrees, double pxPerModule, double noise)
    {
        var m = SymbolFixtures.InsSymbol();
        var (w, h, g) = SymbolFixtures.Raster(m, pxPerModule, quietModules: 3);
        var (rw, rh, rg) = Rotate(w, h, g, degrees, seed: 3, noise: noise);
        var found = ImageLocator.Find(SymbolFixtures.Image(rw, rh, rg), 1);
        found.ShouldContain(f => f.Decoded);
        found.First(f => f.Decoded).Result.Text.ShouldBe(SymbolFixtures.InsSample);
    }

    [Fact]
    public void A_colour_key_mask_is_applied_before_binarising()
    {
        // light modules are sample 0 (black!) keyed out by /Mask [0 0]; dark modules are 60: only the mask makes it readable
        var m = SymbolFixtures.InsSymbol();
        var (w, h, g) = SymbolFixtures.Raster(m, 3, quietModules: 2, darkValue: 60, lightValue: 0);
        var dict = $"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Mask [0 0] >>";
        var keyed = Page1(pg => pg.Image(new ImageSpec(dict, g), [100, 0, 0, 100, 400, 600]));
        DataMatrixLocator.Locate(keyed).ShouldContain(s => s.Decoded && s.Result.Text == SymbolFixtures.InsSample);
        var plain = Page1(pg => pg.Image(new ImageSpec(dict.Replace("/Mask [0 0]", ""), g), [100, 0, 0, 100, 400, 600]));
        DataMatrixLocator.Locate(plain).ShouldNotContain(s => s.Decoded);
    }

    private static byte[] JpegOf(int w, int h, byte[] gray, string options)
    {
        var pgm = Path.Combine(Path.GetTempPath(), $"cdacheck-{Guid.NewGuid():N}.pgm");
        var jpg = Path.ChangeExtension(pgm, ".jpg");
        try
        {
            File.WriteAllBytes(pgm, Pgm.Write(w, h, gray));
            var args = new List<string> { pgm };
            args.AddRange(options.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            args.Add(jpg);
            DmtxOracle.Run("convert", args, null, 60_000).Code.ShouldBe(0);
            return File.ReadAllBytes(jpg);
        }
        finally { File.Delete(pgm); File.Delete(jpg); }
    }

    [ToolTheory("convert")]
    [InlineData("-quality 60", "/DeviceGray", "")]
    [InlineData("-quality 80 -interlace Plane -colorspace sRGB -type TrueColor", "/DeviceRGB", "")]
    [InlineData("-quality 90 -colorspace CMYK", "/DeviceCMYK", "/Decode [1 0 1 0 1 0 1 0]")]
    [InlineData("-quality 85 -negate", "/DeviceGray", "/Decode [1 0]")]
    public void A_jpeg_symbol_is_decoded_in_process(string options, string cs, string decode)
    {
        var m = SymbolFixtures.InsSymbol();
        var (w, h, g) = SymbolFixtures.Raster(m, 4);
        var jpeg = JpegOf(w, h, g, options);
        var dict = $"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace {cs} /BitsPerComponent 8 {decode} /Filter /DCTDecode >>";
        var page = Page1(pg => pg.Image(new ImageSpec(dict, jpeg), [80, 0, 0, 80, 400, 650]));
        var found = DataMatrixLocator.Locate(page);
        found.ShouldContain(s => s.Decoded && s.Result.Text == SymbolFixtures.InsSample, $"{options} {cs} {decode}");
    }

    [ToolFact("convert")]
    public void A_jpeg_photo_is_not_decoded_when_the_symbol_is_found_first()
    {
        var photo = Enumerable.Range(0, 400 * 300).Select(i => (byte)(i % 400 * 255 / 399)).ToArray();
        var jpeg = JpegOf(400, 300, photo, "-quality 75");
        var dict = "<< /Type /XObject /Subtype /Image /Width 400 /Height 300 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode >>";
        var m = SymbolFixtures.InsSymbol();
        var page = Page1(pg =>
        {
            pg.AddModuleGrid(m, 450, 700, 2, drawLightModules: false);
            pg.Image(new ImageSpec(dict, jpeg), [200, 0, 0, 150, 56, 400]);
        });
        var img = page.Images.Single();
        img.IsDecoded.ShouldBeFalse();
        (img.Width, img.Height).ShouldBe((400, 300)); // from the JPEG frame header, without decoding
        DataMatrixLocator.Locate(page, stopAtFirstDecoded: true).ShouldContain(s => s.Decoded);
        img.IsDecoded.ShouldBeFalse();
        img.Gray.Length.ShouldBe(400 * 300);
        Math.Abs(img.Gray[150 * 400 + 200] - photo[150 * 400 + 200]).ShouldBeLessThan(12);
    }

    [Fact]
    public void A_broken_jpeg_stays_a_pdf010_finding_and_no_image()
    {
        var dict = "<< /Type /XObject /Subtype /Image /Width 20 /Height 20 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode >>";
        var doc = PdfReader.Open(OnePage(pg => pg.Image(new ImageSpec(dict, [0xFF, 0xD8, 0xFF, 0xC9, 0, 11, 8, 0, 20, 0, 20, 1, 1, 0x11, 0]), [20, 0, 0, 20, 0, 0])).ToBytes());
        var page = PdfReader.ReadPage(doc, 0);
        page.Images.ShouldBeEmpty();
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.ImageCodecSkipped && i.Detail.Contains("arithmetic"));
    }
}
