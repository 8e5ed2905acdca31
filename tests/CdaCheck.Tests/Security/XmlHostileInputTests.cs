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

    /// <summary>The deepest element level an XML reader with the engine's settings reaches before its first error.</summary>
    private static int ReaderNesting(string text)
    {
        int max = 0;
        try
        {
            using var r = System.Xml.XmlReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(text)), CdaCheck.Core.Cda.SecureXml.Settings(new Limits()));
            while (r.Read()) if (r.NodeType == System.Xml.XmlNodeType.Element) max = Math.Max(max, r.Depth + 1);
        }
        catch (System.Xml.XmlException) { }
        return max;
    }

    [Theory]
    [InlineData("<a><b><c/></b><!-- </b></a> --><d x=\"/>\" y='>'><![CDATA[</a></a>]]><?pi </a>?></d></a>", 3)]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a t=\">\"><!-- <b><b><b><b> --><b/><b><c>it's \"x\"<d/></c></b></a>", 4)]
    [InlineData("<a><b><c><d><e/></d></c></b></a>", 5)]
    [InlineData("<a><b><c><d/><d/><d/><d/></c></b></a>", 4)]
    public void Nesting_bound_from_the_bytes_is_the_parsers_on_well_formed_markup(string xml, int expected)
    {
        ReaderNesting(xml).ShouldBe(expected);
        var bytes = Encoding.UTF8.GetBytes(xml);
        // a limit below the count of '<' (the markup is followed) and one above it (the count bounds it)
        CdaCheck.Core.Cda.SecureXml.MaxNesting(bytes, 5).ShouldBe(expected);
        if (expected > 3) CdaCheck.Core.Cda.SecureXml.MaxNesting(bytes, 3).ShouldBeGreaterThan(3); // past the limit: a value above it
        else CdaCheck.Core.Cda.SecureXml.MaxNesting(bytes, 3).ShouldBe(expected);
        CdaCheck.Core.Cda.SecureXml.MaxNesting(bytes, 100).ShouldBeGreaterThanOrEqualTo(expected);
    }

    [Theory]
    [InlineData("<!DOCTYPE a><a/>")]
    [InlineData("<a><!-- open")]
    [InlineData("<b/><a x='open")]
    [InlineData("<?xml version=\"1.0\" encoding=\"windows-1252\"?><a/>")]
    public void Nesting_bound_leaves_what_it_does_not_read_to_the_parser(string xml) =>
        CdaCheck.Core.Cda.SecureXml.MaxNesting(Encoding.UTF8.GetBytes(xml), 1).ShouldBe(-1);

    [Fact]
    public void Nesting_bound_never_says_shallow_when_the_parser_goes_deeper()
    {
        // random markup, mostly malformed: whenever the bound says "within the limit", the parser (up to its first error) agrees
        string[] pieces = ["<a>", "</a>", "<b/>", "<c x='", "<c y=\"", "'", "\"", ">", "/>", "<", "</", "<!--", "-->", "<![CDATA[", "]]>", "<?p ", "?>", "t", " ", "<!D", "&amp;"];
        var random = new Random(14);
        for (int n = 0; n < 20_000; n++)
        {
            var sb = new StringBuilder();
            int len = random.Next(1, 40);
            for (int k = 0; k < len; k++) sb.Append(pieces[random.Next(pieces.Length)]);
            var text = sb.ToString();
            int limit = random.Next(0, 6);
            int bound = CdaCheck.Core.Cda.SecureXml.MaxNesting(Encoding.UTF8.GetBytes(text), limit);
            if (bound >= 0 && bound <= limit) ReaderNesting(text).ShouldBeLessThanOrEqualTo(limit, text);
        }
    }

    [Fact]
    public void Deep_nesting_inside_a_large_document_is_refused()
    {
        // more '<' than the limit, so the bound follows the markup; the deep part comes after comments and CDATA
        var sb = new StringBuilder("<ClinicalDocument xmlns=\"urn:hl7-org:v3\">");
        for (int i = 0; i < 300; i++) sb.Append("<!-- </x> --><title a='/>'><![CDATA[</y>]]></title>");
        for (int i = 0; i < 300; i++) sb.Append("<a>");
        for (int i = 0; i < 300; i++) sb.Append("</a>");
        sb.Append("</ClinicalDocument>");
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
