using System.Text.Json;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.Kit;

/// <summary><c>cdacheck kit DIR</c> on the real kit: volets, mapping and the kit's own defects.</summary>
public class KitCommandTests
{
    [SharedFact]
    public void The_kit_command_lists_volets_and_the_kits_defects()
    {
        var run = CliRunner.Invoke("kit", TestPaths.AnsKit, "--format", "json");
        run.ExitCode.ShouldBe(0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        // 59 CI-SIS_<VOLET>_<version>.sch files in this snapshot.
        root.GetProperty("volets").GetArrayLength().ShouldBe(59);
        var problems = root.GetProperty("problems").EnumerateArray().ToList();
        static string Rule(JsonElement p) => p.GetProperty("ruleId").GetString()!;
        // The missing J07 voc file, supplied by CdaCheck.
        problems.Any(p => Rule(p) == "KIT-013" && p.GetProperty("message").GetString()!.Contains("voc-1.2.250.1.213.1.1.5.471-DYNAMIC.xml")).ShouldBeTrue();
        // Includes written on Windows: letter case (resolved) and absent files.
        problems.Count(p => Rule(p) == "KIT-011").ShouldBeGreaterThanOrEqualTo(10);
        problems.Any(p => Rule(p) == "KIT-011" && p.GetProperty("file").GetString() == "schematrons/profils/IHE.sch").ShouldBeTrue();
        problems.Count(p => Rule(p) == "KIT-012").ShouldBeGreaterThanOrEqualTo(9);
        problems.Any(p => Rule(p) == "KIT-012" && p.GetProperty("message").GetString()!.Contains("BIO-CR-BIO_2023.01")).ShouldBeTrue();
        // The four big terminology files absent from the snapshot.
        var absent = root.GetProperty("terminologiesAbsent").EnumerateArray().Select(t => t.GetProperty("oid").GetString()).ToList();
        absent.ShouldContain("2.16.840.1.113883.6.1");
        absent.ShouldContain("2.16.840.1.113883.6.96");
        absent.ShouldContain("1.2.250.1.213.2.62");
        absent.ShouldContain("2.16.840.1.113883.3.26.1.1");
        // LDL-SES maps from its templateId.
        root.GetProperty("mapping").EnumerateArray().Any(m => m.GetProperty("templateId").GetString() == "1.2.250.1.213.1.1.1.29" && m.GetProperty("volet").GetString() == "LDL-SES").ShouldBeTrue();
        root.GetProperty("layers").EnumerateArray().Any(l => l.GetProperty("ruleId").GetString() == "KIT-001" && l.GetProperty("runs").GetBoolean()).ShouldBeTrue();
    }

    [SharedFact]
    public void The_kit_command_text_names_the_kit_and_its_defects()
    {
        var run = CliRunner.Invoke("kit", TestPaths.AnsKit);
        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldContain("KIT-013");
        run.Stdout.ShouldContain("LDL-SES");
        run.Stdout.ShouldContain("1.2.250.1.213.1.1.1.29");
    }

    [Fact]
    public void A_folder_that_is_not_a_kit_is_refused()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-notakit-").FullName;
        try
        {
            var run = CliRunner.Invoke("kit", dir);
            run.ExitCode.ShouldBe(3);
            run.Stderr.ShouldContain("KIT-018");
            var v = CliRunner.Invoke("validate", "--kit", dir, Path.Combine(TestPaths.TestData, "samples"));
            v.ExitCode.ShouldBe(3);
            v.Stderr.ShouldContain("KIT-018");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_kit_folder_comes_from_the_option_then_the_environment()
    {
        CdaCheck.Cli.KitCommand.Resolve("/a", _ => "/b").ShouldBe("/a");
        CdaCheck.Cli.KitCommand.Resolve(null, n => n == "CDACHECK_KIT" ? "/b" : null).ShouldBe("/b");
        CdaCheck.Cli.KitCommand.Resolve(null, _ => "  ").ShouldBeNull();
        CdaCheck.Cli.KitCommand.Resolve(null, _ => null).ShouldBeNull();
    }
}
