namespace CdaCheck.Core.Rules;

/// <summary>One result of one rule on one input. The message is already rendered (identity values masked per options).</summary>
public sealed record Finding(string RuleId, Severity Severity, string Message, Location Location)
{
    public RuleDescriptor? Rule => RuleCatalog.Find(RuleId);
}
