using System.Text.Json;
using System.Xml.Linq;

namespace CdaCheck.Tests.Reporting;

public class ReportFormatTests
{
    private static string Ans(string file) => Path.Combine(TestPaths.AnsExamples, file);

    // A production-OID example whose NIR key is wrong (non-conformant) and a conformant-looking N1 example.
    private static readonly string[] Inputs = ["CSE-CS8_2024.01.xml", "DOC_NON_STRUCTURE_CDA-R2-N1.xml", "LDL-SES_2022.01.xml"];

    private static string[] Paths() => Inputs.Select(Ans).ToArray();

    [SharedFact]
    public void Json_report_follows_the_published_schema()
    {
        var run = CliRunner.Invoke(["validate", "--format", "json", .. Paths()]);
        run.ExitCode.ShouldBeOneOf(0, 1);
        using var doc = JsonDocument.Parse(run.Stdout);
        var schema = MiniJsonSchema.Load(Path.Combine(TestPaths.Schemas, "report.schema.json"));
        schema.Validate(doc.RootElement).ShouldBeEmpty();
        doc.RootElement.GetProperty("documents").GetArrayLength().ShouldBe(3);
        doc.RootElement.GetProperty("summary").GetProperty("documents").GetInt32().ShouldBe(3);
    }

    [Fact]
    public void Schema_check_rejects_a_report_that_breaks_the_contract()
    {
        var schema = MiniJsonSchema.Load(Path.Combine(TestPaths.Schemas, "report.schema.json"));
        using var bad = JsonDocument.Parse("""{"tool":{"name":"x"},"documents":[{"path":"a","kind":"weird","conformant":"yes"}],"summary":{}}""");
        schema.Validate(bad.RootElement).Count.ShouldBeGreaterThan(3);
    }

