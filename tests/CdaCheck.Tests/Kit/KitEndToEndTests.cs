using CdaCheck.Core.Indicators;
using CdaCheck.Core.Kit;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.Kit;

/// <summary>validate --kit end to end: header and body mutants caught by the right KIT- layer, no loss between the engine and the findings, the indicators gate.</summary>
public class KitEndToEndTests
{
    private const string Ldl = "LDL-SES_2022.01.xml";

    [SharedFact]
    public void A_header_mutant_is_caught_by_StrucMin_with_the_kits_own_message_and_nothing_is_lost_on_the_way()
    {
        var mutant = KitFixture.Mutant(Ldl, "<realmCode code=\"FR\"/>", "");
        var r = KitFixture.Validate("realm.xml", mutant);
        var strucMin = KitFixture.Kit_(r, "KIT-002");
        strucMin.ShouldNotBeEmpty();
        strucMin.ShouldContain(f => f.Message.Contains("realmCode"));
        var f0 = strucMin.First(f => f.Message.Contains("realmCode"));
        f0.Details!["schematron"].ShouldBe(OfficialKit.StrucMinPath);
        f0.Details.ContainsKey("context").ShouldBeTrue();
        f0.Location.Line.ShouldNotBeNull();
        r.KitVolet.ShouldBe("LDL-SES_2022.01");
        // The findings are the engine's results, one for one (severity from the role, message as written).
        var layer = KitFixture.Kit.Generic.First(g => g.Layer == KitLayer.StrucMin);
        var engine = layer.Schema!.Validate(KitStage.Navigator(System.Text.Encoding.UTF8.GetBytes(mutant), new Limits()));
        var fromEngine = engine.Select(e => (KitStage.SeverityOf(e.Role), KitStage.NormaliseMessage(e.Message), e.Line)).Order().ToList();
        var fromFindings = r.AllFindings().Where(f => f.RuleId == "KIT-002").Select(f => (f.Severity, f.Message, f.Location.Line ?? 0)).Order().ToList();
        fromFindings.ShouldBe(fromEngine);
        // Without the mutation, StrucMin says nothing about realmCode.
        KitFixture.ValidateExample(Ldl).AllFindings().ShouldNotContain(f => f.RuleId == "KIT-002" && f.Message.Contains("realmCode"));
    }

    [SharedFact]
    public void Body_mutants_are_caught_by_the_schema_layer()
    {
        var unknown = KitFixture.Validate("unknown.xml", KitFixture.Mutant(Ldl, "<statusCode code=\"completed\"/>", "<statusCode code=\"completed\"/><foo/>"));
        KitFixture.Kit_(unknown, "KIT-001").ShouldNotBeEmpty();
        var classCode = KitFixture.Validate("classcode.xml", KitFixture.Mutant(Ldl, "<observation classCode=\"OBS\" moodCode=\"EVN\">", "<observation classCode=\"XYZ\" moodCode=\"EVN\">"));
        KitFixture.Kit_(classCode, "KIT-001").ShouldContain(f => f.Message.Contains("classCode"));
    }

    [SharedFact]
    public void With_the_kit_a_document_with_kit_errors_does_not_count_in_the_indicators()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cdacheck-kitgate-{Environment.ProcessId}-{Guid.NewGuid():N}.xml");
        try
        {
            File.WriteAllText(file, KitFixture.Mutant(Ldl, "<title>Lettre de liaison", "<foo/><title>Lettre de liaison"));
            var withKit = new ConformanceGate(Shared.Data, null, kit: KitFixture.Kit).Validate(file, GateMode.Dmp);
            withKit.Conformant.ShouldBeFalse();
            withKit.Errors.ShouldContain(f => f.RuleId == "KIT-001");
            var withoutKit = new ConformanceGate(Shared.Data, null).Validate(file, GateMode.Dmp);
            withoutKit.Errors.ShouldNotContain(f => f.RuleId.StartsWith("KIT-"));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Without_a_kit_the_summary_says_once_that_the_official_rules_were_not_run()
    {
        var samples = Path.Combine(TestPaths.TestData, "samples");
        var text = CliRunner.Invoke("validate", samples);
        var line = CdaCheck.Core.Localization.Texts.Get(CdaCheck.Core.Localization.Lang.En, "kit.summary.notRun"); // CliRunner.Invoke runs under an English locale
        System.Text.RegularExpressions.Regex.Matches(text.Stdout, System.Text.RegularExpressions.Regex.Escape(line)).Count.ShouldBe(1);
        System.Text.RegularExpressions.Regex.IsMatch(text.Stdout, "KIT-[0-9]{3}").ShouldBeFalse();
        var json = CliRunner.Invoke("validate", "--format", "json", samples);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        doc.RootElement.GetProperty("summary").GetProperty("officialRulesRun").GetBoolean().ShouldBeFalse();
        doc.RootElement.GetProperty("documents")[0].TryGetProperty("kitVolet", out _).ShouldBeFalse();
    }

    [Fact]
    public void Kit_messages_quoting_the_patients_identity_are_masked_unless_revealed()
    {
        var cd = System.Xml.Linq.XElement.Parse("""
            <ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="279035121518989"/>
            <patient><name><family qualifier="BR">DUPONT</family><given>Marie-Claire</given></name><birthTime value="19790315"/>
            <birthplace><place><addr><county>75056</county></addr></place></birthplace></patient></patientRole></recordTarget></ClinicalDocument>
            """);
        var masked = KitIdentityMask.From(cd, reveal: false);
        var m = masked.Apply("Code : \"279035121518989\" nom DUPONT, prénom Marie-Claire (Claire) né le 19790315 à 75056 ; DUPONTEL garde son nom");
        m.ShouldNotContain("279035121518989");
        m.ShouldNotContain("DUPONT,");
        m.ShouldNotContain("Marie-Claire");
        m.ShouldNotContain("(Claire)");
        m.ShouldNotContain("19790315");
        m.ShouldNotContain("75056");
        m.ShouldContain("DUPONTEL"); // whole tokens only
        KitIdentityMask.From(cd, reveal: true).Apply("DUPONT").ShouldBe("DUPONT");
    }

    [Fact]
    public void A_role_gives_the_severity_as_the_kits_report_reads_it()
    {
        KitStage.SeverityOf(null).ShouldBe(Severity.Error);
        KitStage.SeverityOf("error").ShouldBe(Severity.Error);
        KitStage.SeverityOf("fatal").ShouldBe(Severity.Error);
        KitStage.SeverityOf("WARNING").ShouldBe(Severity.Warning);
        KitStage.SeverityOf("info").ShouldBe(Severity.Info);
        KitStage.NormaliseMessage("\n   Code  : \"x\"\n   Ce code  n'est pas\n").ShouldBe("Code : \"x\" Ce code n'est pas");
    }
}
