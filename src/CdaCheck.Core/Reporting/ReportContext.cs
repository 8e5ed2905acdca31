using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>What every report writer needs besides the results: options, tool identity, reference versions.</summary>
public sealed record ReportContext(ValidationOptions Options, ReferenceData Data, IReadOnlyList<string>? Arguments = null)
{
    public static string ToolName => "cdacheck";
    public static string ToolVersion =>
        typeof(ReportContext).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    public const string InformationUri = "https://example.invalid/cdacheck";

    public bool Reveal => Options.RevealIdentity;
    public string Show(Identity id) => id.Render(Reveal);

    /// <summary>
    /// The official kit's lines for a run summary (said once per run): the kit used and its defects, or that the
    /// official ANS rules were not run.
    /// </summary>
    public IReadOnlyList<string> KitSummary()
    {
        var lang = Options.Language;
        var kit = Options.Kit;
        if (kit is null) return [Localization.Texts.Get(lang, "kit.summary.notRun")];
        var lines = new List<string> { Localization.Texts.Format(lang, "kit.summary.kit", kit.Label) };
        var problems = kit.Problems;
        if (problems.Count > 0)
        {
            lines.Add(Localization.Texts.Format(lang, "kit.summary.problems", problems.Count));
            foreach (var p in problems) lines.Add("  " + p.Rule.Id + " " + p.Message);
        }
        return lines;
    }
}

/// <summary>Counts over a run, for every format's summary.</summary>
public sealed class ReportSummary
{
    public int Documents { get; private set; }
    public int Conformant { get; private set; }
    public int Errors { get; private set; }
    public int Warnings { get; private set; }
    public int Infos { get; private set; }
    public SortedDictionary<string, int> ByRule { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, int> ByKind { get; } = new(StringComparer.Ordinal);

    public void Add(DocumentResult r, Severity failOn)
    {
        Documents++;
        if (r.IsConformant(failOn)) Conformant++;
        var kind = r.SegurKind ?? r.Kind.ToWire();
        ByKind[kind] = ByKind.GetValueOrDefault(kind) + 1;
        foreach (var f in r.AllFindings())
        {
            switch (f.Severity)
            {
                case Severity.Error: Errors++; break;
                case Severity.Warning: Warnings++; break;
                default: Infos++; break;
            }
            ByRule[f.RuleId] = ByRule.GetValueOrDefault(f.RuleId) + 1;
        }
    }

    public int NonConformant => Documents - Conformant;
}

/// <summary>A streaming report: Begin, one Write per document in input order, End.</summary>
public interface IReportWriter : IDisposable
{
    void Begin();
    void Write(DocumentResult result);
    void End(ReportSummary summary);
}

public static class PathDisplay
{
    /// <summary>Path relative to the current directory when it is below it, else as given.</summary>
    public static string Of(string path)
    {
        try
        {
            var cwd = Directory.GetCurrentDirectory();
            var full = Path.GetFullPath(path);
            if (full.StartsWith(cwd + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return Path.GetRelativePath(cwd, full).Replace('\\', '/');
            return path.Replace('\\', '/');
        }
        catch (Exception) { return path; }
    }
}
