using System.Globalization;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Validation;

/// <summary>
/// Collects findings for one input. Applies the options (disabled rules, severity overrides) and
/// renders messages in <see cref="ValidationOptions.Language"/>, masking <see cref="Identity"/> arguments unless identity is revealed.
/// </summary>
public sealed class FindingSink
{
    private readonly List<Finding> _findings = new();

    public FindingSink(ValidationOptions options, string? entry = null)
    {
        Options = options;
        Entry = entry;
    }

    public ValidationOptions Options { get; }
    /// <summary>Zip entry / MIME part that every location from this sink is inside.</summary>
    public string? Entry { get; }
    public IReadOnlyList<Finding> Findings => _findings;

    public bool Reveal => Options.RevealIdentity;

    /// <summary>Renders an identity value for a report field (masked unless revealed).</summary>
    public string Show(Identity value) => value.Render(Reveal);

    public Finding? Report(RuleDescriptor rule, Location location, params object?[] args) =>
        Report(rule, rule.DefaultSeverity, location, args);

    /// <summary>Reports with a severity chosen by the check (e.g. error under production OIDs, warning under test OIDs).</summary>
    public Finding? Report(RuleDescriptor rule, Severity severity, Location location, params object?[] args)
    {
        if (Options.DisabledRules.Contains(rule.Id)) return null;
        if (Options.SeverityOverrides.TryGetValue(rule.Id, out var o)) severity = o;
        var rendered = new object?[args.Length];
        for (int i = 0; i < args.Length; i++)
            rendered[i] = args[i] switch
            {
                Identity or Phrase => Phrase.Arg(args[i], Options.Language, Reveal),
                // text from the input (names, entry names, parser messages): control characters and bidirectional
                // overrides written as visible escapes, so no format carries them raw
                string s => Reporting.Printable.Escape(s),
                _ => args[i],
            };
        var format = rule.Message(Options.Language);
        string message;
        try { message = string.Format(CultureInfo.InvariantCulture, format, rendered); }
        catch (FormatException) { message = format; }
        var f = new Finding(rule.Id, severity, message, location.InEntry(Entry));
        _findings.Add(f);
        return f;
    }

    /// <summary><see cref="Report(RuleDescriptor, Severity, Location, object?[])"/> with <see cref="Finding.Details"/>.</summary>
    public Finding? ReportWithDetails(RuleDescriptor rule, Severity severity, Location location, IReadOnlyDictionary<string, string>? details, params object?[] args)
    {
        var f = Report(rule, severity, location, args);
        if (f is null || details is null) return f;
        var withDetails = f with { Details = details };
        _findings[^1] = withDetails;
        return withDetails;
    }

    public void Add(Finding f) => _findings.Add(f.Location.Entry is null && Entry is not null ? f with { Location = f.Location.InEntry(Entry) } : f);

    public void AddRange(IEnumerable<Finding> fs) { foreach (var f in fs) Add(f); }

    public bool Has(string ruleId) => _findings.Exists(f => f.RuleId == ruleId);

    public bool HasAtLeast(Severity s) => _findings.Exists(f => f.Severity >= s);
}
