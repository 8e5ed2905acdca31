namespace CdaCheck.Core.Kit.Schematron;

/// <summary>A defect of the schematron set found while loading it (never thrown).</summary>
/// <param name="Kind">"include-case", "include-missing", "include-invalid", "doc-missing", "compile-error", "runtime-error".</param>
/// <param name="File">The file concerned (the including file, the doc() target, or the schema).</param>
/// <param name="Detail">What was wrong: the href, the expression, the error.</param>
public sealed record SchematronProblem(string Kind, string File, string Detail);

/// <summary>One SVRL result: a failed assert or a successful report.</summary>
public sealed record SchematronResult(
    bool IsReport,
    string? Id, string? Role, string? PatternId,
    string RuleContext,
    string Test,
    string Message,
    string? See,
    string Location,
    int Line, int Column)
{
    /// <summary>error (role error/fatal or none), warning, info: the severity the role stands for.</summary>
    public string Severity => SchematronSeverity.FromRole(Role);
}

public static class SchematronSeverity
{
    public static string FromRole(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        "warning" or "warn" => "warning",
        "info" or "information" or "informational" => "info",
        _ => "error",
    };
}

public sealed class SchematronOptions
{
    /// <summary>Maps an absolute doc() path to a replacement path (e.g. the missing J07 voc file) or null to keep it.</summary>
    public Func<string, string?>? DocResolver { get; init; }

    /// <summary>Phase to run; null: the schema's defaultPhase, or #ALL.</summary>
    public string? Phase { get; init; }
}

/// <summary>Results and the dynamic errors met (Saxon would stop the whole report on such an error).</summary>
public sealed record SchematronRun(IReadOnlyList<SchematronResult> Results, IReadOnlyList<SchematronProblem> Errors);
