using System.Text;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.Pdf;

namespace CdaCheck.Tests.Pdf;

internal static class PdfTestUtil
{
    public static PdfWriter OnePage(Action<PdfPageBuilder> draw, Action<PdfWriter>? configure = null)
    {
        var w = new PdfWriter();
        configure?.Invoke(w);
        draw(w.AddPage(595, 842));
        return w;
    }

    public static PageContent Page1(byte[] pdf, PdfReadOptions? options = null)
    {
        var doc = PdfReader.Open(pdf, options);
        return PdfReader.ReadPage(doc, 0);
    }

    public static PageContent Page1(Action<PdfPageBuilder> draw) => Page1(OnePage(draw).ToBytes());

    public static string AllText(PageContent p) => string.Join(" ", p.Texts.Select(t => t.Text));

    public static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>Builds a classic PDF by hand from object bodies (1-based numbers), computing the xref offsets.</summary>
    public static byte[] HandMade(string[] objects, string trailerExtra = "/Root 1 0 R", bool writeXref = true, Func<long, string>? startxref = null)
    {
        var sb = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<long>();
        for (int i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(sb.ToString()));
            sb.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        long xref = Encoding.Latin1.GetByteCount(sb.ToString());
        if (writeXref)
        {
            sb.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
            foreach (var o in offsets) sb.Append($"{o:D10} 00000 n \n");
            sb.Append($"trailer\n<< /Size {objects.Length + 1} {trailerExtra} >>\n");
        }
        sb.Append(startxref?.Invoke(xref) ?? $"startxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    public static string StreamObj(string content, string extra = "") =>
        $"<< /Length {Encoding.Latin1.GetByteCount(content)} {extra} >>\nstream\n{content}\nendstream";

    /// <summary>Catalog (1), Pages (2), Page (3) with the given content (4), font F1 (5), plus extra objects from 6.</summary>
    public static string[] MinimalObjects(string content, string pageExtra = "", params string[] extra) =>
    [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> {pageExtra} >> >>",
        StreamObj(content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        .. extra,
    ];
}
