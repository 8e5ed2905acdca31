using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Indicators;

/// <summary>Reasons why a document credited by a DMP trace or an MSSanté send does not count (IND-).</summary>
public static class IndicatorRules
{
    public const string Source = "Ségur SUN-ES 'Guide des indicateurs d'usage' (Sept. 2022); HOP'EN 2 phase 1 (March 2025): only conformant CDA R2 documents with a qualified INS count";

    public static readonly RuleDescriptor FileNotFound = new(
        "IND-001", Severity.Error,
        Source);

    public static readonly RuleDescriptor CodeMismatch = new(
        "IND-002", Severity.Error,
        Source);

    public static readonly RuleDescriptor KindMismatch = new(
        "IND-003", Severity.Error,
        Source);

    public static readonly RuleDescriptor LevelTooLow = new(
        "IND-004", Severity.Error,
        Source);

    public static readonly RuleDescriptor BioNotN3 = new(
        "IND-005", Severity.Error,
        Source);

    public static readonly RuleDescriptor TestIns = new(
        "IND-006", Severity.Error,
        Source);

    public static readonly RuleDescriptor InsMissing = new(
        "IND-007", Severity.Error,
        Source);

    public static readonly RuleDescriptor InsNotQualified = new(
        "IND-008", Severity.Error,
        Source);

    public static readonly RuleDescriptor DataMatrixMissing = new(
        "IND-009", Severity.Error,
        Source);

    public static readonly RuleDescriptor NotXdm = new(
        "IND-010", Severity.Error,
        Source);

    public static readonly RuleDescriptor NoCdaInAttachment = new(
        "IND-011", Severity.Error,
        Source);

    public static readonly RuleDescriptor NotCda = new(
        "IND-012", Severity.Error,
        Source);

    public static readonly RuleDescriptor NoAttachment = new(
        "IND-013", Severity.Error,
        Source);

    public const string PrerequisiteSource = "SUN-ES guide des prérequis (2023), PS4.1 MSSanté: a test message to the MSSanté test address carrying IHE_XDM.ZIP (CDA N1 or more) and the PDF (issue 13)";

    public static readonly RuleDescriptor TestMessageNotEml = new(
        "IND-014", Severity.Error,
        PrerequisiteSource);

    public static readonly RuleDescriptor TestMessageWrongRecipient = new(
        "IND-015", Severity.Error,
        PrerequisiteSource);

    public static readonly RuleDescriptor TestMessageNoPdf = new(
        "IND-016", Severity.Error,
        PrerequisiteSource);
}
