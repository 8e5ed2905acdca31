using System.Text;
using System.Xml;
using System.Xml.Linq;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Perf;

public class Base64BlobsTests
{
    private static (string Xml, byte[] Payload) Doc(string representation = "B64", int size = 3000, Func<string, string>? mangle = null)
    {
        var payload = new byte[size];
        new Random(7).NextBytes(payload);
        var b64 = Convert.ToBase64String(payload, Base64FormattingOptions.InsertLineBreaks);
        if (mangle is not null) b64 = mangle(b64);
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n<component><nonXMLBody>\n" +
                  $"<text mediaType=\"application/pdf\" representation=\"{representation}\">\n{b64}\n</text>\n</nonXMLBody></component>\n<after/>\n</ClinicalDocument>\n";
        return (xml, payload);
    }

    private static XNamespace V3 => "urn:hl7-org:v3";

    [Fact]
    public void Payload_is_decoded_from_the_bytes_and_later_line_numbers_do_not_move()
    {
        var (xml, payload) = Doc();
        var bytes = Encoding.UTF8.GetBytes(xml);
        var sink = new FindingSink(new ValidationOptions());
        var fast = SecureXml.LoadForValidation(bytes, sink, new Limits())!;
        var plain = SecureXml.Load(bytes, sink, new Limits())!;
        var text = fast.Descendants(V3 + "text").Single();
        Base64Blobs.For(text).ShouldBe(payload);
        text.Value.Length.ShouldBeLessThan(200); // a marker, not 4 KB of base64
        Base64Blobs.For(plain.Descendants(V3 + "text").Single()).ShouldBeNull();
        ((IXmlLineInfo)fast.Descendants(V3 + "after").Single()).LineNumber
            .ShouldBe(((IXmlLineInfo)plain.Descendants(V3 + "after").Single()).LineNumber);
    }

    [Theory]
    [InlineData(3000, "lf")]
    [InlineData(3001, "crlf")]
    [InlineData(3002, "cr")]
    [InlineData(3001, "mixed")]
    [InlineData(3002, "spaces")]
    public void Every_padding_and_line_break_style_decodes_to_the_payload_and_keeps_line_numbers(int size, string breaks)
    {
        var (xml, payload) = Doc(size: size, mangle: s => breaks switch
        {
            "crlf" => s.Replace("\r\n", "\n").Replace("\n", "\r\n"),
            "cr" => s.Replace("\r\n", "\n").Replace("\n", "\r"),
            "mixed" => s.Replace("\r\n", "\n").Replace("\n", "\r").Insert(300, "\n").Insert(600, "\r\n"),
            "spaces" => s.Replace("\r\n", "\n").Replace("\n", " \t\n  "),
            _ => s.Replace("\r\n", "\n"),
        });
        var bytes = Encoding.UTF8.GetBytes(xml);
        var sink = new FindingSink(new ValidationOptions());
        var fast = SecureXml.LoadForValidation(bytes, sink, new Limits())!;
        var plain = SecureXml.Load(bytes, sink, new Limits())!;
        Base64Blobs.For(fast.Descendants(V3 + "text").Single()).ShouldBe(payload);
        ((IXmlLineInfo)fast.Descendants(V3 + "after").Single()).LineNumber
            .ShouldBe(((IXmlLineInfo)plain.Descendants(V3 + "after").Single()).LineNumber);
    }

    [Fact]
    public void Padding_inside_the_text_is_left_to_the_ordinary_path()
    {
        var (xml, _) = Doc(mangle: s => s[..400] + "==" + s[402..]);
        var bytes = Encoding.UTF8.GetBytes(xml);
        Base64Blobs.Extract(bytes, 1 << 20, 1 << 30, out var blobs).ShouldBeSameAs(bytes);
        blobs.ShouldBeNull();
    }

    [Theory]
    [InlineData("bad-char")]
    [InlineData("bad-length")]
    [InlineData("not-b64")]
    [InlineData("cdata")]
    public void Anything_unusual_is_left_to_the_ordinary_path(string variant)
    {
        var (xml, _) = variant switch
        {
            "bad-char" => Doc(mangle: s => s[..100] + "*" + s[101..]),
            "bad-length" => Doc(mangle: s => s.TrimEnd('=') + "A"),
            "not-b64" => Doc(representation: "TXT"),
            _ => Doc(mangle: s => s + "\n<![CDATA[x]]>"),
        };
        var bytes = Encoding.UTF8.GetBytes(xml);
        Base64Blobs.Extract(bytes, 1 << 20, 1 << 30, out var blobs).ShouldBeSameAs(bytes);
        blobs.ShouldBeNull();
    }

    [Fact]
    public void Over_the_embedded_limit_is_left_to_the_ordinary_path_which_reports_it()
    {
        var (xml, _) = Doc(size: 3000);
        var bytes = Encoding.UTF8.GetBytes(xml);
        Base64Blobs.Extract(bytes, 1000, 1 << 30, out var blobs).ShouldBeSameAs(bytes);
        blobs.ShouldBeNull();
    }

    [Fact]
    public void Invalid_base64_is_still_reported_by_the_body_checks()
    {
        var (xml, _) = Doc(mangle: s => s[..100] + "*" + s[101..]);
        var r = Shared.ValidateXml(xml);
        r.Findings.ShouldContain(f => f.RuleId == BodyChecks.Base64Invalid.Id);
    }
}
