using CdaCheck.Core.Pdf;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.Pdf;

/// <summary>Image sizes read from the file are multiplied without overflow: hostile /Width and /Height give SEC-015, never a wrap or a crash.</summary>
public class ImageSizeTests
{
    private static byte[] WithImage(string width, string height, bool inline = false)
    {
        if (inline)
            return HandMade(MinimalObjects($"q 10 0 0 10 0 0 cm BI /W {width} /H {height} /BPC 8 /CS /G ID \u0001\u0002\u0003\u0004 EI Q"));
        return HandMade(MinimalObjects("q 10 0 0 10 0 0 cm /Im1 Do Q", "/XObject << /Im1 6 0 R >>",
            StreamObj("abcd", $"/Type /XObject /Subtype /Image /Width {width} /Height {height} /BitsPerComponent 8 /ColorSpace /DeviceRGB")));
    }

    [Theory]
    [InlineData("4294967297", "4294967295")]  // product 2^64 − 1: wrapped to −1
    [InlineData("3037000500", "3037000500")]  // just past long.MaxValue
    [InlineData("4294967296", "4294967296")]  // 2^32 × 2^32 wraps to 0
    [InlineData("2147483648", "2")]        // past int: (int) casts would truncate
    [InlineData("100000", "100000")]         // no overflow, over the limit
    public void Huge_image_sizes_are_a_sec020_finding(string w, string h)
    {
        var r = Shared.Validator().Validate("doc.pdf", WithImage(w, h));
        r.Findings.Select(f => f.RuleId).ShouldNotContain("SEC-005");
        r.Findings.Select(f => f.RuleId).ShouldNotContain("PDF-007");
        var f = r.Findings.Single(x => x.RuleId == "SEC-015");
        f.Message.ShouldContain($"{w} × {h}");
        r.ParsedPdfs[0].Readable.ShouldBeTrue();
        r.ParsedPdfs[0].Pages[0].Images.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("4294967297", "4294967295")]
    [InlineData("3037000500", "3037000500")]
    [InlineData("4294967296", "4294967296")]
    public void Huge_inline_image_sizes_do_not_crash(string w, string h)
    {
        var r = Shared.Validator().Validate("doc.pdf", WithImage(w, h, inline: true));
        r.Findings.Select(f => f.RuleId).ShouldNotContain("SEC-005");
        r.Findings.Select(f => f.RuleId).ShouldContain("SEC-015");
    }

    [Fact]
    public void A_small_image_is_placed_without_finding()
    {
        var r = Shared.Validator().Validate("doc.pdf", WithImage("2", "2"));
        r.Findings.Select(f => f.RuleId).ShouldNotContain("SEC-015");
        r.ParsedPdfs[0].Pages[0].Images.Count.ShouldBe(1);
    }

    [Fact]
    public void Checked_product_refuses_overflow_and_negatives()
    {
        PdfValue.CheckedProduct(4294967296, 4294967296).ShouldBeNull();
        PdfValue.CheckedProduct(3037000500, 3037000500).ShouldBeNull();
        PdfValue.CheckedProduct(3037000499, 3037000499).ShouldBe(3037000499L * 3037000499L);
        PdfValue.CheckedProduct(-1, 5).ShouldBeNull();
        PdfValue.CheckedProduct(0, long.MaxValue).ShouldBe(0);
    }
}
