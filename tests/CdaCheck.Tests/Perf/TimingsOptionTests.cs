namespace CdaCheck.Tests.Perf;

public class TimingsOptionTests
{
    private static string AnySample() =>
        Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "testdata", "samples"), "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();

    [Fact]
    public void Timings_adds_elapsedMs_per_document_only_when_asked()
    {
        var file = AnySample();
        var with = CliRunner.Invoke("validate", file, "--format", "json", "--timings");
        with.Stdout.ShouldContain("\"elapsedMs\"");
        var without = CliRunner.Invoke("validate", file, "--format", "json");
        without.Stdout.ShouldNotContain("elapsedMs");
        with.ExitCode.ShouldBe(without.ExitCode);
    }

    [Fact]
    public void Timings_prints_the_run_figures_on_stderr_only_when_asked()
    {
        var file = AnySample();
        var with = CliRunner.Invoke("validate", file, "--format", "json", "--timings");
        with.Stderr.ShouldMatch(@"timings: 1 document\(s\) in \d+\.\d\d s .*process CPU \d+\.\d\d s, GC gen0/gen1/gen2 \d+/\d+/\d+, GC pauses \d+ ms, allocated \d+ MB, peak working set \d+ MB");
        CliRunner.Invoke("validate", file, "--format", "json").Stderr.ShouldNotContain("timings:");
    }
}
