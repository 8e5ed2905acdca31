using System.Text;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;

namespace CdaCheck.Tests.Cda;

/// <summary>Every CDA-engine rule: one failing document per fault (Faults.All) and conformant documents that do not trigger it.</summary>
public class RuleTests
{
    private static readonly string[] Families = ["HDR", "INS", "DOC"];

    public static TheoryData<string> FaultNames() => new(Faults.All.Select(f => f.Name));

    public static TheoryData<string> LayerRules() =>
        new(RuleCatalog.All.Where(r => Families.Contains(r.Family)).Select(r => r.Id));

    private static Fault FaultNamed(string name) => Faults.All.Single(f => f.Name == name);

    [Theory]
    [MemberData(nameof(FaultNames))]
    public void Fault_produces_its_rule_with_its_severity(string name)
    {
        var fault = FaultNamed(name);
        var b = SampleWriter.BaseFor(fault);
        fault.Apply(b);
        var r = CdaFixture.Validate(b, new ValidationOptions { AllowTestIns = fault.AllowTestIns });
        SeverityExtensions.TryParse(fault.Severity, out var sev).ShouldBeTrue();
        r.ShouldHave(fault.Rule, sev);
        var finding = r.Findings.First(f => f.RuleId == fault.Rule && f.Severity == sev);
        finding.Location.XPath.ShouldNotBeNullOrEmpty(finding.Message);
        finding.Location.XPath!.ShouldStartWith("/ClinicalDocument");
        finding.Location.Line.ShouldNotBeNull(finding.Message);
        finding.Message.ShouldNotContain("{");
        r.Findings.ShouldNotContain(f => f.RuleId.StartsWith("SEC-"), r.Describe());
        // Conformance as far as this layer goes: a header fault also makes the INS DataMatrix of the
        // (unchanged) PDF disagree with the header, which the DataMatrix layer rightly reports (DM-02x).
        r.Findings.Any(f => f.Severity == Severity.Error && Families.Contains(f.Rule?.Family)).ShouldBe(fault.IsError, r.Describe());
    }

    [Theory]
    [MemberData(nameof(LayerRules))]
    public void Conformant_documents_do_not_trigger_the_rule(string ruleId)
    {
        foreach (var b in new[] { CdaBuilder.Ldl(), CdaBuilder.Ldl().N3(), CdaBuilder.Bio().N3(), CdaBuilder.Ods(), CdaBuilder.Img().N3(), CdaBuilder.Ldl().WithVersion(2) })
            CdaFixture.Validate(b).ShouldNotHave(ruleId);
    }

    [Fact]
    public void Every_rule_of_the_layer_has_a_failing_case()
    {
        var covered = Faults.All.Select(f => f.Rule).Concat(["DOC-001", "DOC-002", "DOC-003"]).ToHashSet();
        var missing = RuleCatalog.All.Where(r => Families.Contains(r.Family) && !covered.Contains(r.Id)).Select(r => r.Id).ToList();
        missing.ShouldBeEmpty();
        foreach (var f in Faults.All) RuleCatalog.Find(f.Rule).ShouldNotBeNull(f.Name);
    }

    [Fact]
    public void Not_well_formed_xml_is_DOC_001()
    {
        var xml = CdaBuilder.Ldl().ToXml();
        var r = Shared.ValidateXml(xml[..(xml.Length / 2)]);
        r.ShouldHave("DOC-001", Severity.Error);
        r.Findings.Single(f => f.RuleId == "DOC-001").Location.Line.ShouldNotBeNull();
        Shared.ValidateXml(xml).ShouldNotHave("DOC-001");
    }

    [Fact]
    public void Xml_without_ClinicalDocument_is_DOC_002()
    {
        Shared.ValidateXml("<?xml version=\"1.0\"?><ClinicalDocument><code/></ClinicalDocument>").ShouldHave("DOC-002", Severity.Error);
        Shared.ValidateXml(CdaBuilder.Ldl().ToXml()).ShouldNotHave("DOC-002");
    }

    [Fact]
    public void Non_xml_input_is_DOC_003()
    {
        var r = Shared.Validator().Validate("x.bin", Encoding.ASCII.GetBytes("hello, not a document"));
        r.ShouldHave("DOC-003", Severity.Error);
    }

    [Fact]
    public void Auto_presentable_cda_is_read_inside_its_stylesheet()
    {
        var inner = CdaBuilder.Ldl().ToXml();
        inner = inner[(inner.IndexOf("?>") + 2)..];
        var wrapped = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"><xsl:template match=\"/\"/><Contenu>" + inner + "</Contenu></xsl:stylesheet>";
        var r = Shared.ValidateXml(wrapped);
        r.ShouldHaveNoErrors();
        r.TypeCode.ShouldBe("11490-0");
        r.Level.ShouldBe("N1");
    }

    [Fact]
    public void Oversized_embedded_pdf_is_a_limit_finding_not_a_crash()
    {
        var opts = new ValidationOptions { Limits = new Limits { MaxEmbeddedBytes = 100 } };
        var r = CdaFixture.Validate(CdaBuilder.Ldl(), opts);
        r.ShouldHave("SEC-002", Severity.Error);
        r.EmbeddedFiles.ShouldBeEmpty();
    }

    [Fact]
    public void Findings_carry_xpath_and_line()
    {
        var r = CdaFixture.Validate(CdaBuilder.Ldl().Mutate(d => d.SetAttr("/h:ClinicalDocument/h:languageCode", "code", "french")));
        var f = r.Findings.Single(x => x.RuleId == "HDR-010");
        f.Location.XPath.ShouldBe("/ClinicalDocument/languageCode/@code");
        f.Location.Line.ShouldNotBeNull();
        f.Location.Column.ShouldNotBeNull();
    }

    [Fact]
    public void Other_cisis_media_types_are_warnings_and_get_their_formatcode()
    {
        var r = CdaFixture.Validate(CdaBuilder.Crc().Mutate(d => d.SetAttr("//h:nonXMLBody/h:text", "mediaType", "image/jpeg")));
        r.ShouldHave("DOC-032", Severity.Warning);
        r.FormatCode.ShouldBe("urn:ihe:iti-fr:xds-sd:jpeg:2010");
        r.ShouldNotHave("DOC-035"); // not a PDF: the PDF checks do not apply
    }

    [Fact]
    public void Version_two_with_rplc_is_accepted()
    {
        var r = CdaFixture.Validate(CdaBuilder.Ldl().WithVersion(2));
        r.ShouldHaveNoErrors();
        r.ShouldNotHave("HDR-013");
    }
}
