using System.Text;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Pdf;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.Pdf;

public class PdfStageTests
{
    private static byte[] Good(Action<PdfWriter>? configure = null) =>
        OnePage(p => p.Text("Compte rendu", 72, 700).FillRect(500, 700, 2, 2, PdfColor.Black), configure).ToBytes();

    private static DocumentResult Validate(byte[] pdf, ValidationOptions? options = null) =>
        Shared.Validator(options).Validate("doc.pdf", pdf);

    private static IEnumerable<string> Ids(DocumentResult r) => r.Findings.Select(f => f.RuleId);

    [Fact]
    public void Bare_pdf_input_goes_through_the_stage()
    {
        var r = Validate(Good(w => w.PdfAClaim = "1B"));
        r.Kind.ShouldBe(InputKind.Pdf);
        r.ParsedPdfs.Count.ShouldBe(1);
        r.ParsedPdfs[0].Readable.ShouldBeTrue();
        r.ParsedPdfs[0].Pages[0].Rects.ShouldContain(new FilledRect(500, 700, 2, 2, 0));
        r.ParsedPdfs[0].Document.ShouldNotBeNull();
        PdfReader.ReadPage(r.ParsedPdfs[0].Document!, 0).Texts.Single().Text.ShouldBe("Compte rendu");
        r.Pdf.ShouldNotBeNull();
        r.Pdf!.Version.ShouldBe("1.4");
        r.Pdf.Pages.ShouldBe(1);
        r.Pdf.PdfA.ShouldBe("1B");
        r.Pdf.Producer.ShouldBe("CdaCheck.TestData PdfWriter");
        r.Findings.Where(f => f.Severity >= Severity.Warning).ShouldBeEmpty();
        Ids(r).ShouldBe(new[] { "PDF-008" });
        r.Findings[0].Message.ShouldContain("PDF/A-1B");
    }

    [Fact]
    public void Embedded_pdfs_of_a_cda_are_parsed_with_their_location()
    {
        var result = new DocumentResult("doc.xml", InputKind.Cda);
        var loc = new Location { XPath = "/ClinicalDocument/component/nonXMLBody/text", Line = 42 };
        result.EmbeddedFiles.Add(new EmbeddedFile("application/pdf", Good(), loc, "nonXMLBody"));
        result.EmbeddedFiles.Add(new EmbeddedFile("text/plain", "hello"u8.ToArray(), loc, "other"));
        result.EmbeddedFiles.Add(new EmbeddedFile("application/pdf", "not a pdf"u8.ToArray(), loc with { Line = 99 }, "observationMedia"));
        var sink = new FindingSink(new ValidationOptions());
        new PdfStage(Shared.Data).Check(null!, result, sink, new ValidationContext(Shared.Data, new ValidationOptions()));
        result.ParsedPdfs.Count.ShouldBe(2);
        result.ParsedPdfs[0].Origin.ShouldBe("nonXMLBody");
        result.ParsedPdfs[1].Readable.ShouldBeFalse();
        result.Pdf!.Origin.ShouldBe("nonXMLBody");
        var notPdf = sink.Findings.Single(f => f.RuleId == "PDF-001");
        notPdf.Location.Line.ShouldBe(99);
        notPdf.Location.XPath.ShouldBe("/ClinicalDocument/component/nonXMLBody/text");
        sink.Findings.Count(f => f.RuleId == "PDF-009").ShouldBe(1); // the good one claims no PDF/A
    }

    [Fact]
    public void Input_handler_sniffs_pdfs()
    {
        var h = new PdfInputHandler();
        h.CanHandle("%PDF-1.7\n"u8, "x.bin").ShouldBeTrue();
        h.CanHandle("\r\n  junk %PDF-1.4\n"u8, "x.bin").ShouldBeTrue();
        h.CanHandle("GIF89a"u8, "x.pdf").ShouldBeTrue(); // named .pdf: read, then reported PDF-001
        h.CanHandle("<?xml version=\"1.0\"?><ClinicalDocument/>"u8, "x.pdf").ShouldBeFalse();
        h.CanHandle("<ClinicalDocument><!-- %PDF-1.4 --></ClinicalDocument>"u8, "x.xml").ShouldBeFalse();
        h.CanHandle("PK\u0003\u0004"u8, "x.zip").ShouldBeFalse();
        var r = Validate(Ascii("  \n%PDF-1.4\n").Concat(Good().Skip(9)).ToArray());
        r.Kind.ShouldBe(InputKind.Pdf);
    }

