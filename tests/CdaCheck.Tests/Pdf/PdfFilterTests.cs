using System.Text;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.Pdf;

namespace CdaCheck.Tests.Pdf;

public class PdfFilterTests
{
    private static readonly byte[] Sample = BuildSample();

    private static byte[] BuildSample()
    {
        var rnd = new Random(42);
        var b = new byte[3000];
        for (int i = 0; i < b.Length; i++) b[i] = i % 7 == 0 ? (byte)rnd.Next(256) : (byte)(i / 50);
        return b;
    }

    private static byte[] Decode(byte[] data, string dictEntries, long max = 1 << 24)
    {
        var lx = new PdfLexer(Encoding.ASCII.GetBytes("<< " + dictEntries + " >>"));
        var dict = (PdfDictionary)lx.ReadObject()!;
        var r = PdfFilters.Decode(data, dict.Get("Filter"), dict.Get("DecodeParms"), max, o => o);
        r.StoppedAt.ShouldBeNull();
        return r.Data;
    }

    [Theory]
    [InlineData(StreamEncoding.None)]
    [InlineData(StreamEncoding.Flate)]
    [InlineData(StreamEncoding.AsciiHex)]
    [InlineData(StreamEncoding.Ascii85)]
    [InlineData(StreamEncoding.RunLength)]
    [InlineData(StreamEncoding.Lzw)]
    [InlineData(StreamEncoding.LzwNoEarlyChange)]
    [InlineData(StreamEncoding.AsciiHexThenFlate)]
    public void Round_trips_through_each_filter(StreamEncoding enc)
    {
        var (data, dict) = PdfEncoders.Encode(Sample, enc);
        if (enc != StreamEncoding.None) data.ShouldNotBe(Sample);
        Decode(data, dict).ShouldBe(Sample);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Png_predictor_all_row_types(int colors)
    {
        var (data, dict) = PdfEncoders.Encode(Sample, StreamEncoding.FlatePng, columns: 100 / colors, colors: colors);
        int rowBytes = 100 / colors * colors;
        var expected = new byte[(Sample.Length + rowBytes - 1) / rowBytes * rowBytes]; // the last row is padded
        Sample.CopyTo(expected, 0);
        Decode(data, dict).ShouldBe(expected);
    }

    [Fact]
    public void Hostile_predictor_parameters_stay_bounded()
    {
        var data = PdfEncoders.Flate([2, 1, 1, 1]);
        var r = Decode(data, "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 1000000 /Colors 32 /BitsPerComponent 16 >>");
        r.Length.ShouldBeLessThanOrEqualTo(4);
    }

    [Fact]
    public void Tiff_predictor()
    {
        var (data, dict) = PdfEncoders.Encode(Sample, StreamEncoding.FlateTiff, columns: 60, colors: 3);
        Decode(data, dict).ShouldBe(Sample);
    }

    [Fact]
    public void Ascii85_known_vector_and_z()
    {
        PdfFilters.Ascii85("9jqo^~>"u8).ShouldBe("Man "u8.ToArray());
        PdfFilters.Ascii85("<~z9jqo^~>"u8).ShouldBe(new byte[] { 0, 0, 0, 0, (byte)'M', (byte)'a', (byte)'n', (byte)' ' });
        PdfFilters.Ascii85("9jqo~>"u8).ShouldBe("Man"u8.ToArray()); // partial group
    }

    [Fact]
    public void AsciiHex_ignores_whitespace_and_pads_odd_digit()
    {
        PdfFilters.AsciiHex("48 65\n6C6c6F 7>"u8).ShouldBe(Encoding.ASCII.GetBytes("Hello").Append((byte)0x70).ToArray());
    }

    [Fact]
    public void RunLength_known_vector()
    {
        PdfFilters.RunLength(new byte[] { 2, (byte)'a', (byte)'b', (byte)'c', 254, (byte)'z', 128, 0, 0 }, 100)
            .ShouldBe("abczzz"u8.ToArray());
    }

    [Fact]
    public void Lzw_known_vector_from_the_spec()
    {
        // ISO 32000-1 §7.4.4.2 example: 2D 2D 2D 2D 2D 41 2D 2D 2D 42 with EarlyChange 1
        var encoded = PdfEncoders.Lzw(new byte[] { 0x2D, 0x2D, 0x2D, 0x2D, 0x2D, 0x41, 0x2D, 0x2D, 0x2D, 0x42 }, true);
        encoded.ShouldBe(new byte[] { 0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01 });
        PdfFilters.Lzw(encoded, true, 100).ShouldBe(new byte[] { 0x2D, 0x2D, 0x2D, 0x2D, 0x2D, 0x41, 0x2D, 0x2D, 0x2D, 0x42 });
    }

    [Fact]
    public void Lzw_long_input_crosses_code_width_changes()
    {
        var big = new byte[40_000];
        var rnd = new Random(1);
        for (int i = 0; i < big.Length; i++) big[i] = (byte)rnd.Next(16);
        PdfFilters.Lzw(PdfEncoders.Lzw(big, true), true, 1 << 20).ShouldBe(big);
        PdfFilters.Lzw(PdfEncoders.Lzw(big, false), false, 1 << 20).ShouldBe(big);
    }

    [Fact]
    public void Flate_bomb_stops_at_the_limit()
    {
        var zeros = PdfEncoders.Flate(new byte[4_000_000]);
        zeros.Length.ShouldBeLessThan(10_000);
        var ex = Should.Throw<PdfLimitException>(() => PdfFilters.Inflate(zeros, 1_000_000));
        ex.Kind.ShouldBe(PdfIssueKind.DecompressionBomb);
        PdfFilters.Inflate(zeros, 5_000_000).Length.ShouldBe(4_000_000);
    }

    [Fact]
    public void Flate_truncated_data_keeps_what_was_decoded()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i} ")));
        var z = PdfEncoders.Flate(text);
        var cut = PdfFilters.Inflate(z.AsSpan(0, z.Length / 2), 1 << 20);
        cut.Length.ShouldBeGreaterThan(100);
        text.AsSpan(0, cut.Length).SequenceEqual(cut).ShouldBeTrue();
    }

    [Fact]
    public void Image_codecs_are_left_encoded_and_named()
    {
        var r = PdfFilters.Decode(new byte[] { 0xFF, 0xD8, 1, 2 }, PdfName.Of("DCTDecode"), null, 100, o => o);
        r.StoppedAt.ShouldBe("DCTDecode");
        r.Supported.ShouldBeTrue();
        r.Data.ShouldBe(new byte[] { 0xFF, 0xD8, 1, 2 });
        var u = PdfFilters.Decode(new byte[] { 1 }, PdfName.Of("FooDecode"), null, 100, o => o);
        u.StoppedAt.ShouldBe("FooDecode");
        u.Supported.ShouldBeFalse();
    }
}
