namespace CdaCheck.Tests.Cli;

public class InspectCommandTests
{
    [Fact]
    public void Inspect_dumps_header_ins_and_findings_masked_by_default()
    {
        var file = Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml");
        var run = CliRunner.Invoke("inspect", file);
        run.ExitCode.ShouldBe(0);
        run.Stdout.ShouldContain("11490-0");
        run.Stdout.ShouldContain("qualified");
        run.Stdout.ShouldContain("Findings (");
        var xml = System.Xml.Linq.XDocument.Load(file);
        System.Xml.Linq.XNamespace v3 = "urn:hl7-org:v3";
        var matricule = xml.Descendants(v3 + "patientRole").Elements(v3 + "id").First(i => i.Attribute("root")!.Value == "1.2.250.1.213.1.4.8").Attribute("extension")!.Value;
        run.Stdout.ShouldNotContain(matricule);
        CliRunner.Invoke("inspect", "--reveal-identity", file).Stdout.ShouldContain(matricule);
    }

    [Fact]
    public void Inspect_reports_a_non_conformant_input_with_exit_1_and_a_missing_file_with_exit_2()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-inspect");
        try
        {
            var bad = Path.Combine(dir.FullName, "bad.xml");
            File.WriteAllText(bad, "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>");
            var run = CliRunner.Invoke("inspect", bad);
            run.ExitCode.ShouldBe(1);
            run.Stdout.ShouldContain("HDR-001");
            CliRunner.Invoke("inspect", Path.Combine(dir.FullName, "none.xml")).ExitCode.ShouldBe(2);
        }
        finally { dir.Delete(true); }
    }
}
