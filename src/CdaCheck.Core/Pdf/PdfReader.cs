namespace CdaCheck.Core.Pdf;

/// <summary>Entry points of the PDF reader: open a document, scan a page into a <see cref="PageContent"/>.</summary>
public static class PdfReader
{
    /// <summary>Opens a PDF (see <see cref="PdfDocument.Open"/> for the exceptions).</summary>
    public static PdfDocument Open(byte[] bytes, PdfReadOptions? options = null) => PdfDocument.Open(bytes, options);

    /// <summary>Scans page <paramref name="index"/> (0-based) of an opened document.</summary>
    public static PageContent ReadPage(PdfDocument doc, int index)
    {
        var pages = doc.Pages;
        if (index < 0 || index >= pages.Count) throw new ArgumentOutOfRangeException(nameof(index));
        return ContentInterpreter.Scan(doc, pages[index]);
    }

    /// <summary>True when the bytes start (within the first 1024) with the %PDF- magic.</summary>
    public static bool LooksLikePdf(ReadOnlySpan<byte> head) => head[..Math.Min(head.Length, 1024)].IndexOf("%PDF-"u8) >= 0;
}
