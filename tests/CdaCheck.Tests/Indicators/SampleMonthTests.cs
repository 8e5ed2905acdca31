using System.Text.Json;
using CdaCheck.TestData.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// The sample month ships with its documents: testdata/indicators holds the CDA files its Fichier and Pièce jointe
/// columns point to (written by <see cref="HospitalMonth.Files"/>), so following docs/indicators.md on the folder
/// itself credits the conformant documents instead of giving IND-001 for every one.
/// </summary>
public class SampleMonthTests
{
    private static string Folder => Path.Combine(TestPaths.TestData, "indicators");

    [Fact]
    public void The_shipped_documents_are_those_the_generator_writes()
    {
        foreach (var (rel, bytes) in HospitalMonth.Files())
        {
            var path = Path.Combine(Folder, rel);
            File.Exists(path).ShouldBeTrue($"{rel} is missing: dotnet run --project testdata/CdaCheck.TestData -- indicators-month testdata/indicators testdata/indicators");
            File.ReadAllBytes(path).SequenceEqual(bytes).ShouldBeTrue($"{rel} is stale: regenerate with indicators-month");
        }
    }

    [Fact]
    public void Following_the_documentation_on_the_sample_folder_credits_its_documents()
    {
        string F(string name) => Path.Combine(Folder, name);
        var run = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month", "--venues", F("venues.csv"),
            "--documents", F("documents.csv"), "--traces", F("traces.csv"), "--mss", F("mss.csv"), "--identities", F("identities.csv"),
            "--documents-root", F("root"), "--format", "json");
        run.ExitCode.ShouldBe(0, run.Stderr);
        var indicators = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("indicators").EnumerateArray().ToList();
        // only D09 (its file is absent on purpose) is not found; the conformant LDL D01 counts
        indicators.SelectMany(i => i.GetProperty("rejected").EnumerateArray())
            .Where(r => r.GetProperty("reasons").EnumerateArray().Any(x => x.GetString() == "IND-001"))
            .Select(r => r.GetProperty("document").GetString()).Distinct().ShouldBe(["D09"]);
        indicators.Single(i => i.GetProperty("id").GetString() == "P1.02-LDL").GetProperty("numerator").GetInt32().ShouldBe(1);
    }
}
