using System.Text;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.Pdf;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.Pdf;

/// <summary>
/// XObject image samples are decoded when first read, when deferring cannot change what the reader
/// reports (filters implemented and direct, decoded size bounded, limits known); otherwise at 'Do' as before.
/// </summary>
public class DeferredImageTests
{
    private static byte[] Noise(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private static byte[] Gradient(int w, int h) => Enumerable.Range(0, w * h).Select(i => (byte)(i % w * 255 / Math.Max(1, w - 1))).ToArray();

    [Fact]
    public void An_image_never_read_is_never_decoded_and_reading_it_gives_its_samples()
    {
        var noise = Noise(300 * 200, 1);
        var p = Page1(pg => pg.Image(ImageSpec.Gray8(300, 200, noise), [300, 0, 0, 200, 10, 10]));
        var img = p.Images.Single();
        img.IsDecoded.ShouldBeFalse();
        img.Width.ShouldBe(300);
        img.Bounds.ShouldBe(new CdaCheck.Core.Rules.Box(10, 10, 300, 200)); // placement known without the samples
        img.IsDecoded.ShouldBeFalse();
        img.Gray.ShouldBe(noise);
        img.IsDecoded.ShouldBeTrue();
        img.Gray.ShouldBeSameAs(img.Gray); // decoded once
    }

    [Theory]
    [InlineData(StreamEncoding.None)]
    [InlineData(StreamEncoding.Flate)]
    [InlineData(StreamEncoding.FlatePng)]
    [InlineData(StreamEncoding.FlateTiff)]
    [InlineData(StreamEncoding.Lzw)]
    [InlineData(StreamEncoding.AsciiHex)]
    [InlineData(StreamEncoding.Ascii85)]
    [InlineData(StreamEncoding.RunLength)]
    [InlineData(StreamEncoding.AsciiHexThenFlate)]
    public void Deferred_samples_are_the_same_whatever_the_filters(StreamEncoding enc)
    {
        var gray = Gradient(40, 30);
        var img = Page1(pg => pg.Image(ImageSpec.Gray8(40, 30, gray, enc), [40, 0, 0, 30, 0, 0])).Images.Single();
        img.IsDecoded.ShouldBeFalse();
        img.Gray.ShouldBe(gray);
    }

    [Fact]
    public void Mask_images_keep_the_fill_colour_of_their_placement()
    {
        // the colour changes after 'Do': the deferred decoding must use the colour current at 'Do'
        var gray = new byte[] { 0, 255, 0, 255 };
        var img = Page1(pg => pg.Image(ImageSpec.Mask(4, 1, gray), [4, 0, 0, 1, 0, 0], "0.5 g").Raw("1 g 0 0 1 1 re f")).Images.Single();
        img.IsDecoded.ShouldBeFalse();
        img.Gray.ShouldBe(new byte[] { 128, 255, 128, 255 });
    }

    [Fact]
    public void Unknown_filters_are_reported_when_the_page_is_read()
    {
        var objs = MinimalObjects("q 10 0 0 10 0 0 cm /Im1 Do Q", "/XObject << /Im1 6 0 R >>",
            StreamObj("abcd", "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FooDecode"));
        var doc = PdfReader.Open(HandMade(objs));
        PdfReader.ReadPage(doc, 0).Images.ShouldBeEmpty();
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.UnsupportedFilter && i.Detail == "FooDecode");
    }

    [Fact]
    public void A_filter_given_by_reference_is_decoded_at_once()
    {
        var gray = new byte[] { 0, 64, 128, 255 };
        var objs = MinimalObjects("q 4 0 0 1 0 0 cm /Im1 Do Q", "/XObject << /Im1 6 0 R >>",
            StreamObj("00408 0FF>", "/Type /XObject /Subtype /Image /Width 4 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter 7 0 R"),
            "/ASCIIHexDecode");
        var img = Page1(HandMade(objs)).Images.Single();
        img.IsDecoded.ShouldBeTrue();
        img.Gray.ShouldBe(gray);
    }

    [Fact]
    public void A_flate_bomb_image_still_stops_the_page_at_once()
    {
        // 100x100 declared (within the pixel limits), 4 MB of zeros inside: the bound (1032:1) exceeds the limit
        var zeros = PdfEncoders.Flate(new byte[4_000_000]);
        var pdf = OnePage(pg => pg.Image(new ImageSpec("<< /Type /XObject /Subtype /Image /Width 100 /Height 100 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode >>", zeros), [100, 0, 0, 100, 0, 0])).ToBytes();
        var ex = Should.Throw<PdfLimitException>(() => Page1(pdf, new PdfReadOptions { MaxDecompressedBytes = 1_000_000 }));
        ex.Kind.ShouldBe(PdfIssueKind.DecompressionBomb);
        // the same image within the limit: placed, with its declared 10,000 samples
        Page1(pdf, new PdfReadOptions { MaxDecompressedBytes = 8_000_000 }).Images.Single().Gray.Length.ShouldBe(10_000);
    }

