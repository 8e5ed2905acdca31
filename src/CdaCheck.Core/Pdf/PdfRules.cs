using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Pdf;

/// <summary>Rules of the embedded-PDF layer (PDF-) and the PDF limits (SEC-010…SEC-029).</summary>
public static class PdfRules
{
    private const string PdfSpec = "ISO 32000-1 (PDF 1.7)";
    private const string N1Spec = "CI-SIS Structuration minimale des documents de santé (corps N1: PDF en base64)";

    public static readonly RuleDescriptor NotPdf = new(
        "PDF-001", Severity.Error,
        $"{N1Spec}; {PdfSpec} §7.5.2 (file header)");

    public static readonly RuleDescriptor Truncated = new(
        "PDF-002", Severity.Error,
        $"{PdfSpec} §7.5.5 (file trailer)");

    public static readonly RuleDescriptor XrefRecovered = new(
        "PDF-003", Severity.Warning,
        $"{PdfSpec} §7.5.4 (cross-reference table)");

    public static readonly RuleDescriptor Encrypted = new(
        "PDF-004", Severity.Error,
        $"{N1Spec}; PDF/A (ISO 19005) forbids encryption; {PdfSpec} §7.6");

    public static readonly RuleDescriptor UnsupportedFilter = new(
        "PDF-005", Severity.Warning,
        $"{PdfSpec} §7.4 (filters)");

    public static readonly RuleDescriptor NoPages = new(
        "PDF-006", Severity.Error,
        $"{PdfSpec} §7.7.3 (page tree)");

    public static readonly RuleDescriptor PageUnreadable = new(
        "PDF-007", Severity.Error,
        $"{PdfSpec} §7.8 (content streams)");

    public static readonly RuleDescriptor PdfAClaimed = new(
        "PDF-008", Severity.Info,
        "ISO 19005 (PDF/A) §6.7.11 (pdfaid); MSSanté: attached PDFs in PDF/A-1");

    public static readonly RuleDescriptor PdfANotClaimed = new(
        "PDF-009", Severity.Info,
        "ISO 19005 (PDF/A); Référentiel MSSanté (pièces jointes PDF/A-1)");

    public static readonly RuleDescriptor ImageNotScanned = new(
        "PDF-010", Severity.Info,
        $"{PdfSpec} §7.4.8 (DCTDecode)");

    public static readonly RuleDescriptor ObjectUnreadable = new(
        "PDF-011", Severity.Warning,
        $"{PdfSpec} §7.3 (objects)");

    // ---- limits and hostile input

    public static readonly RuleDescriptor DecompressionBomb = new(
        "SEC-010", Severity.Error,
        "CdaCheck limits (README, Security): MaxDecompressedBytes");

    public static readonly RuleDescriptor PrevLoop = new(
        "SEC-011", Severity.Error,
        $"{PdfSpec} §7.5.6 (incremental updates: /Prev)");

    public static readonly RuleDescriptor DepthExceeded = new(
        "SEC-012", Severity.Error,
        "CdaCheck limits (README, Security): MaxPdfDepth");

    public static readonly RuleDescriptor TooManyObjects = new(
        "SEC-013", Severity.Error,
        "CdaCheck limits (README, Security): MaxPdfObjects");

    public static readonly RuleDescriptor ReferenceCycle = new(
        "SEC-014", Severity.Error,
        "ISO 32000-1 §7.5.7 (object streams: no object stream inside itself); CdaCheck hostile-input defences");

    public static readonly RuleDescriptor ImageTooLarge = new(
        "SEC-015", Severity.Error,
        "CdaCheck limits (README, Security): image size (width × height × components × bits, computed without overflow)");
}
