using System.Text.Json;
using CdaCheck.Cli;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Xdm;

public class XdmCliTests
{
    [Fact]
    public void Validate_reports_xdm_and_eml_kinds_with_nested_children_in_json()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-xdm-");
        try
        {
            var zip = XdmVariants.Valid(Shared.Data, SampleCda.Bytes());
            File.WriteAllBytes(Path.Combine(dir.FullName, "IHE_XDM.ZIP"), zip);
            File.WriteAllBytes(Path.Combine(dir.FullName, "message.eml"), new EmlBuilder(zip).Build());
            var before = Directory.GetFiles(dir.FullName, "*", SearchOption.AllDirectories).Length;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            CliApp.Run(["validate", dir.FullName, "--format", "json", "--schemas", TestPaths.Schemas], stdout, stderr);
            Directory.GetFiles(dir.FullName, "*", SearchOption.AllDirectories).Length.ShouldBe(before);
            using var json = JsonDocument.Parse(stdout.ToString());
            var text = stdout.ToString();
            text.ShouldContain("\"kind\": \"xdm\"");
            text.ShouldContain("\"kind\": \"eml\"");
            text.ShouldContain("\"kind\": \"cda\"");
            text.ShouldNotContain(SampleCda.Matricule);
        }
        finally { dir.Delete(recursive: true); }
    }
}

public class XdmGeneratorTests
{
    [Fact]
    public void Generator_writes_valid_files_and_variants_that_the_cli_judges()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-xdmgen-");
        try
        {
            var prev = Environment.GetEnvironmentVariable("CDACHECK_SCHEMAS");
            Environment.SetEnvironmentVariable("CDACHECK_SCHEMAS", TestPaths.Schemas);
            try { XdmGenerator.Run([dir.FullName], TextWriter.Null).ShouldBe(0); }
            finally { Environment.SetEnvironmentVariable("CDACHECK_SCHEMAS", prev); }
            var files = Directory.GetFiles(dir.FullName);
            files.Length.ShouldBe(2 + XdmVariants.All(Shared.Data, SampleCda.Bytes()).Count() + EmlVariants.All(Shared.Data).Count());
            var valid = Shared.Validator().ValidateFile(Path.Combine(dir.FullName, "valid_IHE_XDM.ZIP"));
            valid.IsConformant(CdaCheck.Core.Rules.Severity.Error).ShouldBe(valid.Children.All(c => c.IsConformant(CdaCheck.Core.Rules.Severity.Error)));
            valid.Findings.ShouldBeEmpty();
            var hash = Shared.Validator().ValidateFile(Directory.GetFiles(dir.FullName, "XDM-051_*").Single());
            hash.Findings.ShouldContain(f => f.RuleId == "XDM-051");
        }
        finally { dir.Delete(recursive: true); }
    }
}
