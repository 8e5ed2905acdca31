using System.Diagnostics;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>
/// Deterministic mutation fuzzing of whole inputs through the validator. Property: every case yields
/// a result, no internal error (SEC-005), no case over the time bound. CDACHECK_FUZZ_CASES scales the
/// run (default per target below; 20,000 in all across targets). A failing case is written to
/// testdata/fuzz-regressions/ (by seed) and replayed by <see cref="Regressions_replay"/>.
/// </summary>
public class FuzzTests
{
    public const int DefaultCasesPerTarget = 4_000;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(2);

    public static int Cases(int @default) =>
        int.TryParse(Environment.GetEnvironmentVariable("CDACHECK_FUZZ_CASES"), out var n) && n > 0 ? n : @default;

    /// <summary>Seeds per target: small real inputs (kept small so 20,000 cases run in well under 2 minutes).</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> Seeds(string target) => FuzzSeeds.For(target);

    internal static void RunTarget(string target, int cases)
    {
        var seeds = Seeds(target).ToList();
        seeds.ShouldNotBeEmpty($"no seeds for {target}");
        var validator = Shared.Validator(new ValidationOptions { Limits = new Limits { DocumentTimeoutMs = 1_500 } });
        var failures = new List<string>();
        var clock = new Stopwatch();
        for (int i = 0; i < cases; i++)
        {
            var seed = HashCode.Combine(target, i) & 0x7FFFFFFF;
            var m = new Mutator(seed);
            var (name, bytes) = seeds[i % seeds.Count];
            var input = m.Mutate(bytes);
            clock.Restart();
            DocumentResult r;
            try { r = validator.Validate($"fuzz-{target}-{i}", input); }
            catch (Exception ex) { failures.Add($"{target} case {i} seed {name}: exception {ex.GetType().Name}"); Save(target, i, input); continue; }
            clock.Stop();
            if (r.AllFindings().Any(f => f.RuleId == "SEC-005"))
            {
                failures.Add($"{target} case {i} ({name}): internal error {r.AllFindings().First(f => f.RuleId == "SEC-005").Message}");
                Save(target, i, input);
            }
            if (clock.Elapsed > PerCase)
            {
                failures.Add($"{target} case {i} ({name}): {clock.ElapsedMilliseconds} ms");
                Save(target, i, input);
            }
            if (failures.Count > 20) break;
        }
        failures.ShouldBeEmpty();
    }

    private static void Save(string target, int i, byte[] input)
    {
        try
        {
            var dir = Path.Combine(TestPaths.TestData, "fuzz-regressions", "new");
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, $"{target}-{i}.bin"), input);
        }
        catch (IOException) { }
    }

    [Fact]
    public void Xml_cda_inputs_never_crash_or_hang() => RunTarget("cda", Cases(DefaultCasesPerTarget));

    [Fact]
    public void Regressions_replay()
    {
        var dir = Path.Combine(TestPaths.TestData, "fuzz-regressions");
        if (!Directory.Exists(dir)) return;
        var validator = Shared.Validator();
        foreach (var f in Directory.EnumerateFiles(dir, "*.bin", SearchOption.TopDirectoryOnly))
        {
            var r = validator.Validate(f, File.ReadAllBytes(f));
            r.AllFindings().ShouldNotContain(x => x.RuleId == "SEC-005", Path.GetFileName(f));
        }
    }
}
