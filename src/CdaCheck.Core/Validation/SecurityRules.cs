using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Validation;

/// <summary>Limits and hostile input (SEC-). Each limit is configurable; defaults are in <see cref="Limits"/>.</summary>
public static class SecurityRules
{
    public static readonly RuleDescriptor DoctypeRefused = new(
        "SEC-001", Severity.Error,
        "OWASP XXE prevention; CDA R2 documents carry no DTD");

    public static readonly RuleDescriptor InputTooLarge = new(
        "SEC-002", Severity.Error,
        "CdaCheck limits (README, Security)");

    public static readonly RuleDescriptor XmlTooDeep = new(
        "SEC-003", Severity.Error,
        "CdaCheck limits (README, Security)");

    public static readonly RuleDescriptor TimeBudgetExceeded = new(
        "SEC-004", Severity.Error,
        "CdaCheck limits (README, Security)");

    public static readonly RuleDescriptor InternalError = new(
        "SEC-005", Severity.Error,
        "CdaCheck robustness");

    public static readonly RuleDescriptor UnreadableInput = new(
        "SEC-006", Severity.Error,
        "CdaCheck input handling");

    public static readonly RuleDescriptor InvalidEncoding = new(
        "SEC-007", Severity.Error,
        "W3C XML 1.0 §4.3.3 (character encoding); CI-SIS documents are UTF-8");

    public static readonly RuleDescriptor NotRegularFile = new(
        "SEC-020", Severity.Error,
        "CdaCheck input handling (README, Security)");

    public static readonly RuleDescriptor UnfollowableEntry = new(
        "SEC-021", Severity.Error,
        "CdaCheck input handling (README, Security)");

    public static readonly RuleDescriptor UnrepresentableName = new(
        "SEC-022", Severity.Error,
        "CdaCheck input handling (README, Security)");

    public static readonly RuleDescriptor DeclaredEncoding = new(
        "SEC-023", Severity.Error,
        "W3C XML 1.0 §4.3.3 (character encoding in entities); CI-SIS documents are UTF-8");
}
