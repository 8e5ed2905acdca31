namespace CdaCheck.Tests.Infrastructure;

/// <summary>Locations of the repository, its schemas and the shared ANS corpus.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Schemas => Path.Combine(RepoRoot, "schemas");

    /// <summary>../shared/anchors/ans-examples (third-party ANS examples, read in place, never copied).</summary>
    public static string AnsExamples => Path.Combine(SharedRoot, "anchors", "ans-examples");

    /// <summary>
    /// ../shared, or the folder named by CDACHECK_SHARED, or (a git worktree placed below the main checkout's parent)
    /// the nearest <c>shared</c> folder with anchors above the repository: one place every test finds it.
    /// </summary>
    public static string SharedRoot { get; } = FindShared();

    private static string FindShared()
    {
        if (Environment.GetEnvironmentVariable("CDACHECK_SHARED") is { Length: > 0 } s) return s;
        var beside = Path.Combine(RepoRoot, "..", "shared");
        for (var d = new DirectoryInfo(RepoRoot).Parent; d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "anchors"))) return candidate;
        }
        return beside;
    }

    public static bool HasAnsExamples => Directory.Exists(AnsExamples);

    /// <summary>../shared/anchors/ans-kit (the official ANS TestContenuCDA rules, read in place, never copied).</summary>
    public static string AnsKit => Path.Combine(SharedRoot, "anchors", "ans-kit");

    /// <summary>Both anchors are there (development machines and CI have them).</summary>
    public static bool HasShared => Directory.Exists(AnsExamples) && Directory.Exists(AnsKit);

    /// <summary>The skip reason every test needing ../shared gives; `.ci/run` looks for it.</summary>
    public const string SharedSkipReason = "needs ../shared (ANS examples and kit), absent on this machine";

    public static string TestData => Path.Combine(RepoRoot, "testdata");

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CdaCheck.sln"))) return d.FullName;
        throw new InvalidOperationException("CdaCheck.sln not found above " + AppContext.BaseDirectory);
    }
}
