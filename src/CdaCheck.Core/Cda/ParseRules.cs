using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Cda;

/// <summary>Rules about reading the input as a CDA document at all.</summary>
public static class ParseRules
{
    public static readonly RuleDescriptor NotWellFormed = new(
        "DOC-001", Severity.Error,
        "The input is not well-formed XML",
        "The document is not well-formed XML: {0}",
        "W3C XML 1.0; HL7 CDA R2 (ITS XML)",
        "Fix the generator so that it writes well-formed XML (escaping, encoding declaration, closed elements).");

    public static readonly RuleDescriptor NotClinicalDocument = new(
        "DOC-002", Severity.Error,
        "No CDA ClinicalDocument element in the urn:hl7-org:v3 namespace",
        "No ClinicalDocument element in namespace urn:hl7-org:v3 was found (root element is '{0}').",
        "HL7 CDA R2 §4 (ClinicalDocument); CI-SIS Structuration minimale",
        "Write the document with root ClinicalDocument in namespace urn:hl7-org:v3 (an xsl:stylesheet wrapper is accepted).");

    public static readonly RuleDescriptor UnknownInput = new(
        "DOC-003", Severity.Error,
        "The input is neither a CDA document, a PDF, an XDM zip nor an MSSanté message",
        "The input could not be recognised (first bytes: {0}).",
        "CdaCheck input formats",
        "Pass CDA XML files, PDF files, IHE_XDM zip packages or .eml messages.");
}
