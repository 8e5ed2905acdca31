namespace CdaCheck.Tests.Infrastructure;

/// <summary>Test oracles: Debian programs on the PATH.</summary>
public static class Tools
{
    public static bool Has(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, name)));
    }

    /// <summary>The skip reason when one of <paramref name="names"/> is missing, else null.</summary>
    public static string? Missing(params string[] names) =>
        names.FirstOrDefault(n => !Has(n)) is { } m ? $"{m} is not installed (Debian package: see .ci/run)" : null;
}

/// <summary>A test that needs Debian programs (e.g. qpdf): skipped, and counted skipped, when one is absent — never passed silently.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools) { Skip = Tools.Missing(tools); }
}

/// <inheritdoc cref="ToolFactAttribute"/>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) { Skip = Tools.Missing(tools); }
}
