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

    /// <summary>A noisy page-like picture (odd size: partial MCUs; noise: long codes, large values, AC-heavy blocks).</summary>
    private static void MakeNoisySource(string ppm)
    {
        var (code, _) = DmtxOracle.Run("convert", ["-size", "611x457", "gradient:white-gray60", "-fill", "black", "-draw", "rectangle 40,40 200,200",
            "-draw", "rectangle 300,60 309,400", "-fill", "red", "-draw", "circle 450,300 500,380", "-seed", "3", "-attenuate", "0.6", "+noise", "Gaussian", ppm], null, 60_000);
        code.ShouldBe(0);
    }

    /// <summary>A PPM/PGM file (binary, maxval 255) as its samples.</summary>
    private static (int W, int H, int Channels, byte[] Samples) ReadPnm(byte[] f)
    {
        int pos = 0;
        string Token()
        {
            while (pos < f.Length && (char.IsWhiteSpace((char)f[pos]) || f[pos] == '#'))
            {
                if (f[pos] != '#') { pos++; continue; }
                while (pos < f.Length && f[pos] != '\n') pos++; // a comment line
            }
            int start = pos;
            while (pos < f.Length && !char.IsWhiteSpace((char)f[pos])) pos++;
            return System.Text.Encoding.ASCII.GetString(f, start, pos - start);
        }
        string magic = Token();
        int w = int.Parse(Token()), h = int.Parse(Token());
        Token().ShouldBe("255");
        pos++;
        int ch = magic == "P5" ? 1 : 3;
        return (w, h, ch, f.AsSpan(pos, w * h * ch).ToArray());
    }

    private static (int W, int H, int Channels, byte[] Samples) Djpeg(string jpg, params string[] options)
    {
        var (code, stdout) = DmtxOracle.Run("djpeg", [.. options, "-pnm", jpg], null, 60_000);
        code.ShouldBe(0);
        return ReadPnm(stdout);
    }

    /// <summary>
    /// The fast paths (look-up Huffman decoding of code and value together, the block-by-block sequential decoder that
    /// drops unused chroma, the vectorised 8×8 and 4×4 inverse DCT, the refinement scans) against libjpeg-turbo's djpeg,
    /// on files cjpeg writes with restart intervals, optimised and standard tables, 4:2:0/4:2:2/4:4:4, gray,
    /// baseline and progressive: full-size samples and luminance at 1/1, 1/2, 1/4 and 1/8 scale.
    /// </summary>
    [ToolTheory("convert", "cjpeg", "djpeg")]
    [InlineData("-quality 75 -sample 2x2 -restart 3B")]
    [InlineData("-quality 95 -sample 1x1 -restart 1")]
    [InlineData("-quality 30 -sample 2x1 -optimize")]
    [InlineData("-quality 100 -grayscale")]
    [InlineData("-quality 60 -grayscale -restart 5B")]
    [InlineData("-quality 85 -progressive -sample 2x2")]
    [InlineData("-quality 40 -progressive -sample 1x1 -restart 2B")]
    [InlineData("-quality 90 -progressive -grayscale -restart 1")]
    public void Fast_paths_match_libjpeg(string options)
    {
        var src = Temp("src.ppm");
        var jpg = Temp("fast.jpg");
        try
        {
            MakeNoisySource(src);
            DmtxOracle.Run("cjpeg", [.. options.Split(' '), "-outfile", jpg, src], null, 60_000).Code.ShouldBe(0);
            var data = File.ReadAllBytes(jpg);
            bool gray = options.Contains("grayscale");
            if (options.Contains("restart")) data.AsSpan().IndexOf([(byte)0xFF, (byte)0xDD]).ShouldBeGreaterThan(0); // a DRI segment

            // full-size samples: libjpeg's float IDCT, chroma replicated as ours (-nosmooth)
            var reference = Djpeg(jpg, "-dct", "float", "-nosmooth");
            var ours = Jpeg.Decode(data, 1, Jpeg.JpegOutput.Samples, null, null, 1 << 26, out int w, out int h, out int ch);
            ours.ShouldNotBeNull();
            (w, h, ch).ShouldBe((reference.W, reference.H, reference.Channels));
            Compare(ours, reference.Samples, 1.0, 8, "samples");

            // luminance at each scale against libjpeg's luminance averaged over the same blocks
            var y = gray ? reference.Samples : Djpeg(jpg, "-dct", "float", "-grayscale").Samples;
            foreach (int scale in new[] { 1, 2, 4, 8 })
            {
                var luma = Jpeg.Decode(data, scale, Jpeg.JpegOutput.Luma, null, null, 1 << 26, out int lw, out int lh, out int lc);
                luma.ShouldNotBeNull();
                (lw, lh, lc).ShouldBe(((w + scale - 1) / scale, (h + scale - 1) / scale, 1));
                int fw = w / scale, fh = h / scale; // whole reduced pixels only
                var ourFull = new byte[fw * fh];
                var refAvg = new byte[fw * fh];
                for (int py = 0; py < fh; py++)
                    for (int px = 0; px < fw; px++)
                    {
                        int sum = 0;
                        for (int dy = 0; dy < scale; dy++)
                            for (int dx = 0; dx < scale; dx++) sum += y[(py * scale + dy) * w + px * scale + dx];
                        refAvg[py * fw + px] = (byte)((sum + scale * scale / 2) / (scale * scale));
                        ourFull[py * fw + px] = luma[py * lw + px];
                    }
                // a reduced inverse DCT is not an average of the full one: close on average, exact at 1/1
                Compare(ourFull, refAvg, scale == 1 ? 1.0 : 3.0, scale == 1 ? 8 : 64, $"luma 1/{scale}");
            }
        }
        finally { File.Delete(src); File.Delete(jpg); }
    }

    private static void Compare(byte[] ours, byte[] reference, double maxMean, int maxDiff, string what)
    {
        ours.Length.ShouldBe(reference.Length, what);
        long sum = 0; int worst = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            int d = Math.Abs(ours[i] - reference[i]);
            sum += d;
            worst = Math.Max(worst, d);
        }
        double mean = (double)sum / ours.Length;
        mean.ShouldBeLessThan(maxMean, $"{what}: mean absolute difference {mean:F3}");
        worst.ShouldBeLessThanOrEqualTo(maxDiff, $"{what}: largest difference");
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
