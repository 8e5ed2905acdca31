using System.Text;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.Pdf;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.Pdf;

public class PdfDocumentTests
{
    private static PdfWriter TwoPages(Action<PdfWriter>? configure = null)
    {
        var w = new PdfWriter();
        configure?.Invoke(w);
        w.AddPage(595, 842).Text("Premiere page", 72, 700).FillRect(10, 10, 20, 20, PdfColor.Black);
        w.AddPage(300, 400).Text("Seconde page", 72, 300);
        return w;
    }

    [Theory]
    [InlineData(XrefStyle.Classic, "1.4")]
    [InlineData(XrefStyle.Stream, "1.6")]
    public void Reads_both_cross_reference_styles(XrefStyle style, string version)
    {
        var bytes = TwoPages(w => { w.Xref = style; w.Version = version; }).ToBytes();
        var s = Encoding.Latin1.GetString(bytes);
        if (style == XrefStyle.Stream) { s.ShouldContain("/ObjStm"); s.ShouldContain("/XRef"); s.ShouldNotContain("trailer"); }
        else s.ShouldContain("trailer");
        var doc = PdfReader.Open(bytes);
        doc.Version.ShouldBe(version);
        doc.XrefRecovered.ShouldBeFalse();
        doc.Issues.ShouldBeEmpty();
        doc.Pages.Count.ShouldBe(2);
        doc.Pages[1].MediaBox.ShouldBe(new double[] { 0, 0, 300, 400 });
        doc.Producer.ShouldBe("CdaCheck.TestData PdfWriter");
        AllText(PdfReader.ReadPage(doc, 0)).ShouldBe("Premiere page");
        AllText(PdfReader.ReadPage(doc, 1)).ShouldBe("Seconde page");
    }

    [Theory]
    [InlineData(XrefStyle.Classic)]
    [InlineData(XrefStyle.Stream)]
    public void Incremental_update_newest_revision_wins(XrefStyle style)
    {
        var bytes = TwoPages(w => { w.Xref = style; w.IncrementalUpdate = true; w.Version = "1.5"; }).ToBytes();
        var s = Encoding.Latin1.GetString(bytes);
        s.ShouldContain("/Prev");
        (s.Length - s.Replace("%%EOF", "").Length).ShouldBe(10); // two revisions
        var doc = PdfReader.Open(bytes);
        doc.XrefRecovered.ShouldBeFalse();
        var text = AllText(PdfReader.ReadPage(doc, 0));
        text.ShouldBe("Premiere page");
        text.ShouldNotContain("OLD REVISION");
        // the old revision alone (cut at the first %%EOF) shows the old content
        int firstEof = s.IndexOf("%%EOF", StringComparison.Ordinal) + 6;
        AllText(Page1(bytes.AsSpan(0, firstEof).ToArray())).ShouldBe("OLD REVISION");
    }

    [Fact]
    public void Page_tree_inherits_resources_and_mediabox()
    {
        var bytes = TwoPages(w => w.NestedPageTree = true).ToBytes();
        var doc = PdfReader.Open(bytes);
        doc.Pages.Count.ShouldBe(2);
        doc.Pages[0].Dict.ContainsKey("MediaBox").ShouldBeFalse();
        doc.Pages[0].Dict.ContainsKey("Resources").ShouldBeFalse();
        doc.Pages[0].MediaBox.ShouldBe(new double[] { 0, 0, 595, 842 });
        AllText(PdfReader.ReadPage(doc, 0)).ShouldBe("Premiere page"); // font found through inherited resources
    }

