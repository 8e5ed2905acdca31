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
