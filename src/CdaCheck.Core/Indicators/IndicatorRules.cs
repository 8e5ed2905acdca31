using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Indicators;

/// <summary>Reasons why a document credited by a DMP trace or an MSSanté send does not count (IND-).</summary>
public static class IndicatorRules
{
    public const string Source = "Ségur SUN-ES 'Guide des indicateurs d'usage' (Sept. 2022); HOP'EN 2 phase 1 (March 2025): only conformant CDA R2 documents with a qualified INS count";

    public static readonly RuleDescriptor FileNotFound = new(
        "IND-001", Severity.Error,
        "The credited document's file was not found",
        "Document {0}: no file found ({1}).",
        Source,
        "Give the file in the 'Fichier' column (relative to the documents CSV) or pass --documents-root holding it.");

    public static readonly RuleDescriptor CodeMismatch = new(
        "IND-002", Severity.Error,
        "The CDA document type code differs from the trace's LOINC code",
        "Document {0}: ClinicalDocument/code is '{1}' but the trace says '{2}'.",
        Source,
        "Send the document under its own type code; a CRH is not a lettre de liaison.");

    public static readonly RuleDescriptor KindMismatch = new(
        "IND-003", Severity.Error,
        "The CDA document type is not of the indicator's kind",
        "Document {0}: type code '{1}' is not a '{2}' document.",
        Source,
        "Only the document kinds of the indicator count (e.g. 11490-0 for the lettre de liaison).");

    public static readonly RuleDescriptor LevelTooLow = new(
        "IND-004", Severity.Error,
        "The document is not a CDA R2 document of level N1 or more",
        "Document {0}: level {1}, at least N1 required.",
        Source,
        "Produce a CDA R2 document (N1 with a PDF body, or N3).");

    public static readonly RuleDescriptor BioNotN3 = new(
        "IND-005", Severity.Error,
        "SUN-ES biology: the report must be a structured N3 document carrying its PDF",
        "Document {0}: level {1}{2}; SUN-ES DS2.1 requires N3 with a PDF.",
        Source,
        "Send biology reports as CDA R2 N3 (CR-BIO) with the PDF rendering embedded.");

    public static readonly RuleDescriptor TestIns = new(
        "IND-006", Severity.Error,
        "The INS is under a test OID",
        "Document {0}: the INS is under test OID {1}; production documents need 1.2.250.1.213.1.4.8 or .9.",
        Source,
        "Take the INS from the INSi teleservice in production.");

    public static readonly RuleDescriptor InsMissing = new(
        "IND-007", Severity.Error,
        "The document carries no INS",
        "Document {0}: no INS in recordTarget/patientRole.",
        Source,
        "Qualify the patient's identity (INSi) before sending the document.");

    public static readonly RuleDescriptor InsNotQualified = new(
        "IND-008", Severity.Error,
        "The INS is not qualified",
        "Document {0}: the INS is present but not valid (status {1}).",
        Source,
        "Fix the matricule INS and the identity traits, as returned by INSi.");

    public static readonly RuleDescriptor DataMatrixMissing = new(
        "IND-009", Severity.Error,
        "The INS DataMatrix required for this kind is missing or unreadable",
        "Document {0}: DataMatrix status {1}.",
        Source,
        "Print the INS DataMatrix on the first page of the PDF.");

    public static readonly RuleDescriptor NotXdm = new(
        "IND-010", Severity.Error,
        "The MSSanté attachment is not an IHE XDM package",
        "Message {0}: the attachment is {1}, not an IHE_XDM.ZIP.",
        Source,
        "Send documents to correspondents in an IHE_XDM.ZIP package.");

    public static readonly RuleDescriptor NoCdaInAttachment = new(
        "IND-011", Severity.Error,
        "The MSSanté attachment holds no CDA document",
        "Message {0}: no CDA R2 document in the attachment.",
        Source,
        "Attach the CDA R2 document (in IHE_XDM.ZIP).");

    public static readonly RuleDescriptor NotCda = new(
        "IND-012", Severity.Error,
        "The credited file is not a CDA R2 document",
        "Document {0}: the file is {1}, not a CDA R2 document.",
        Source,
        "Send the CDA R2 document itself (a PDF or another format alone does not count).");

    public static readonly RuleDescriptor NoAttachment = new(
        "IND-013", Severity.Error,
        "The MSSanté message has no attachment",
        "Message {0}: no 'Pièce jointe'.",
        Source,
        "Give the path of the IHE_XDM.ZIP or .eml sent in the 'Pièce jointe' column.");
}