    [SharedFact]
    public void Output_order_is_the_sorted_input_order_whatever_the_parallelism()
    {
        var seq = CliRunner.Invoke("validate", "--format", "json", "--parallel", "1", TestPaths.AnsExamples);
        var par = CliRunner.Invoke("validate", "--format", "json", "--parallel", "4", TestPaths.AnsExamples);
        static List<string> PathsOf(string json) => JsonDocument.Parse(json).RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("path").GetString()!).ToList();
        var a = PathsOf(seq.Stdout);
        a.Count.ShouldBeGreaterThan(50);
        a.ShouldBe(PathsOf(par.Stdout));
        a.ShouldBe(a.OrderBy(p => p, StringComparer.Ordinal).ToList());
    }

    [SharedFact]
    public void Sarif_report_lists_rules_from_the_catalogue_and_results_with_locations()
    {
        var run = CliRunner.Invoke(["validate", "--format", "sarif", .. Paths()]);
        using var doc = JsonDocument.Parse(run.Stdout);
        doc.RootElement.GetProperty("version").GetString().ShouldBe("2.1.0");
        var sarifRun = doc.RootElement.GetProperty("runs")[0];
        var rules = sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("rules");
        rules.GetArrayLength().ShouldBe(CdaCheck.Core.Rules.RuleCatalog.All.Count);
        var results = sarifRun.GetProperty("results").EnumerateArray().ToList();
        results.ShouldNotBeEmpty();
        foreach (var r in results)
        {
            var idx = r.GetProperty("ruleIndex").GetInt32();
            rules[idx].GetProperty("id").GetString().ShouldBe(r.GetProperty("ruleId").GetString());
            r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString().ShouldNotBeNullOrEmpty();
        }
        results.ShouldContain(r => r.GetProperty("ruleId").GetString() == "INS-004"
            && r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32() > 0);
    }

    [SharedFact]
    public void Junit_report_has_one_testcase_per_document_and_failures_for_non_conformant_ones()
    {
        var run = CliRunner.Invoke(["validate", "--format", "junit", .. Paths()]);
        var xml = XDocument.Parse(run.Stdout);
        var cases = xml.Descendants("testcase").ToList();
        cases.Count.ShouldBe(3);
        var failed = cases.Where(c => c.Element("failure") is not null).ToList();
        failed.Count.ShouldBe(run.ExitCode == 1 ? failed.Count : 0);
        failed.ShouldContain(c => c.Attribute("name")!.Value.Contains("CSE-CS8"));
        xml.Root!.Attribute("failures")!.Value.ShouldBe(failed.Count.ToString());
    }

    [SharedFact]
    public void Output_file_is_written_whole_and_exit_code_reflects_conformance()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-out");
        try
        {
            var target = Path.Combine(dir.FullName, "r.json");
            var run = CliRunner.Invoke("validate", "--format", "json", "-o", target, Ans("CSE-CS8_2024.01.xml"));
            run.ExitCode.ShouldBe(1);
            File.Exists(target).ShouldBeTrue();
            JsonDocument.Parse(File.ReadAllText(target)).RootElement.GetProperty("summary").GetProperty("nonConformant").GetInt32().ShouldBe(1);
            Directory.GetFiles(dir.FullName).Length.ShouldBe(1); // no temporary file left behind
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        CliRunner.Invoke("validate", "/no/such/file.xml").ExitCode.ShouldBe(2);
        CliRunner.Invoke("validate", "--format", "yaml", "x.xml").ExitCode.ShouldBe(2);
        CliRunner.Invoke("frobnicate").ExitCode.ShouldBe(2);
    }

    [SharedFact]
    public void Identity_values_are_masked_unless_revealed()
    {
        // 277076322082910 / 221042545611404 etc. are fictitious test identities of the ANS corpus.
        var file = Ans("CSE-CS8_2024.01.xml");
        var xml = XDocument.Load(file);
        XNamespace v3 = "urn:hl7-org:v3";
        var matricule = xml.Descendants(v3 + "patientRole").Elements(v3 + "id").First().Attribute("extension")!.Value;
        var family = xml.Descendants(v3 + "patient").Descendants(v3 + "family").First().Value;
        foreach (var format in new[] { "text", "json", "sarif", "junit" })
        {
            var masked = CliRunner.Invoke("validate", "--format", format, file).Stdout;
            masked.ShouldNotContain(matricule, customMessage: format);
            masked.ShouldNotContain(family, customMessage: format);
        }
        var revealed = CliRunner.Invoke("validate", "--format", "json", "--reveal-identity", file).Stdout;
        revealed.ShouldContain(matricule);
    }

    [Fact]
    public void Rules_command_prints_the_catalogue_in_three_formats()
    {
        var text = CliRunner.Invoke("rules");
        text.ExitCode.ShouldBe(0);
        foreach (var r in CdaCheck.Core.Rules.RuleCatalog.All) text.Stdout.ShouldContain(r.Id);
        var json = JsonDocument.Parse(CliRunner.Invoke("rules", "--format", "json").Stdout);
        json.RootElement.GetProperty("rules").GetArrayLength().ShouldBe(CdaCheck.Core.Rules.RuleCatalog.All.Count);
        var md = CliRunner.Invoke("rules", "--format", "md").Stdout;
        md.ShouldContain("### INS-004");
    }
}

public class ShardAndLinesTests
{
    [SharedFact]
    public void Shards_partition_the_inputs_and_jsonl_gives_one_line_per_document()
    {
        var all = new List<string>();
        for (int k = 1; k <= 3; k++)
        {
            var run = CliRunner.Invoke("validate", "--format", "jsonl", "--shard", $"{k}/3", TestPaths.AnsExamples);
            var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var docs = lines[..^1].Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()!).ToList();
            System.Text.Json.JsonDocument.Parse(lines[^1]).RootElement.GetProperty("documents").GetInt32().ShouldBe(docs.Count);
            all.AddRange(docs);
        }
        var whole = System.Text.Json.JsonDocument.Parse(CliRunner.Invoke("validate", "--format", "json", TestPaths.AnsExamples).Stdout)
            .RootElement.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("path").GetString()!).ToList();
        all.Order(StringComparer.Ordinal).ShouldBe(whole);
    }

    [SharedFact]
    public void Bad_shard_is_a_usage_error()
    {
        CliRunner.Invoke("validate", "--shard", "4/3", TestPaths.AnsExamples).ExitCode.ShouldBe(2);
    }
}
