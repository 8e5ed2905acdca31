namespace CdaCheck.Core.Rules;

/// <summary>One result of one rule on one input. The message is already rendered (identity values masked per options).</summary>
public sealed record Finding(string RuleId, Severity Severity, string Message, Location Location)
{
    public RuleDescriptor? Rule => RuleCatalog.Find(RuleId);

    /// <summary>
    /// Facts of the finding beyond its message, by stable key (null when none). Official-kit findings (KIT-) carry the
    /// assertion's own <c>assertion</c> id, <c>pattern</c>, rule <c>context</c>, <c>test</c>, <c>role</c>, <c>see</c> link
    /// and <c>schematron</c> file; every report format shows them.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }

    /// <summary>The details as one line, "key: value; …" in key order (text, JUnit and HTML reports); null when none.</summary>
    public string? DetailsLine() =>
        Details is null || Details.Count == 0 ? null : string.Join("; ", Details.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + ": " + d.Value));
}
