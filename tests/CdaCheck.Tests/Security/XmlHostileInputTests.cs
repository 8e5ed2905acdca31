using System.Text;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Security;

public class XmlHostileInputTests
{
    private static DocumentResult Validate(string text, ValidationOptions? o = null) =>
        Shared.Validator(o).Validate("hostile.xml", Encoding.UTF8.GetBytes(text));

    private static IEnumerable<string> Rules(DocumentResult r) => r.Findings.Select(f => f.RuleId);

    [Fact]
    public void External_entity_is_refused_and_never_resolved()
    {
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "TOP-SECRET-CONTENT");
        try
        {
            var r = Validate($"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]><ClinicalDocument xmlns="urn:hl7-org:v3"><title>&e;</title></ClinicalDocument>""");
            Rules(r).ShouldContain("SEC-001");
            r.IsConformant(CdaCheck.Core.Rules.Severity.Error).ShouldBeFalse();
            string.Join(" ", r.Findings.Select(f => f.Message)).ShouldNotContain("TOP-SECRET");
        }
        finally { File.Delete(secret); }
    }

    [Fact]
    public void Parameter_entities_and_billion_laughs_are_refused()
    {
        var laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) laughs.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString())};", 10))}\">");
        laughs.Append("]><ClinicalDocument xmlns=\"urn:hl7-org:v3\">&lol9;</ClinicalDocument>");
        Rules(Validate(laughs.ToString())).ShouldContain("SEC-001");
        Rules(Validate("<!DOCTYPE x [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/x\"> %p;]><a/>")).ShouldContain("SEC-001");
        Rules(Validate("<!DOCTYPE ClinicalDocument><ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>")).ShouldContain("SEC-001");
    }

    [Fact]
    public void Deep_nesting_is_refused_without_stack_overflow()
    {
        var depth = 10_000;
        var sb = new StringBuilder();
        for (int i = 0; i < depth; i++) sb.Append("<a>");
        for (int i = 0; i < depth; i++) sb.Append("</a>");
        Rules(Validate(sb.ToString())).ShouldContain("SEC-003");
    }

    [Fact]
    public void Size_limit_is_enforced()
    {
        var o = new ValidationOptions { Limits = new Limits { MaxXmlChars = 10_000 } };
        var big = "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>" + new string('x', 20_000) + "</title></ClinicalDocument>";
        Rules(Validate(big, o)).ShouldContain("SEC-002");
    }

    [Theory]
    [InlineData("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>unclosed</ClinicalDocument>", "DOC-001")]
    [InlineData("<root><child/></root>", "DOC-002")]
    [InlineData("<ClinicalDocument><title/></ClinicalDocument>", "DOC-002")]
    [InlineData("\u0000\u0001binary", "DOC-003")]
    [InlineData("", "DOC-003")]
    public void Malformed_input_gives_a_finding_not_a_crash(string text, string rule)
    {
        var r = Validate(text);
        Rules(r).ShouldContain(rule);
        Rules(r).ShouldNotContain("SEC-005");
    }

    [Fact]
    public void Invalid_utf8_is_a_finding()
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat(Encoding.UTF8.GetBytes("</title></ClinicalDocument>")).ToArray();
        var r = Shared.Validator().Validate("bad-utf8.xml", bytes);
        Rules(r).ShouldContain("SEC-007");
        Rules(r).ShouldNotContain("DOC-001");
    }

    [Fact]
    public void A_hostile_input_in_a_batch_does_not_hide_the_others()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-batch");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "a.xml"), "<!DOCTYPE x [<!ENTITY e \"e\">]><a>&e;</a>");
            File.WriteAllText(Path.Combine(dir.FullName, "b.xml"), "not xml at all");
            File.WriteAllText(Path.Combine(dir.FullName, "c.xml"), "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>");
            var run = CliRunner.Invoke("validate", "--format", "json", dir.FullName);
            run.ExitCode.ShouldBe(1);
            var docs = System.Text.Json.JsonDocument.Parse(run.Stdout).RootElement.GetProperty("documents");
            docs.GetArrayLength().ShouldBe(3);
        }
        finally { dir.Delete(true); }
    }
}

public class LimitOptionTests
{
    [Fact]
    public void Limits_are_configurable_from_the_command_line()
    {
        var sample = Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml");
        CliRunner.Invoke("validate", sample).ExitCode.ShouldBe(0);
        var tight = CliRunner.Invoke("validate", "--format", "json", "--limit", "embedded-bytes=1k", sample);
        tight.ExitCode.ShouldBe(1);
        tight.Stdout.ShouldContain("SEC-002");
        CliRunner.Invoke("validate", "--limit", "xml-depth=3", sample).Stdout.ShouldContain("SEC-003");
        CliRunner.Invoke("validate", "--limit", "nope=3", sample).ExitCode.ShouldBe(2);
        CliRunner.Invoke("validate", "--limit", "xml-depth=-3", sample).ExitCode.ShouldBe(2);
    }

    [Fact]
    public void Every_limit_name_round_trips()
    {
        var l = new CdaCheck.Core.Validation.Limits();
        foreach (var (name, value) in l.Describe())
            l.With($"{name}={value + 1}").Describe().Single(d => d.Name == name).Value.ShouldBe(value + 1);
        l.With("embedded-bytes=2m").MaxEmbeddedBytes.ShouldBe(2L << 20);
    }
}
