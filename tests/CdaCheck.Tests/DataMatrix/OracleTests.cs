using System.Text;
using CdaCheck.Core.DataMatrix;
using CdaCheck.TestData.DataMatrix;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>
/// Cross-checks against libdmtx (Debian dmtx-utils, installed by .ci/run). Skipped silently
/// (passing without assertions) when the tools are absent.
/// </summary>
public class OracleTests
{
    private static string Temp(string name) => Path.Combine(Path.GetTempPath(), $"cdacheck-dm-{Guid.NewGuid():N}-{name}");

    /// <summary>Random printable ASCII with GS separators and digit runs.</summary>
    private static byte[] RandomPayload(Random rnd, int length)
    {
        var b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            int k = rnd.Next(10);
            b[i] = k == 0 ? (byte)0x1D : k < 4 ? (byte)rnd.Next('0', '9' + 1) : (byte)rnd.Next(32, 127);
        }
        return b;
    }

    public static IEnumerable<object[]> Sizes() => new[]
    {
        "10x10", "12x12", "16x16", "22x22", "26x26", "32x32", "40x40", "52x52", "64x64", "72x72", "96x96", "120x120", "144x144",
        "8x18", "8x32", "12x26", "12x36", "16x36", "16x48",
    }.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Our_encoder_is_read_by_dmtxread(string sizeName)
    {
        if (!DmtxOracle.Available) return;
        var parts = sizeName.Split('x');
        var size = SymbolSize.Find(int.Parse(parts[0]), int.Parse(parts[1]))!;
        var rnd = new Random(size.Rows * 7 + size.Columns);
        // Fill up to about 70% of the capacity (each byte costs at most 1 codeword in ASCII, digit pairs less).
        var payload = RandomPayload(rnd, Math.Max(1, size.DataCodewords * 7 / 10));
        var m = DataMatrixEncoder.Encode(payload, new DataMatrixEncoderOptions { Size = size });
        var (w, h, g) = SymbolFixtures.Raster(m, 4, 2);
        var png = Temp("ours.png");
        try
        {
            File.WriteAllBytes(png, Png.WriteGray(w, h, g));
            var read = DmtxOracle.Read(png);
            read.ShouldNotBeNull($"dmtxread could not read our {sizeName} symbol");
            read.ShouldBe(payload);
        }
        finally { File.Delete(png); }
    }

    [Theory]
    [InlineData(Encodation.C40)]
    [InlineData(Encodation.Text)]
    [InlineData(Encodation.X12)]
    [InlineData(Encodation.Edifact)]
    [InlineData(Encodation.Base256)]
    public void Our_modes_are_read_by_dmtxread(Encodation mode)
    {
        if (!DmtxOracle.Available) return;
        var text = mode switch
        {
            Encodation.X12 => "ABC*123>DEF 456 XYZ",
            Encodation.Edifact => "EDIFACT:DATA+123'?ABC",
            _ => "IS010000000000000000000000S1185057512345673S21.2.250.1.213.1.4.8\u001DS3ADA\u001Dlower{}",
        };
        var payload = Encoding.Latin1.GetBytes(text);
        var (w, h, g) = SymbolFixtures.Raster(DataMatrixEncoder.Encode(payload, new DataMatrixEncoderOptions { Mode = mode, C40PrefixLength = mode == Encodation.Base256 ? 26 : 0 }), 4, 2);
        var png = Temp("mode.png");
        try
        {
            File.WriteAllBytes(png, Png.WriteGray(w, h, g));
            DmtxOracle.Read(png).ShouldBe(payload);
        }
        finally { File.Delete(png); }
    }

    public static IEnumerable<object[]> WriteCases()
    {
        var sizes = new[] { "10x10", "14x14", "18x18", "24x24", "36x36", "44x44", "48x48", "52x52", "80x80", "104x104", "132x132", "144x144", "8x32", "12x36", "16x48" };
        int i = 0;
        foreach (var s in sizes) yield return new object[] { s, (i++ % 3) switch { 0 => 1, 1 => 2, _ => 4 } };
    }

    [Theory]
    [MemberData(nameof(WriteCases))]
    public void Dmtxwrite_symbols_are_read_by_our_image_locator(string sizeName, int modulePx)
    {
        if (!DmtxOracle.Available) return;
        var parts = sizeName.Split('x');
        var size = SymbolSize.Find(int.Parse(parts[0]), int.Parse(parts[1]))!;
        var rnd = new Random(size.Rows * 13 + size.Columns + modulePx);
        var payload = RandomPayload(rnd, Math.Max(1, size.DataCodewords * 6 / 10));
        var png = Temp("dmtx.png");
        try
        {
            DmtxOracle.Write(payload, png, modulePx, 2 * modulePx, sizeName).ShouldBeTrue();
            var (w, h, g) = Png.ReadGray(File.ReadAllBytes(png));
            var found = ImageLocator.FindInGray(w, h, g);
            found.Count.ShouldBe(1);
            found[0].Result.Status.ShouldBe(DecodeStatus.Decoded, found[0].Result.Reason);
            found[0].Result.Payload.ShouldBe(payload);
            found[0].Result.Size!.ToString().ShouldBe(sizeName);
        }
        finally { File.Delete(png); }
    }

    [Theory]
    [InlineData('c')]
    [InlineData('t')]
    [InlineData('x')]
    [InlineData('e')]
    [InlineData('8')]
    [InlineData('b')]
    public void Dmtxwrite_modes_are_decoded(char mode)
    {
        if (!DmtxOracle.Available) return;
        var text = mode switch
        {
            'x' => "ABC*123>DEF 456 XYZ 7890",
            'e' => "EDIFACT:DATA+123'?ABC",
            _ => PayloadRuleTests.Good,
        };
        var payload = Encoding.Latin1.GetBytes(text);
        var png = Temp("mode.png");
        try
        {
            DmtxOracle.Write(payload, png, 3, 6, encoding: mode).ShouldBeTrue();
            var (w, h, g) = Png.ReadGray(File.ReadAllBytes(png));
            var r = ImageLocator.FindInGray(w, h, g).Single().Result;
            r.Status.ShouldBe(DecodeStatus.Decoded, r.Reason);
            r.Payload.ShouldBe(payload);
        }
        finally { File.Delete(png); }
    }

    [Theory]
    [InlineData(90, 1)]
    [InlineData(180, 2)]
    [InlineData(270, 3)]
    public void Dmtxwrite_symbols_rotated_are_decoded(int degrees, int modulePx)
    {
        if (!DmtxOracle.Available) return;
        var payload = Encoding.ASCII.GetBytes(PayloadRuleTests.Good);
        var png = Temp("rot.png");
        try
        {
            DmtxOracle.Write(payload, png, modulePx, 4 * modulePx).ShouldBeTrue();
            var (w, h, g) = Png.ReadGray(File.ReadAllBytes(png));
            // rotate the pixels clockwise (dmtxwrite -R does not rotate PNG output)
            for (int k = 0; k < degrees / 90; k++)
            {
                var o = new byte[g.Length];
                for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) o[x * h + (h - 1 - y)] = g[y * w + x];
                (w, h, g) = (h, w, o);
            }
            var r = ImageLocator.FindInGray(w, h, g).Single().Result;
            r.Status.ShouldBe(DecodeStatus.Decoded, r.Reason);
            r.Payload.ShouldBe(payload);
            r.Orientation.ShouldNotBe(0);
        }
        finally { File.Delete(png); }
    }

    [Fact]
    public void Ins_header_from_dmtxwrite_c40_is_reported_as_c40()
    {
        if (!DmtxOracle.Available) return;
        var png = Temp("ins.png");
        try
        {
            DmtxOracle.Write(Encoding.ASCII.GetBytes(PayloadRuleTests.Good), png, 2, 4, encoding: 'c').ShouldBeTrue();
            var (w, h, g) = Png.ReadGray(File.ReadAllBytes(png));
            var r = ImageLocator.FindInGray(w, h, g).Single().Result;
            r.IsEncodedIn(Encodation.C40, 0, 26).ShouldBeTrue();
        }
        finally { File.Delete(png); }
    }
}
