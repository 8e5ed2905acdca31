using CdaCheck.Core.DataMatrix;

namespace CdaCheck.Tests.Infrastructure;

/// <summary>
/// A test that needs Debian tools on PATH (ImageMagick, zint, img2pdf, dmtxread…): skipped with the missing tool named,
/// and counted skipped, when one is absent — never passed silently. `.ci/run` installs them.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools) { if (ToolCheck.Missing(tools) is { } m) Skip = m; }
}

/// <inheritdoc cref="ToolFactAttribute"/>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) { if (ToolCheck.Missing(tools) is { } m) Skip = m; }
}

internal static class ToolCheck
{
    public static string? Missing(string[] tools)
    {
        var missing = tools.Where(t => RasterFallback.FindOnPath(t) is null).ToList();
        return missing.Count == 0 ? null : $"Debian tool(s) not on PATH: {string.Join(", ", missing)} (.ci/run installs them)";
    }
}

/// <summary>Test oracles: Debian programs on the PATH.</summary>
public static class Tools
{
    public static bool Has(string name) => RasterFallback.FindOnPath(name) is not null;

    /// <summary>The skip reason when one of <paramref name="names"/> is missing, else null.</summary>
    public static string? Missing(params string[] names) => ToolCheck.Missing(names);
}