    [Fact]
    public void Pdf001_not_a_pdf()
    {
        Ids(Validate("GIF89a...."u8.ToArray())).ShouldContain("PDF-001");
        Ids(Validate(Ascii("%PDF-?\n"))).ShouldContain("PDF-001");
        Ids(Validate(Good())).ShouldNotContain("PDF-001");
    }

    [Fact]
    public void Pdf002_truncated()
    {
        var good = Good();
        var s = Encoding.Latin1.GetString(good);
        var cut = good.AsSpan(0, s.IndexOf("xref", StringComparison.Ordinal)).ToArray();
        var r = Validate(cut);
        Ids(r).ShouldContain("PDF-002");
        r.Findings.Single(f => f.RuleId == "PDF-002").Message.ShouldContain("neither startxref nor %%EOF");
        r.ParsedPdfs[0].Readable.ShouldBeTrue(); // recovered
        Ids(Validate(good)).ShouldNotContain("PDF-002");
    }

    [Fact]
    public void Pdf003_xref_recovered()
    {
        var s = Encoding.Latin1.GetString(Good());
        var shifted = Ascii(s.Insert(s.IndexOf('\n') + 1, "%junk\n"));
        var r = Validate(shifted);
        Ids(r).ShouldContain("PDF-003");
        r.Findings.Single(f => f.RuleId == "PDF-003").Severity.ShouldBe(Severity.Warning);
        r.ParsedPdfs[0].Pages[0].Texts.Single().Text.ShouldBe("Compte rendu");
        Ids(Validate(Good())).ShouldNotContain("PDF-003");
    }

    [Fact]
    public void Pdf004_encrypted()
    {
        var r = Validate(Good(w => w.MarkEncrypted = true));
        Ids(r).ShouldContain("PDF-004");
        r.Pdf!.Encrypted.ShouldBeTrue();
        r.ParsedPdfs[0].Readable.ShouldBeFalse();
        r.Findings.Single(f => f.RuleId == "PDF-004").Location.Detail.ShouldStartWith("object ");
        Ids(Validate(Good())).ShouldNotContain("PDF-004");
    }

    [Fact]
    public void Pdf005_unsupported_filter()
    {
        var objs = MinimalObjects("x");
        objs[3] = "<< /Length 4 /Filter /FooDecode >>\nstream\nabcd\nendstream";
        var r = Validate(HandMade(objs));
        var f = r.Findings.Single(x => x.RuleId == "PDF-005");
        f.Message.ShouldContain("/FooDecode");
        f.Location.Detail.ShouldBe("object 4");
        Ids(Validate(HandMade(MinimalObjects("0 0 1 1 re f")))).ShouldNotContain("PDF-005");
    }

