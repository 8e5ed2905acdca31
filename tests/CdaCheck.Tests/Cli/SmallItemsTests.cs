using CdaCheck.Cli;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;
using CdaCheck.Tests.Cda;

namespace CdaCheck.Tests.Cli;

/// <summary>Wrong usages and small messages a new user meets.</summary>
public class SmallItemsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-small");
    public void Dispose() => _dir.Delete(true);

    private string Write(string name, byte[] bytes)
    {
        var p = Path.Combine(_dir.FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    [Fact]
    public void Negative_parallel_is_a_usage_error()
    {
        var doc = Write("a.xml", CdaBuilder.Ldl().ToBytes());
        var run = CliRunner.InvokeWith(CliRunner.French, "validate", "--parallel", "-3", doc);
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("--parallel");
        CliRunner.InvokeWith(CliRunner.French, "validate", "--parallel", "0", doc).ExitCode.ShouldBe(0);
    }

    [Fact]
    public void Fail_on_info_makes_any_finding_non_conformant()
    {
        var doc = Write("t.xml", CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirTestOid).ToBytes());
        CliRunner.InvokeWith(CliRunner.French, "validate", "--allow-test-ins", doc).ExitCode.ShouldBe(0);
        CliRunner.InvokeWith(CliRunner.French, "validate", "--allow-test-ins", "--fail-on", "info", doc).ExitCode.ShouldBe(1);
    }

    [Fact]
    public void Test_oid_message_follows_the_option()
    {
        var without = CdaFixture.Validate(CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirTestOid), new ValidationOptions { Language = Lang.En }).Findings.Single(f => f.RuleId == "INS-016");
        without.Message.ShouldContain("only with --allow-test-ins");
        var with = CdaFixture.Validate(CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirTestOid), new ValidationOptions { AllowTestIns = true, Language = Lang.En }).Findings.Single(f => f.RuleId == "INS-016");
        with.Message.ShouldContain("because --allow-test-ins is given");
        with.Message.ShouldNotContain("only with");
        with.Severity.ShouldBe(Severity.Info);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("jsonl")]
    [InlineData("sarif")]
    [InlineData("junit")]
    [InlineData("html")]
    [InlineData("text")]
    public void Reports_on_stdout_end_with_a_newline(string format)
    {
        var doc = Write("a.xml", CdaBuilder.Ldl().ToBytes());
        var run = CliRunner.InvokeWith(CliRunner.French, "validate", "--format", format, doc);
        run.Stdout.ShouldEndWith("\n");
        run.Stdout.ShouldNotEndWith("\n\n\n");
    }

    [Fact]
    public void Empty_xml_says_empty_file()
    {
        var doc = Write("empty.xml", []);
        var r = Shared.Validator(new ValidationOptions { Language = Lang.Fr }).ValidateFile(doc);
        var f = r.Findings.ShouldHaveSingleItem();
        f.Message.ShouldContain("le fichier est vide");
        f.Message.ShouldNotContain("first bytes: )");
    }

    [Fact]
    public void Evidence_of_a_pdf_says_it_expects_a_cda()
    {
        var pdf = Write("doc.pdf", "%PDF-1.4\n%%EOF\n"u8.ToArray());
        var run = CliRunner.InvokeWith(CliRunner.French, "evidence", pdf, "-o", Path.Combine(_dir.FullName, "out.xml"));
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain(Texts.Get(CliApp.LocaleLang, "cli.ux.evidence.isPdf"));
        run.Stderr.ShouldContain("CDA");
        run.Stderr.ShouldNotContain("well-formed");
        File.Exists(Path.Combine(_dir.FullName, "out.xml")).ShouldBeFalse();
    }

    [Fact]
    public void Inspect_of_a_folder_inspects_each_file()
    {
        Write("f/a.xml", CdaBuilder.Ldl().ToBytes());
        Write("f/b.xml", CdaBuilder.Ldl().Mutate(d => d.RemoveAll("//h:patient/h:birthplace")).ToBytes());
        var run = CliRunner.InvokeWith(CliRunner.French, "inspect", Path.Combine(_dir.FullName, "f"));
        run.ExitCode.ShouldBe(1, run.Stderr);
        run.Stdout.ShouldContain("a.xml ====");
        run.Stdout.ShouldContain("b.xml ====");
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "empty"));
        CliRunner.InvokeWith(CliRunner.French, "inspect", Path.Combine(_dir.FullName, "empty")).ExitCode.ShouldBe(2);
    }

    [Fact]
    public void Unsupported_files_of_a_folder_are_counted_and_listed()
    {
        Write("d/a.xml", CdaBuilder.Ldl().ToBytes());
        Write("d/notes.txt", "x"u8.ToArray());
        Write("d/sub/scan.jpg", [0xFF, 0xD8]);
        var text = CliRunner.InvokeWith(CliRunner.French, "validate", Path.Combine(_dir.FullName, "d"));
        text.ExitCode.ShouldBe(0);
        text.Stdout.ShouldContain("2 fichier(s) ignoré(s) (extension non prise en charge)");
        text.Stdout.ShouldContain("notes.txt");
        var json = CliRunner.InvokeWith(CliRunner.French, "validate", "--format", "json", Path.Combine(_dir.FullName, "d"));
        using var doc = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var summary = doc.RootElement.GetProperty("summary");
        summary.GetProperty("ignored").GetInt32().ShouldBe(2);
        summary.GetProperty("ignoredFiles").EnumerateArray().Select(e => Path.GetFileName(e.GetString()!)).Order().ShouldBe(new[] { "notes.txt", "scan.jpg" });
        MiniJsonSchema.Load(Path.Combine(TestPaths.Schemas, "report.schema.json")).Validate(doc.RootElement).ShouldBeEmpty();
    }

    [Fact]
    public void Schemas_folder_missing_or_incomplete_is_exit_3()
    {
        var doc = Write("a.xml", CdaBuilder.Ldl().ToBytes());
        var missing = CliRunner.InvokeWith(CliRunner.French, "validate", "--schemas", Path.Combine(_dir.FullName, "nowhere"), doc);
        missing.ExitCode.ShouldBe(3);
        missing.Stderr.ShouldContain("nowhere");
        var empty = Directory.CreateDirectory(Path.Combine(_dir.FullName, "schemas-empty")).FullName;
        var incomplete = CliRunner.InvokeWith(CliRunner.French, "validate", "--schemas", empty, doc);
        incomplete.ExitCode.ShouldBe(3);
        incomplete.Stderr.ShouldContain("valuesets");
        // a copy without one required value set
        var partial = Path.Combine(_dir.FullName, "schemas-partial");
        foreach (var f in Directory.EnumerateFiles(TestPaths.Schemas, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(partial, Path.GetRelativePath(TestPaths.Schemas, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
        File.Delete(Path.Combine(partial, "valuesets", "J07-typecode.json"));
        var run = CliRunner.InvokeWith(CliRunner.French, "validate", "--schemas", partial, doc);
        run.ExitCode.ShouldBe(3);
        run.Stderr.ShouldContain("J07-typecode.json");
    }
}

public class CiScriptTests
{
    [Fact]
    public void Ci_run_fails_on_shared_skips_with_the_reason_the_tests_give()
    {
        var script = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, ".ci", "run"));
        script.ShouldContain(TestPaths.SharedSkipReason);
        script.ShouldContain("verbosity=normal");
        script.ShouldContain("skipped\"");
    }
}
