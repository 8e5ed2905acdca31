using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf.Imaging;
using CdaCheck.TestData.DataMatrix;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.Pdf;

/// <summary>The in-process JPEG decoder against ImageMagick (an independent libjpeg decoder) on generated files.</summary>
public class JpegTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"cdacheck-jpeg-{Guid.NewGuid():N}-{name}");

    /// <summary>A test picture with edges, gradients and colour (what chroma subsampling and quantisation stress).</summary>
    private static void MakeSource(string png)
    {
        var (code, _) = DmtxOracle.Run("convert", ["-size", "203x141", "gradient:red-blue", "(", "-size", "203x141", "radial-gradient:yellow-black", ")",
            "-compose", "multiply", "-composite", "-fill", "black", "-draw", "rectangle 20,20 60,90", "-fill", "white", "-draw", "circle 140,70 160,100", png], null, 60_000);
        code.ShouldBe(0);
    }

    private static byte[] Raw(string jpg, string format)
    {
        var outFile = Temp("ref." + format);
        try
        {
            var (code, _) = DmtxOracle.Run("convert", [jpg, "-depth", "8", format + ":" + outFile], null, 60_000);
            code.ShouldBe(0);
            return File.ReadAllBytes(outFile);
        }
        finally { File.Delete(outFile); }
    }

    [ToolTheory("convert")]
    [InlineData("baseline-420", "-quality 85 -sampling-factor 2x2", "rgb")]
    [InlineData("baseline-422", "-quality 60 -sampling-factor 2x1", "rgb")]
    [InlineData("baseline-444", "-quality 95 -sampling-factor 1x1", "rgb")]
    [InlineData("progressive-420", "-quality 75 -interlace Plane -sampling-factor 2x2", "rgb")]
    [InlineData("progressive-444", "-quality 50 -interlace Plane -sampling-factor 1x1", "rgb")]
    [InlineData("gray", "-colorspace Gray -quality 80", "gray")]
    [InlineData("gray-progressive", "-colorspace Gray -quality 90 -interlace Plane", "gray")]
    [InlineData("cmyk", "-colorspace CMYK -quality 90", "cmyk")]
    [InlineData("cmyk-progressive", "-colorspace CMYK -quality 70 -interlace Plane", "cmyk")]
    public void Decodes_like_libjpeg(string name, string options, string format)
    {
        var src = Temp("src.png");
        var jpg = Temp(name + ".jpg");
        try
        {
            MakeSource(src);
            var args = new List<string> { src };
            args.AddRange(options.Split(' '));
            args.Add(jpg);
            DmtxOracle.Run("convert", args, null, 60_000).Code.ShouldBe(0);
            var data = File.ReadAllBytes(jpg);
            var hdr = Jpeg.ReadHeader(data, out var why);
            hdr.ShouldNotBeNull(why);
            hdr.Progressive.ShouldBe(options.Contains("interlace"));
            var ours = Jpeg.Decode(data, 1, Jpeg.JpegOutput.Samples, null, null, 1 << 26, out int w, out int h, out int ch);
            ours.ShouldNotBeNull();
            (w, h).ShouldBe((203, 141));
            var reference = Raw(jpg, format);
            ch.ShouldBe(format switch { "gray" => 1, "rgb" => 3, _ => 4 });
            reference.Length.ShouldBe(ours.Length);
            // Adobe CMYK JPEGs store the inks inverted; ImageMagick returns the inks
            bool invert = format == "cmyk" && hdr.Adobe;
            long sum = 0; int big = 0;
            for (int i = 0; i < ours.Length; i++)
            {
                int d = Math.Abs((invert ? 255 - ours[i] : ours[i]) - reference[i]);
                sum += d;
                if (d > 24) big++;
            }
            double mean = (double)sum / ours.Length;
            mean.ShouldBeLessThan(2.0, $"mean absolute difference {mean:F2}");
            // nearest chroma upsampling differs from libjpeg's smoothing on sharp colour edges only
            ((double)big / ours.Length).ShouldBeLessThan(0.01);

            // luminance output = luminance of the samples, and half scale is a faithful reduction
            var luma = Jpeg.Decode(data, 1, Jpeg.JpegOutput.Luma, null, null, 1 << 26, out _, out _, out int lc)!;
            lc.ShouldBe(1);
            var half = Jpeg.Decode(data, 2, Jpeg.JpegOutput.Luma, null, null, 1 << 26, out int hw, out int hh, out _)!;
            (hw, hh).ShouldBe((102, 71));
            long hs = 0;
            for (int y = 0; y < 70; y++)
                for (int x = 0; x < 101; x++)
                {
                    int avg = (luma[2 * y * 203 + 2 * x] + luma[2 * y * 203 + 2 * x + 1] + luma[(2 * y + 1) * 203 + 2 * x] + luma[(2 * y + 1) * 203 + 2 * x + 1]) / 4;
                    hs += Math.Abs(avg - half[y * 102 + x]);
                }
            ((double)hs / (70 * 101)).ShouldBeLessThan(4.0);
        }
        finally { File.Delete(src); File.Delete(jpg); }
    }

    [Fact]
    public void Refuses_what_it_does_not_decode()
    {
        Jpeg.ReadHeader("\u00FF\u00D8junk"u8, out var why).ShouldBeNull();
        why.ShouldNotBeNull();
        // SOF3 (lossless)
        byte[] lossless = [0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0];
        Jpeg.ReadHeader(lossless, out why).ShouldBeNull();
        why!.ShouldContain("lossless");
        // truncated entropy data: decodes what is there, never throws
        Jpeg.Decode("\u00FF\u00D8junk"u8, 1, Jpeg.JpegOutput.Luma, null, null, 1 << 20, out _, out _, out _).ShouldBeNull();
    }

    [ToolFact("convert")]
    public void Truncated_and_corrupt_data_never_throw()
    {
        var src = Temp("src.png");
        var jpg = Temp("t.jpg");
        try
        {
            MakeSource(src);
            DmtxOracle.Run("convert", [src, "-interlace", "Plane", jpg], null, 60_000).Code.ShouldBe(0);
            var data = File.ReadAllBytes(jpg);
            var rnd = new Random(7);
            for (int i = 0; i < 40; i++)
            {
                var bad = data.AsSpan(0, rnd.Next(200, data.Length)).ToArray();
                for (int k = 0; k < 5; k++) bad[rnd.Next(150, bad.Length)] = (byte)rnd.Next(256);
                var r = Jpeg.Decode(bad, 1 + (i & 1), Jpeg.JpegOutput.Luma, null, null, 1 << 24, out int w, out int h, out _);
                if (r is not null) r.Length.ShouldBe(w * h);
            }
        }
        finally { File.Delete(src); File.Delete(jpg); }
    }
}