    [Fact]
    public void Pdf006_zero_pages()
    {
        var none = HandMade(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"]);
        var r = Validate(none);
        Ids(r).ShouldContain("PDF-006");
        r.Pdf!.Pages.ShouldBe(0);
        r.ParsedPdfs[0].Readable.ShouldBeFalse();
        Ids(Validate(Good())).ShouldNotContain("PDF-006");
    }

    [Fact]
    public void Pdf007_page1_unreadable()
    {
        var objs = MinimalObjects("x");
        objs[2] = objs[2].Replace("/Contents 4 0 R", "/Contents 99 0 R");
        var r = Validate(HandMade(objs));
        var f = r.Findings.Single(x => x.RuleId == "PDF-007");
        f.Location.Page.ShouldBe(1);
        f.Location.Detail.ShouldBe("object 3");
        r.ParsedPdfs[0].Readable.ShouldBeFalse();
        Ids(Validate(HandMade(MinimalObjects("0 0 1 1 re f")))).ShouldNotContain("PDF-007");
    }

    [Fact]
    public void Pdf008_and_Pdf009_pdfa_claim()
    {
        Ids(Validate(Good(w => w.PdfAClaim = "2B"))).ShouldContain("PDF-008");
        Ids(Validate(Good(w => w.PdfAClaim = "2B"))).ShouldNotContain("PDF-009");
        var r = Validate(Good());
        Ids(r).ShouldContain("PDF-009");
        Ids(r).ShouldNotContain("PDF-008");
        r.Findings.Single(f => f.RuleId == "PDF-009").Severity.ShouldBe(Severity.Info);
    }

    [Fact]
    public void Pdf010_dct_image_not_scanned()
    {
        var objs = MinimalObjects("q 10 0 0 10 0 0 cm /Im1 Do Q", "/XObject << /Im1 6 0 R >>",
            StreamObj("\u00FF\u00D8junk", "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"));
        var r = Validate(HandMade(objs));
        var f = r.Findings.Single(x => x.RuleId == "PDF-010");
        f.Severity.ShouldBe(Severity.Info);
        f.Message.ShouldContain("DCTDecode");
        Ids(Validate(Good())).ShouldNotContain("PDF-010");
    }

    [Fact]
    public void Pdf011_object_unreadable()
    {
        var objs = MinimalObjects("BT /F1 12 Tf 0 0 Td (x) Tj ET");
        var bytes = Encoding.Latin1.GetString(HandMade(objs));
        // object 5 (the font) is damaged after recovery: its "obj" header is gone and the xref is broken
        var damaged = bytes.Replace("5 0 obj\n<< /Type /Font", "5 0 xbj\n<< /Type /Font");
        var r = Validate(Ascii(damaged));
        Ids(r).ShouldContain("PDF-011");
        r.ParsedPdfs[0].Readable.ShouldBeTrue(); // text falls back to a default font
        Ids(Validate(Ascii(bytes))).ShouldNotContain("PDF-011");
    }

    [Fact]
    public void Sec010_decompression_bomb()
    {
        var zeros = PdfEncoders.Flate(new byte[3_000_000]);
        var objs = MinimalObjects("x");
        objs[3] = $"<< /Length {zeros.Length} /Filter /FlateDecode >>\nstream\n" + Encoding.Latin1.GetString(zeros) + "\nendstream";
        var bytes = HandMade(objs);
        var small = new ValidationOptions { Limits = new Limits { MaxDecompressedBytes = 1_000_000 } };
        var r = Validate(bytes, small);
        var f = r.Findings.Single(x => x.RuleId == "SEC-010");
        f.Message.ShouldContain("1000000");
        r.ParsedPdfs[0].Readable.ShouldBeFalse();
        Ids(Validate(bytes)).ShouldNotContain("SEC-010");
    }

    [Fact]
    public void Sec011_prev_loop()
    {
        var bytes = Encoding.Latin1.GetString(HandMade(MinimalObjects("0 0 1 1 re f"), trailerExtra: "/Root 1 0 R /Prev XREF"));
        int xrefAt = bytes.IndexOf("xref\n0", StringComparison.Ordinal);
        var r = Validate(Ascii(bytes.Replace("/Prev XREF", $"/Prev {xrefAt}")));
        Ids(r).ShouldContain("SEC-011");
        r.ParsedPdfs[0].Readable.ShouldBeTrue();
        Ids(Validate(Ascii(bytes.Replace(" /Prev XREF", "")))).ShouldNotContain("SEC-011");
    }

    [Fact]
    public void Sec012_depth()
    {
        var content = string.Concat(Enumerable.Repeat("q ", 300));
        var r = Validate(HandMade(MinimalObjects(content)));
        Ids(r).ShouldContain("SEC-012");
        Ids(Validate(HandMade(MinimalObjects("q q Q Q")))).ShouldNotContain("SEC-012");
    }

    [Fact]
    public void Sec013_too_many_objects()
    {
        var opts = new ValidationOptions { Limits = new Limits { MaxPdfObjects = 4 } };
        var r = Validate(Good(), opts);
        Ids(r).ShouldContain("SEC-013");
        r.ParsedPdfs.Single().Readable.ShouldBeFalse();
        Ids(Validate(Good())).ShouldNotContain("SEC-013");
    }

    [Fact]
    public void Garbage_after_header_never_throws()
    {
        var rnd = new Random(7);
        var good = Good(w => w.Xref = XrefStyle.Stream);
        for (int i = 0; i < 200; i++)
        {
            var b = (byte[])good.Clone();
            int n = rnd.Next(1, 20);
            for (int k = 0; k < n; k++) b[rnd.Next(10, b.Length)] = (byte)rnd.Next(256);
            if (rnd.Next(4) == 0) b = b.AsSpan(0, rnd.Next(10, b.Length)).ToArray();
            var r = Validate(b);
            r.Kind.ShouldBe(InputKind.Pdf);
            Ids(r).ShouldNotContain("SEC-005"); // no internal error
        }
    }
}
