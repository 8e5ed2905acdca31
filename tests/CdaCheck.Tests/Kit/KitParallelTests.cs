using System.Text.Json;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.Kit;

/// <summary>
/// The kit's verdicts do not depend on how many documents are validated at once. Regression: with two documents at
/// once the XPath2 package sometimes rejected a valid StrucMin expression (KIT-019 on every document) or raised dynamic
/// errors in `every … satisfies` (KIT-010 "did not run"), which a one-thread run never gives.
/// </summary>
[Collection("kit-concurrency")] // the two concurrency tests never overlap (each loads the machine; the CLI's document time budget is 10 s)
public class KitParallelTests
{
    private static Dictionary<string, int> Findings(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var bag = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in doc.RootElement.GetProperty("documents").EnumerateArray())
        {
            var path = d.GetProperty("path").GetString();
            foreach (var f in d.GetProperty("findings").EnumerateArray())
            {
                var key = string.Join(" | ", path, f.GetProperty("ruleId").GetString(), f.GetProperty("message").GetString(),
                    f.TryGetProperty("location", out var l) ? l.GetRawText() : "");
                bag[key] = bag.GetValueOrDefault(key) + 1;
            }
        }
        return bag;
    }

    [SharedFact]
    public void Validating_the_examples_in_parallel_gives_the_one_thread_verdicts()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-kit-parallel");
        try
        {
            Dictionary<string, int> Run(int parallel, int round)
            {
                var output = Path.Combine(dir.FullName, $"p{parallel}-{round}.json");
                var run = CliRunner.Invoke("validate", "--kit", TestPaths.AnsKit, "--parallel", parallel.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--format", "json", "-o", output, TestPaths.AnsExamples);
                run.ExitCode.ShouldBeOneOf(0, 1);
                return Findings(output);
            }
            var serial = Run(1, 0);
            serial.Keys.ShouldContain(k => k.Contains("| KIT-0", StringComparison.Ordinal)); // control: the kit ran
            serial.Keys.ShouldNotContain(k => k.Contains("| KIT-019 |", StringComparison.Ordinal));
            for (int round = 1; round <= 2; round++)
            {
                var parallel = Run(4, round);
                parallel.Except(serial).ShouldBeEmpty();
                serial.Except(parallel).ShouldBeEmpty();
            }
        }
        finally { dir.Delete(true); }
    }
}
