using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Pdf;

/// <summary>Rules of the embedded-PDF layer (PDF-) and the PDF limits (SEC-010…SEC-029).</summary>
public static class PdfRules
{
    private const string PdfSpec = "ISO 32000-1 (PDF 1.7)";
    private const string N1Spec = "CI-SIS Structuration minimale des documents de santé (corps N1: PDF en base64)";

    public static readonly RuleDescriptor NotPdf = new(
        "PDF-001", Severity.Error,
        "An embedded file declared as PDF must be a PDF",
        "The file is not a readable PDF: {0}.",
        $"{N1Spec}; {PdfSpec} §7.5.2 (file header)",
        "Embed the PDF bytes themselves (base64 of a file starting with %PDF-1.x), with mediaType=\"application/pdf\".");

    public static readonly RuleDescriptor Truncated = new(
        "PDF-002", Severity.Error,
        "The PDF must end with startxref and %%EOF (not truncated)",
        "The PDF looks truncated: {0}.",
        $"{PdfSpec} §7.5.5 (file trailer)",
        "Re-export the PDF and check that the whole file is encoded in the document (no size cut).");

    public static readonly RuleDescriptor XrefRecovered = new(
        "PDF-003", Severity.Warning,
        "The PDF cross-reference table should be valid",
        "The cross-reference data is broken ({0}); the objects were found by scanning the file.",
        $"{PdfSpec} §7.5.4 (cross-reference table)",
        "Re-export or repair the PDF (e.g. qpdf); some readers refuse damaged files.");

    public static readonly RuleDescriptor Encrypted = new(
        "PDF-004", Severity.Error,
        "An embedded PDF must not be encrypted",
        "The PDF is encrypted (/Encrypt in the trailer: {0}); {1}.",
        $"{N1Spec}; PDF/A (ISO 19005) forbids encryption; {PdfSpec} §7.6",
        "Embed an unencrypted PDF without password or permissions restrictions.");

    public static readonly RuleDescriptor UnsupportedFilter = new(
        "PDF-005", Severity.Warning,
        "PDF streams should use standard filters",
        "A stream uses the filter /{0}, which CdaCheck does not decode; its content was not checked.",
        $"{PdfSpec} §7.4 (filters)",
        "Use standard compression (FlateDecode) when producing the PDF.");

    public static readonly RuleDescriptor NoPages = new(
        "PDF-006", Severity.Error,
        "The PDF must have at least one page",
        "The PDF has no page (empty or unreadable page tree).",
        $"{PdfSpec} §7.7.3 (page tree)",
        "Embed the rendered document with its pages.");

    public static readonly RuleDescriptor PageUnreadable = new(
        "PDF-007", Severity.Error,
        "Page 1 of the PDF must be readable",
        "Page 1 could not be read: {0}.",
        $"{PdfSpec} §7.8 (content streams)",
        "Re-export the PDF; check it opens in a standard viewer.");

    public static readonly RuleDescriptor PdfAClaimed = new(
        "PDF-008", Severity.Info,
        "PDF/A conformance claimed in the XMP metadata",
        "The PDF claims PDF/A-{0} (XMP pdfaid); the claim itself is not verified.",
        "ISO 19005 (PDF/A) §6.7.11 (pdfaid); MSSanté: attached PDFs in PDF/A-1",
        "Nothing to do; use a PDF/A validator (e.g. veraPDF) to verify the claim.");

    public static readonly RuleDescriptor PdfANotClaimed = new(
        "PDF-009", Severity.Info,
        "The PDF does not claim PDF/A conformance",
        "The PDF does not claim PDF/A (no pdfaid:part in XMP metadata); MSSanté asks for PDF/A-1 attached PDFs.",
        "ISO 19005 (PDF/A); Référentiel MSSanté (pièces jointes PDF/A-1)",
        "Produce the PDF as PDF/A-1b (or later) when it is sent over MSSanté or kept for the long term.");

    public static readonly RuleDescriptor ImageNotScanned = new(
        "PDF-010", Severity.Info,
        "Images in codecs CdaCheck does not decode are not scanned",
        "{0} on page {1} was not decoded (JPEG/JPEG2000/CCITT/JBIG2 images are not scanned).",
        $"{PdfSpec} §7.4.8 (DCTDecode)",
        "Nothing to do unless a DataMatrix is drawn in such an image: draw it as vector or Flate image.");

    public static readonly RuleDescriptor ObjectUnreadable = new(
        "PDF-011", Severity.Warning,
        "PDF objects should be readable",
        "An object of the PDF could not be read ({0}).",
        $"{PdfSpec} §7.3 (objects)",
        "Re-export or repair the PDF.");

    // ---- limits and hostile input

    public static readonly RuleDescriptor DecompressionBomb = new(
        "SEC-010", Severity.Error,
        "PDF streams must not decompress beyond the configured limit",
        "Decompression stopped: {0} (limit {1} bytes); the PDF was not fully read.",
        "CdaCheck limits (README, Security): MaxDecompressedBytes",
        "Check the PDF for a decompression bomb; raise the limit only for trusted input.");

    public static readonly RuleDescriptor PrevLoop = new(
        "SEC-011", Severity.Error,
        "PDF cross-reference sections must not form a loop",
        "The cross-reference chain is hostile or corrupt: {0}.",
        $"{PdfSpec} §7.5.6 (incremental updates: /Prev)",
        "Repair the PDF; a /Prev loop is a known denial-of-service pattern.");

    public static readonly RuleDescriptor DepthExceeded = new(
        "SEC-012", Severity.Error,
        "PDF nesting (objects, page tree, Form XObjects) must stay within the configured depth",
        "Reading stopped: {0}.",
        "CdaCheck limits (README, Security): MaxPdfDepth",
        "Check the PDF for recursive structures; flatten it before embedding.");

    public static readonly RuleDescriptor TooManyObjects = new(
        "SEC-013", Severity.Error,
        "PDF object and page counts must stay within the configured limit",
        "Reading stopped: {0}.",
        "CdaCheck limits (README, Security): MaxPdfObjects",
        "Check the PDF; raise the limit only for trusted input.");

    public static readonly RuleDescriptor ReferenceCycle = new(
        "SEC-014", Severity.Error,
        "PDF objects must not need themselves to be read (self-referencing object streams, /Length loops)",
        "Reference cycle: {0}; the objects involved were not read.",
        "ISO 32000-1 §7.5.7 (object streams: no object stream inside itself); CdaCheck hostile-input defences",
        "Regenerate the PDF; a writer never produces an object stream that contains or extends itself.");

    public static readonly RuleDescriptor ImageTooLarge = new(
        "SEC-015", Severity.Error,
        "PDF images must declare sizes within the configured limit",
        "An image of the PDF was not decoded: {0} (limit {1} pixels).",
        "CdaCheck limits (README, Security): image size (width × height × components × bits, computed without overflow)",
        "Check the PDF for a hostile or corrupt image dictionary (/Width, /Height); re-export the image at its real size.");
}
