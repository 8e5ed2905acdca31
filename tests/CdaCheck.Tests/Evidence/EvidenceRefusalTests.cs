using System.Text;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Evidence;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Composite;
using CdaCheck.TestData.Pdf;
using static CdaCheck.Tests.Evidence.EvidenceFixtures;

namespace CdaCheck.Tests.Evidence;

public class EvidenceRefusalTests
{
    /// <summary>The refusals read below are the English texts.</summary>
    private static readonly CdaCheck.Core.Validation.ValidationOptions English = new() { Language = CdaCheck.Core.Localization.Lang.En };

    private static void AddSymbol(PdfPageBuilder page, PdfIdentity id)
    {
        var modules = DataMatrixEncoder.Encode(id.Payload(), new DataMatrixEncoderOptions { C40PrefixLength = 26 });
        page.AddModuleGrid(modules, 420, 700, 2, drawLightModules: true);
    }

    [Fact]
    public void Identity_text_in_a_font_without_unicode_mapping_is_refused()
    {
        var b = CdaBuilder.Ldl();
        var id = b.Identity!;
        var w = new PdfWriter();
        var font = w.AddFont(new PdfFontSpec(BaseFont: "CdaCheckOutlines", Encoding: null, IdentityH: true, WithToUnicode: false));
        var page = w.AddPage();
        page.Text("Compte rendu fictif", 56, 780, 14);
        page.Text("Nom de naissance : " + id.Family, 56, 720, 10, font);
        AddSymbol(page, id);
        var outcome = EvidenceWriter.Create(b.WithPdf(w.ToBytes()).ToBytes(), Shared.Data, English);
        outcome.Accepted.ShouldBeFalse();
        outcome.Output.ShouldBeNull();
        outcome.Refusals.ShouldContain(r => r.Contains("do not map to Unicode"));
        string.Join(" ", outcome.Refusals).ShouldNotContain(id.Family);
    }

    [Fact]
    public void An_inline_image_symbol_is_hidden_in_place()
    {
        var b = CdaBuilder.Ldl();
        var id = b.Identity!;
        var modules = DataMatrixEncoder.Encode(id.Payload(), new DataMatrixEncoderOptions { C40PrefixLength = 26 });
        int n = modules.GetLength(0), px = 3;
        var gray = new byte[n * px * n * px];
        for (int y = 0; y < n * px; y++)
            for (int x = 0; x < n * px; x++)
                gray[y * n * px + x] = modules[y / px, x / px] ? (byte)0 : (byte)255;
        var w = new PdfWriter();
        var page = w.AddPage();
        page.Text("Compte rendu fictif", 56, 780, 14);
        page.Text("Matricule INS : " + id.Matricule, 56, 720, 10);
        page.InlineImage(n * px, n * px, gray, [n * 2.0, 0, 0, n * 2.0, 420, 650]);
        var input = b.WithPdf(w.ToBytes()).ToBytes();
        Shared.Validator().Validate("in.xml", input).DataMatrix.Status.ShouldBe(DataMatrixStatus.Decoded);
        var outcome = EvidenceWriter.Create(input, Shared.Data, English);
        outcome.Accepted.ShouldBeTrue(string.Join("; ", outcome.Refusals));
        outcome.Stats.Pdf.RewrittenImages.ShouldBe(1);
        outcome.Validation!.DataMatrix.Status.ShouldBe(DataMatrixStatus.LocatedUndecodable);
        ReadableText(EmbeddedPdfs(outcome.Output!)[0]).ShouldNotContain(id.Matricule);
    }

    [Fact]
    public void Text_drawn_as_outlines_only_is_refused()
    {
        var b = CdaBuilder.Ldl();
        var w = new PdfWriter();
        var page = w.AddPage();
        var sb = new StringBuilder("0 g\n");
        for (int i = 0; i < 60; i++)
        {
            double x = 56 + i * 6, y = 720;
            sb.Append($"{x} {y} m {x + 1} {y + 6} {x + 4} {y + 6} {x + 5} {y} c {x + 3} {y + 2} {x + 2} {y + 2} {x} {y} c f\n");
        }
        page.Raw(sb.ToString());
        AddSymbol(page, b.Identity!);
        var outcome = EvidenceWriter.Create(b.WithPdf(w.ToBytes()).ToBytes(), Shared.Data, English);
        outcome.Accepted.ShouldBeFalse();
        outcome.Refusals.ShouldContain(r => r.Contains("outlines"));
    }

