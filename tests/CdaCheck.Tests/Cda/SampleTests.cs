using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;

namespace CdaCheck.Tests.Cda;

public class SampleTests
{
    public static TheoryData<string> Kinds() => new(CdaBuilder.SegurTypes.Select(t => t.Kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Builder_N1_document_of_each_kind_is_conformant_and_classified(string kind)
    {
        var b = CdaBuilder.ForKind(kind);
        var r = CdaFixture.Validate(b);
        r.ShouldHaveNoErrors();
        r.Findings.Where(f => f.Severity == Severity.Warning).ShouldBeEmpty(r.Describe());
        r.Kind.ShouldBe(InputKind.Cda);
        r.TypeCode.ShouldBe(b.Type.Code);
        r.Level.ShouldBe("N1");
        r.SegurKind.ShouldBe(kind);
        r.FormatCode.ShouldBe("urn:ihe:iti:xds-sd:pdf:2008");
        r.Ins.Status.ShouldBe(InsStatus.Qualified);
        r.Ins.CountsAsQualified.ShouldBeTrue();
        r.Ins.Matricule.ShouldBe(b.Matricule);
        r.DocumentId.ShouldBe("1.2.250.1.999.1.1^DOC-0001");
        r.EffectiveTime.ShouldBe("20251103101500+0100");
        r.Title.ShouldBe(b.Type.DisplayName);
        r.EmbeddedFiles.Count.ShouldBe(1);
        r.EmbeddedFiles[0].Origin.ShouldBe("nonXMLBody");
        r.EmbeddedFiles[0].Bytes.ShouldBe(b.DefaultPdf);
        r.DataMatrix.Status.ShouldBe(DataMatrixStatus.Decoded);
        r.EmbeddedFiles[0].Location.XPath.ShouldBe("/ClinicalDocument/component/nonXMLBody/text");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Builder_N3_document_of_each_kind_is_conformant(string kind)
    {
        var r = CdaFixture.Validate(CdaBuilder.ForKind(kind).N3());
        r.ShouldHaveNoErrors();
        r.Level.ShouldBe("N3");
    }

    [Fact]
    public void Bio_N3_has_xdlab_formatcode_and_its_pdf_is_collected()
    {
        var b = CdaBuilder.Bio().N3();
        var pdf = CdaCheck.TestData.Composite.SegurPdf.Render("lab report", b.Identity);
        var r = CdaFixture.Validate(b.WithPdf(pdf));
        r.ShouldHaveNoErrors();
        r.FormatCode.ShouldBe("urn:ihe:lab:xd-lab:2008");
        r.EmbeddedFiles.Count.ShouldBe(1);
        r.EmbeddedFiles[0].Origin.ShouldBe("observationMedia");
        r.EmbeddedFiles[0].Bytes.ShouldBe(pdf);
        r.EmbeddedFiles[0].Location.XPath!.ShouldEndWith("observationMedia/value");
    }

    [Fact]
    public void N3_formatcodes_come_from_the_volet_templateId()
    {
        CdaFixture.Validate(CdaBuilder.Ldl().N3()).FormatCode.ShouldBe("urn:asip:ci-sis:ldl-ses:2017");
        CdaFixture.Validate(CdaBuilder.Img().N3()).FormatCode.ShouldBe("urn:ihe:rad:CDA:ImagingReportStructuredHeadings:2013");
        CdaFixture.Validate(CdaBuilder.Cro().N3()).FormatCode.ShouldBe("urn:asipSante:modelesHorsProfils:2011");
    }

    [Theory]
    [InlineData("57832-8")]
    [InlineData("57828-6")]
    [InlineData("PRESC-KINE")]
    [InlineData("PRESC-BIO")]
    [InlineData("PRESC-INF")]
    public void Other_prescription_codes_are_ods(string code)
    {
        var t = CdaBuilder.PrescriptionTypes.Single(p => p.Code == code);
        var r = CdaFixture.Validate(CdaBuilder.Ods().WithType(t));
        r.ShouldHaveNoErrors();
        r.SegurKind.ShouldBe("ods");
        r.ClassCode.ShouldBe("42");
    }

    [Fact]
    public void Bundled_samples_are_conformant_and_match_the_builder()
    {
        var dir = Path.Combine(TestPaths.TestData, "samples");
        var files = Directory.GetFiles(dir, "*.xml");
        files.Length.ShouldBeGreaterThanOrEqualTo(CdaBuilder.SegurTypes.Count);
        var v = Shared.Validator();
        foreach (var f in files)
        {
            var r = v.ValidateFile(f);
            r.Errors().ShouldBeEmpty(Path.GetFileName(f) + "\n" + r.Describe());
            r.TypeCode.ShouldNotBeNull();
            r.Ins.Status.ShouldBe(InsStatus.Qualified, Path.GetFileName(f));
        }
        foreach (var (file, b) in SampleWriter.Samples())
            File.ReadAllText(Path.Combine(dir, file)).ShouldBe(b.ToXml(), $"{file} is stale: run `dotnet run --project testdata/CdaCheck.TestData -- samples testdata/samples`");
        foreach (var t in CdaBuilder.SegurTypes)
            files.ShouldContain(f => Path.GetFileName(f) == t.Kind + "-n1.xml");
    }

    [Fact]
    public void Builder_pdf_is_a_valid_pdf_with_a_correct_xref()
    {
        var pdf = CdaBuilder.MinimalPdf("x");
        var text = System.Text.Encoding.ASCII.GetString(pdf);
        text.ShouldStartWith("%PDF-1.4");
        text.TrimEnd().ShouldEndWith("%%EOF");
        var startxref = int.Parse(text[(text.LastIndexOf("startxref", StringComparison.Ordinal) + 10)..].Split('\n')[0]);
        text.Substring(startxref, 4).ShouldBe("xref");
        var lines = text[startxref..].Split('\n');
        for (int obj = 1; obj <= 5; obj++)
        {
            var off = int.Parse(lines[2 + obj][..10]);
            text.Substring(off).ShouldStartWith($"{obj} 0 obj");
        }
    }

    [Fact]
    public void Builder_matricule_has_a_valid_key_and_ids_have_valid_check_digits()
    {
        var b = CdaBuilder.Ldl();
        CdaCheck.Core.Ins.Nir.HasValidKey(b.Matricule).ShouldBeTrue();
        CdaCheck.Core.Cda.Uid.LuhnValid(CdaBuilder.Rpps).ShouldBeTrue();
        CdaCheck.Core.Cda.Uid.LuhnValid(CdaBuilder.Finess).ShouldBeTrue();
        CdaBuilder.Nir('2', "79", "03", "51215", "189").ShouldBe("279035121518989"); // the ANS example NIR (valid key 89)
    }
}