    [Fact]
    public void Broken_xref_offsets_are_recovered_by_scanning()
    {
        var bytes = TwoPages().ToBytes();
        var s = Encoding.Latin1.GetString(bytes);
        // shift every object by inserting junk after the header: all xref offsets become wrong
        var shifted = Encoding.Latin1.GetBytes(s.Insert(s.IndexOf('\n') + 1, "% some junk inserted by a broken tool\n"));
        var doc = PdfReader.Open(shifted);
        doc.Pages.Count.ShouldBe(2);
        AllText(PdfReader.ReadPage(doc, 0)).ShouldBe("Premiere page");
        doc.XrefRecovered.ShouldBeTrue();
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.XrefBroken);
        PdfReader.Open(bytes).XrefRecovered.ShouldBeFalse();
    }

    [Theory]
    [InlineData(XrefStyle.Classic)]
    [InlineData(XrefStyle.Stream)]
    public void Truncated_file_is_read_by_recovery(XrefStyle style)
    {
        var bytes = TwoPages(w => { w.Xref = style; w.Version = "1.5"; }).ToBytes();
        var s = Encoding.Latin1.GetString(bytes);
        int cut = style == XrefStyle.Classic ? s.IndexOf("xref", StringComparison.Ordinal) : s.LastIndexOf("endstream", StringComparison.Ordinal) - 10;
        var doc = PdfReader.Open(bytes.AsSpan(0, cut).ToArray());
        doc.HasEof.ShouldBeFalse();
        doc.HasStartXref.ShouldBeFalse();
        doc.XrefRecovered.ShouldBeTrue();
        doc.Pages.Count.ShouldBe(2);
        AllText(PdfReader.ReadPage(doc, 1)).ShouldBe("Seconde page");
        var whole = PdfReader.Open(bytes);
        whole.HasEof.ShouldBeTrue();
        whole.HasStartXref.ShouldBeTrue();
    }

    [Fact]
    public void Cut_incremental_update_counts_as_truncated()
    {
        var bytes = TwoPages(w => w.IncrementalUpdate = true).ToBytes();
        var s = Encoding.Latin1.GetString(bytes);
        int second = s.LastIndexOf("endobj", StringComparison.Ordinal) + 7;
        var doc = PdfReader.Open(bytes.AsSpan(0, second).ToArray());
        doc.HasEof.ShouldBeFalse();
        doc.HasStartXref.ShouldBeFalse();
        var whole = PdfReader.Open(bytes);
        whole.HasEof.ShouldBeTrue();
        whole.HasStartXref.ShouldBeTrue();
    }

    [Fact]
    public void Not_a_pdf_and_bad_version_throw_format_errors()
    {
        Should.Throw<PdfFormatException>(() => PdfReader.Open(Ascii("<ClinicalDocument/>")));
        Should.Throw<PdfFormatException>(() => PdfReader.Open(Ascii("%PDF-x.y\n")));
        Should.Throw<PdfFormatException>(() => PdfReader.Open([]));
        PdfReader.Open(Ascii("junk\n%PDF-1.3\n")).Version.ShouldBe("1.3");
    }

    [Fact]
    public void Prev_loop_is_detected_and_reading_continues()
    {
        var bytes = HandMade(MinimalObjects("BT /F1 12 Tf 10 10 Td (loop) Tj ET"),
            trailerExtra: "/Root 1 0 R /Prev XREF", startxref: x => $"startxref\n{x}\n%%EOF\n");
        var s = Encoding.Latin1.GetString(bytes);
        int xrefAt = s.IndexOf("xref\n0", StringComparison.Ordinal);
        var looped = Ascii(s.Replace("/Prev XREF", $"/Prev {xrefAt}"));
        // same length replacement not needed: the xref offset is still right (it precedes the trailer)
        var doc = PdfReader.Open(looped);
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.PrevLoop);
        AllText(PdfReader.ReadPage(doc, 0)).ShouldBe("loop");
        PdfReader.Open(Ascii(s.Replace(" /Prev XREF", ""))).Issues.ShouldBeEmpty();
    }

    [Fact]
    public void Encrypt_entry_is_detected()
    {
        PdfReader.Open(TwoPages(w => w.MarkEncrypted = true).ToBytes()).Encrypted.ShouldBeTrue();
        PdfReader.Open(TwoPages().ToBytes()).Encrypted.ShouldBeFalse();
    }

    [Theory]
    [InlineData("1B", "1B")]
    [InlineData("2U", "2U")]
    [InlineData("4", "4")]
    [InlineData(null, null)]
    public void PdfA_claim_from_xmp(string? claim, string? expected)
    {
        PdfReader.Open(TwoPages(w => w.PdfAClaim = claim).ToBytes()).PdfAClaim.ShouldBe(expected);
    }

    [Fact]
    public void PdfA_claim_as_attributes()
    {
        var xmp = "<x:xmpmeta><rdf:Description pdfaid:part=\"3\" pdfaid:conformance=\"a\"/></x:xmpmeta>";
        var bytes = HandMade([
            "<< /Type /Catalog /Pages 2 0 R /Metadata 3 0 R >>",
            "<< /Type /Pages /Kids [] /Count 0 >>",
            StreamObj(xmp, "/Type /Metadata /Subtype /XML"),
        ]);
        PdfReader.Open(bytes).PdfAClaim.ShouldBe("3A");
    }

    [Fact]
    public void Deep_nesting_hits_the_depth_limit()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var bytes = HandMade(MinimalObjects("BT ET", "", deep), "/Root 1 0 R");
        var doc = PdfReader.Open(bytes, new PdfReadOptions { MaxDepth = 64 });
        Should.Throw<PdfLimitException>(() => doc.GetObject(6)).Kind.ShouldBe(PdfIssueKind.DepthExceeded);
        var ok = new string('[', 20) + new string(']', 20);
        PdfReader.Open(HandMade(MinimalObjects("BT ET", "", ok))).GetObject(6).ShouldBeOfType<PdfArray>();
    }

    [Fact]
    public void Page_tree_cycle_is_cut()
    {
        var bytes = HandMade([
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
        ]);
        var doc = PdfReader.Open(bytes);
        doc.Pages.Count.ShouldBe(1);
        doc.Issues.ShouldContain(i => i.Kind == PdfIssueKind.DepthExceeded);
    }

    [Fact]
    public void Object_limit_applies_to_xref_tables()
    {
        var bytes = TwoPages().ToBytes();
        Should.Throw<PdfLimitException>(() => PdfReader.Open(bytes, new PdfReadOptions { MaxObjects = 5 })).Kind.ShouldBe(PdfIssueKind.TooManyObjects);
        PdfReader.Open(bytes, new PdfReadOptions { MaxObjects = 100 }).Pages.Count.ShouldBe(2);
    }

    [Fact]
    public void Stream_with_wrong_length_is_read_up_to_endstream()
    {
        var objs = MinimalObjects("x");
        objs[3] = "<< /Length 3 >>\nstream\nBT /F1 12 Tf 10 10 Td (long content) Tj ET\nendstream";
        AllText(Page1(HandMade(objs))).ShouldBe("long content");
    }

    [Fact]
    public void Indirect_length_is_resolved()
    {
        var content = "BT /F1 12 Tf 10 10 Td (indirect) Tj ET";
        var objs = MinimalObjects(content, "", $"{Encoding.ASCII.GetByteCount(content)}");
        objs[3] = $"<< /Length 6 0 R >>\nstream\n{content}\nendstream";
        AllText(Page1(HandMade(objs))).ShouldBe("indirect");
    }

    [Fact]
    public void Lexer_reads_strings_names_and_numbers()
    {
        var lx = new PdfLexer(Ascii("(a\\(b\\)\\101\\\n c) /A#20B -1.5 .5 +3 <48 65> [1 2 R 4] 7 0 R << /K true /N null >>"));
        ((PdfString)lx.ReadObject()!).ToLatin1().ShouldBe("a(b)A c");
        ((PdfName)lx.ReadObject()!).Value.ShouldBe("A B");
        lx.ReadObject().ShouldBe(-1.5);
        lx.ReadObject().ShouldBe(0.5);
        lx.ReadObject().ShouldBe(3L);
        ((PdfString)lx.ReadObject()!).ToLatin1().ShouldBe("He");
        ((PdfArray)lx.ReadObject()!).ShouldBe(new PdfArray { new PdfRef(1, 2), 4L });
        lx.ReadObject().ShouldBe(new PdfRef(7, 0));
        var d = (PdfDictionary)lx.ReadObject()!;
        d["K"].ShouldBe(true);
        d.ContainsKey("N").ShouldBeTrue();
        d["N"].ShouldBeNull();
    }
}