    [Fact]
    public void A_decodable_text_page_with_the_same_symbol_is_accepted_control()
    {
        // control for the two refusals above: same layout, text in the standard font
        var b = CdaBuilder.Ldl();
        var w = new PdfWriter();
        var page = w.AddPage();
        page.Text("Compte rendu fictif", 56, 780, 14);
        page.Text("Nom de naissance : " + b.Identity!.Family, 56, 720, 10);
        AddSymbol(page, b.Identity!);
        var outcome = EvidenceWriter.Create(b.WithPdf(w.ToBytes()).ToBytes(), Shared.Data, English);
        outcome.Accepted.ShouldBeTrue(string.Join("; ", outcome.Refusals));
        outcome.Stats.Pdf.RemovedTextRuns.ShouldBe(1);
    }

    [Fact]
    public void Identity_text_inside_a_form_xobject_is_blanked()
    {
        var b = CdaBuilder.Ldl();
        var id = b.Identity!;
        var pdf = SegurPdf.Render("Compte rendu", id, extra: p => p.Form(f => f.Text("Patient : " + id.Family, 56, 640, 10)));
        var outcome = EvidenceWriter.Create(b.WithPdf(pdf).ToBytes(), Shared.Data, English);
        outcome.Accepted.ShouldBeTrue(string.Join("; ", outcome.Refusals));
        ReadableText(EmbeddedPdfs(outcome.Output!)[0]).ShouldNotContain(id.Family);
    }

