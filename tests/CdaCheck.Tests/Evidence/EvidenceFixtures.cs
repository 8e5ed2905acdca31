using System.Text;
using System.Xml.Linq;
using CdaCheck.Core.Evidence;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Composite;

namespace CdaCheck.Tests.Evidence;

/// <summary>Builds evidence inputs and inspects outputs independently of the writer's own leak checks.</summary>
public static class EvidenceFixtures
{
    public static CdaBuilder Builder(string kind, SymbolStyle style, bool xrefStream, bool n3 = false)
    {
        var b = CdaBuilder.ForKind(kind);
        if (n3) b.N3();
        return b.WithPdf(SegurPdf.Render("CdaCheck fictitious report " + kind, b.Identity, style, xrefStream: xrefStream));
    }

    /// <summary>The identity strings a reader could find, as printed in the fixture (header and cartouche forms).</summary>
    public static List<string> Needles(CdaBuilder b)
    {
        var id = b.Identity!;
        var d = id.BirthDateYyyymmdd;
        return [id.Matricule, id.Family, id.Givens, d, $"{d[6..8]}/{d[4..6]}/{d[..4]}", $"{d[6..8]}-{d[4..6]}-{d[..4]}"];
    }

    public static List<byte[]> EmbeddedPdfs(byte[] cda)
    {
        var doc = XDocument.Parse(Encoding.UTF8.GetString(cda));
        return doc.Descendants()
            .Where(e => (string?)e.Attribute("mediaType") == "application/pdf" && (string?)e.Attribute("representation") == "B64")
            .Select(e => Convert.FromBase64String(string.Concat(e.Value.Where(c => !char.IsWhiteSpace(c)))))
            .ToList();
    }

    /// <summary>Everything readable in a PDF: raw bytes (Latin-1), every decoded stream, every page's text layer.</summary>
    public static string ReadableText(byte[] pdf)
    {
        var sb = new StringBuilder(Encoding.Latin1.GetString(pdf));
        var doc = PdfReader.Open(pdf);
        int size = (int)(PdfValue.Integer(doc.Trailer.Get("Size")) ?? 0);
        for (int n = 1; n < size; n++)
            if (doc.GetObject(n) is PdfStream s) sb.Append('\n').Append(Encoding.Latin1.GetString(doc.DecodeStream(s).Data));
        for (int p = 0; p < doc.Pages.Count; p++)
        {
            var pc = PdfReader.ReadPage(doc, p);
            sb.Append('\n').Append(string.Concat(pc.Texts.Select(t => t.Text))).Append('\n').Append(string.Join(" ", pc.Texts.Select(t => t.Text)));
        }
        return sb.ToString();
    }

    public static string PageText(byte[] pdf, int page = 0)
    {
        var doc = PdfReader.Open(pdf);
        return string.Join(" ", PdfReader.ReadPage(doc, page).Texts.Select(t => t.Text));
    }
}
