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
}