    [Fact]
    public void An_image_that_could_be_a_bomb_is_decoded_at_once()
    {
        var gray = Gradient(300, 300); // compresses well: 1032 × its compressed size is above the limit, its samples are not
        var spec = ImageSpec.Gray8(300, 300, gray);
        var limit = 200_000;
        PdfFilters.DecodedSizeBound(spec.Data, PdfName.Of("FlateDecode"), null, long.MaxValue)!.Value.ShouldBeGreaterThan(limit);
        var img = Page1(OnePage(pg => pg.Image(spec, [300, 0, 0, 300, 0, 0])).ToBytes(), new PdfReadOptions { MaxDecompressedBytes = limit }).Images.Single();
        img.IsDecoded.ShouldBeTrue();
        img.Gray.ShouldBe(gray);
        // with the default limit the same image is deferred
        Page1(OnePage(pg => pg.Image(spec, [300, 0, 0, 300, 0, 0])).ToBytes()).Images.Single().IsDecoded.ShouldBeFalse();
    }

    [Fact]
    public void A_short_stream_for_a_large_image_reads_as_before_missing_samples_white()
    {
        var few = new byte[] { 0, 10, 20, 30 };
        var img = Page1(pg => pg.Image(ImageSpec.Gray8(1000, 1000, few), [100, 0, 0, 100, 0, 0])).Images.Single();
        img.IsDecoded.ShouldBeFalse();
        var gray = img.Gray;
        gray.Length.ShouldBe(1_000_000);
        gray.AsSpan(0, 4).ToArray().ShouldBe(few);
        gray.AsSpan(4).IndexOfAnyExcept((byte)255).ShouldBe(-1);
    }

    [Fact]
    public void Oversized_images_are_reported_without_being_decoded()
    {
        var pdf = OnePage(pg => pg.Image(ImageSpec.Gray8(2000, 2000, new byte[4_000_000]), [100, 0, 0, 100, 0, 0])).ToBytes();
        var doc = PdfReader.Open(pdf, new PdfReadOptions { MaxDecompressedBytes = 1_000_000 });
        PdfReader.ReadPage(doc, 0).Images.ShouldBeEmpty();
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.ImageTooLarge && i.Detail.Contains("2000 × 2000"));
    }

    [Fact]
    public void The_document_total_is_still_enforced_where_it_was()
    {
        // limit 100,000 per stream, 400,000 in total: a 90,000-byte image, then forms of 99,000 bytes each.
        // Three forms fit (387,000); the fourth passes the total while the page is read, image deferred or not.
        var noise = Noise(300 * 300, 2);
        string filler = "% " + new string('x', 98_990) + "\n";
        PdfWriter Build(int forms) => OnePage(pg =>
        {
            pg.Image(ImageSpec.Gray8(300, 300, noise), [300, 0, 0, 300, 0, 0]);
            for (int i = 0; i < forms; i++) pg.Form(f => f.Raw(filler).FillRect(i, 0, 1, 1, PdfColor.Black));
        });
        var options = new PdfReadOptions { MaxDecompressedBytes = 100_000 };
        var ok = Page1(Build(3).ToBytes(), options);
        ok.Rects.Count.ShouldBe(3);
        ok.Images.Single().Gray.ShouldBe(noise);
        var ex = Should.Throw<PdfLimitException>(() => Page1(Build(4).ToBytes(), options));
        ex.Kind.ShouldBe(PdfIssueKind.DecompressionBomb);
        ex.Detail.ShouldContain("in total");
    }

    [Fact]
    public void Stored_zlib_blocks_give_the_exact_decoded_size()
    {
        var noise = Noise(200_000, 3);
        var z = PdfEncoders.Flate(noise);
        PdfFilters.DecodedSizeBound(z, PdfName.Of("FlateDecode"), null, 1L << 30).ShouldBe(noise.Length);
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i} ")));
        var zt = PdfEncoders.Flate(text);
        var bound = PdfFilters.DecodedSizeBound(zt, PdfName.Of("FlateDecode"), null, 1L << 30);
        bound.ShouldNotBeNull();
        bound.Value.ShouldBeGreaterThanOrEqualTo(text.Length);
        PdfFilters.DecodedSizeBound(zt, PdfName.Of("FlateDecode"), null, text.Length).ShouldBeNull(); // might be a bomb
        PdfFilters.DecodedSizeBound(zt, PdfName.Of("DCTDecode"), null, 1L << 30).ShouldBeNull();
        PdfFilters.DecodedSizeBound(zt, new PdfRef(5, 0), null, 1L << 30).ShouldBeNull();
    }

    [Theory]
    [InlineData(StreamEncoding.Flate)]
    [InlineData(StreamEncoding.FlatePng)]
    [InlineData(StreamEncoding.Lzw)]
    [InlineData(StreamEncoding.RunLength)]
    [InlineData(StreamEncoding.Ascii85)]
    [InlineData(StreamEncoding.AsciiHexThenFlate)]
    public void The_size_bound_is_never_below_the_decoded_size(StreamEncoding enc)
    {
        foreach (var data in new[] { new byte[50_000], Noise(20_000, 4), Gradient(100, 100) })
        {
            var (encoded, dict) = PdfEncoders.Encode(data, enc, columns: 100);
            var parsed = (PdfDictionary)new PdfLexer(Encoding.ASCII.GetBytes("<< " + dict + " >>")).ReadObject()!;
            var decoded = PdfFilters.Decode(encoded, parsed.Get("Filter"), parsed.Get("DecodeParms"), 1L << 30, o => o);
            var bound = PdfFilters.DecodedSizeBound(encoded, parsed.Get("Filter"), parsed.Get("DecodeParms"), 1L << 30);
            bound.ShouldNotBeNull();
            bound.Value.ShouldBeGreaterThanOrEqualTo(decoded.Data.LongLength);
        }
    }
}