    /// <summary>A one-page PDF whose text annotation (a note, not page content) carries the birth family name.</summary>
    public static byte[] AnnotatedPdf(PdfIdentity id)
    {
        var content = "BT /F1 12 Tf 72 770 Td (Compte rendu fictif) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R] >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            $"<< /Type /Annot /Subtype /Text /Rect [72 700 92 720] /Contents (Patient {id.Family}) >>",
        };
        var sb = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (int i = 0; i < objects.Length; i++)
        {
            offsets.Add(sb.Length);
            sb.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }
        int xref = sb.Length;
        sb.Append("xref\n0 ").Append(objects.Length + 1).Append("\n0000000000 65535 f \n");
        foreach (var o in offsets) sb.Append(o.ToString("D10")).Append(" 00000 n \n");
        sb.Append("trailer\n<< /Size ").Append(objects.Length + 1).Append(" /Root 1 0 R >>\nstartxref\n").Append(xref).Append("\n%%EOF\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    [Fact]
    public void Identity_text_the_rewriter_does_not_reach_is_caught_by_the_leak_check()
    {
        var b = CdaBuilder.Ldl();
        var id = b.Identity!;
        var outcome = EvidenceWriter.Create(b.WithPdf(AnnotatedPdf(id)).ToBytes(), Shared.Data, English);
        outcome.Accepted.ShouldBeFalse();
        outcome.Output.ShouldBeNull();
        outcome.Refusals.ShouldContain(r => r.Contains("embedded PDF 1"));
        string.Join(" ", outcome.Refusals).ShouldNotContain(id.Family);
    }

    [Theory]
    [InlineData("%PDF-1.4\nthis is not a pdf body at all\n%%EOF\n")]
    [InlineData("not even a pdf")]
    public void A_corrupt_pdf_is_refused(string body)
    {
        var b = CdaBuilder.Ldl().WithPdf(Encoding.ASCII.GetBytes(body));
        var outcome = EvidenceWriter.Create(b.ToBytes(), Shared.Data, English);
        outcome.Accepted.ShouldBeFalse();
        outcome.Refusals.ShouldContain(r => r.Contains("PDF"));
    }

    [Fact]
    public void Non_cda_input_is_refused()
    {
        EvidenceWriter.Create(Encoding.UTF8.GetBytes("<root/>"), Shared.Data, English).Refusals.ShouldContain(r => r.Contains("not a CDA"));
        EvidenceWriter.Create(Encoding.UTF8.GetBytes("<root"), Shared.Data, English).Accepted.ShouldBeFalse();
    }

    [Fact]
    public void N3_document_with_embedded_pdf_and_the_name_in_the_narrative_is_anonymised()
    {
        var b = Builder("crc", SymbolStyle.VectorDarkAndLight, xrefStream: false, n3: true);
        var fam = b.Identity!.Family;
        b.Mutate(d => d.El("//h:section/h:text/h:paragraph")!.Value = "Patient " + fam + " vu en consultation.");
        var input = b.ToBytes();
        var original = Shared.Validator().Validate("in.xml", input);
        original.Level.ShouldNotBe(null);
        var outcome = EvidenceWriter.Create(input, Shared.Data, English);
        outcome.Accepted.ShouldBeTrue(string.Join("; ", outcome.Refusals));
        var xml = Encoding.UTF8.GetString(outcome.Output!);
        xml.ShouldNotContain(fam);
        xml.ShouldContain("vu en consultation");
        outcome.Validation!.Level.ShouldBe(original.Level);
        outcome.Validation.DataMatrix.Status.ShouldBe(DataMatrixStatus.LocatedUndecodable);
        EmbeddedPdfs(outcome.Output!).Count.ShouldBe(1);
    }

    [Fact]
    public void Given_names_and_family_variants_are_caught_elsewhere()
    {
        // an author sharing the patient's second given name, and the family name printed with a space
        var b = CdaBuilder.Ldl().Mutate(d => d.El("//h:author//h:assignedPerson/h:name/h:given")!.Value = "Jean");
        var id = b.Identity!;
        var pdf = SegurPdf.Render("Compte rendu", id, extra: p => p.Text("Suivi de " + id.Family.Replace('-', ' '), 56, 640, 10));
        var outcome = EvidenceWriter.Create(b.WithPdf(pdf).ToBytes(), Shared.Data, English);
        outcome.Accepted.ShouldBeTrue(string.Join("; ", outcome.Refusals));
        var xml = Encoding.UTF8.GetString(outcome.Output!);
        xml.ShouldNotContain(">Jean<");
        ReadableText(EmbeddedPdfs(outcome.Output!)[0]).ShouldNotContain(id.Family.Replace('-', ' '));
    }

    [Fact]
    public void Header_values_are_replaced_with_same_shape_fictitious_values()
    {
        var b = CdaBuilder.Ldl();
        var outcome = EvidenceWriter.Create(b.ToBytes(), Shared.Data, English);
        outcome.Accepted.ShouldBeTrue(string.Join("; ", outcome.Refusals));
        var v = outcome.Validation!;
        v.Ins.Matricule.ShouldNotBeNull();
        v.Ins.Matricule!.Length.ShouldBe(15);
        v.Ins.Matricule.ShouldNotBe(b.Matricule);
        v.Ins.Oid.ShouldBe(CdaBuilder.InsNirOid);
        // the fictitious matricule has a valid key
        long body = long.Parse(v.Ins.Matricule[..13]);
        (97 - body % 97).ShouldBe(long.Parse(v.Ins.Matricule[13..]));
        v.Ins.BirthFamily.ShouldBe("XXXX-WWWW");
        v.Ins.FirstBirthGiven.ShouldBe("YYYY");
        v.Ins.BirthGivens.ShouldBe("YYYY ZZZZ");
        v.Ins.BirthTime.ShouldBe("19700101");
        v.Ins.BirthPlaceCode.ShouldBe("01001");
        var xml = Encoding.UTF8.GetString(outcome.Output!);
        xml.ShouldNotContain("IPP000123");
        xml.ShouldNotContain("75056");
    }
}
