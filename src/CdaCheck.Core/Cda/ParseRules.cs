using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Cda;

/// <summary>Rules about reading the input as a CDA document at all.</summary>
public static class ParseRules
{
    public static readonly RuleDescriptor NotWellFormed = new(
        "DOC-001", Severity.Error,
        "W3C XML 1.0; HL7 CDA R2 (ITS XML)");

    public static readonly RuleDescriptor NotClinicalDocument = new(
        "DOC-002", Severity.Error,
        "HL7 CDA R2 §4 (ClinicalDocument); CI-SIS Structuration minimale");

    public static readonly RuleDescriptor UnknownInput = new(
        "DOC-003", Severity.Error,
        "CdaCheck input formats");
}
