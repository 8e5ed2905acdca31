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
            foreach (var p in problems) lines.Add("  " + p.Rule.Id + " " + p.MessageIn(lang));
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
    /// <summary>Findings per rule and effective severity (the severity the finding carries, after profile and options).</summary>
    public Dictionary<(string Rule, Severity Severity), int> ByRuleAndSeverity { get; } = new();

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
            ByRuleAndSeverity[(f.RuleId, f.Severity)] = ByRuleAndSeverity.GetValueOrDefault((f.RuleId, f.Severity)) + 1;
        }
    }

    public int NonConformant => Documents - Conformant;

    /// <summary>Files of the given folders skipped because their extension is not one CdaCheck reads (not documents).</summary>
    public List<string> Ignored { get; } = new();
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
                return Printable.Escape(Slashes(Path.GetRelativePath(cwd, full)));
            return Printable.Escape(Slashes(path));
        }
        catch (Exception) { return Printable.Escape(path); }
    }

    /// <summary>Windows separators shown as '/'; elsewhere a backslash is part of a name (and of the \xHH escapes of names that are not UTF-8).</summary>
    public static string Slashes(string path) => Path.DirectorySeparatorChar == '\\' ? path.Replace('\\', '/') : path;
}

/// <summary>
/// Text from the input (file and zip entry names, quoted values) made safe to print: control characters (C0, DEL,
/// C1: a raw ESC would drive the user's terminal), bidirectional overrides and marks, line and paragraph separators,
/// zero-width and other invisible characters, lone surrogates and non-characters are
/// written as visible escapes (<c>\x1B</c>, <c>\u202E</c>), so the text report never sends them to a terminal and
/// every character is one XML 1.0 can carry.
/// </summary>
public static class Printable
{
    public static string Escape(string? s)
    {
        if (string.IsNullOrEmpty(s)) return s ?? "";
        System.Text.StringBuilder? sb = null;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (IsSafe(s, i))
            {
                int n = char.IsHighSurrogate(c) ? 2 : 1;
                sb?.Append(s, i, n);
                i += n - 1;
                continue;
            }
            sb ??= new System.Text.StringBuilder(s.Length + 16).Append(s, 0, i);
            sb.Append(c < 0x100 ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
        }
        return sb?.ToString() ?? s;
    }

    private static bool IsSafe(string s, int i)
    {
        char c = s[i];
        if (c < 0x20 || c is >= '\u007F' and <= '\u009F') return false;
        if (c < '\u00AD') return true;
        if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\uFFFE' or '\uFFFF') return false;
        // Invisible characters that move or hide text: bidi marks (LRM, RLM, ALM), line and paragraph separators (a line
        // break in many viewers, a line terminator in older JavaScript), zero-width space and word joiners, soft hyphen,
        // invisible operators, BOM / zero-width no-break space, interlinear annotations. ZWJ and ZWNJ stay (scripts, emoji).
        if (c is '\u00AD' or '\u061C' or '\u180E' or '\u200B' or '\u200E' or '\u200F' or '\u2028' or '\u2029'
            or >= '\u2060' and <= '\u2064' or '\uFEFF' or >= '\uFFF9' and <= '\uFFFB') return false;
        if (char.IsHighSurrogate(c)) return i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
        if (char.IsLowSurrogate(c)) return false;
        return true;
    }
}
