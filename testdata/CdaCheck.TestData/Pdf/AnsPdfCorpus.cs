using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;

namespace CdaCheck.TestData.Pdf;

/// <summary>One PDF embedded in an ANS example CDA (read in place from the shared corpus, never copied).</summary>
public sealed record AnsPdf(string Source, int Index, byte[] Bytes)
{
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Bytes));
    public override string ToString() => $"{Source}#{Index}";
}

public static class AnsPdfCorpus
{
    /// <summary>
    /// Every base64 PDF of the corpus: nonXMLBody/text and any element with mediaType="application/pdf"
    /// (N3 observationMedia…), in file order. Empty when the folder does not exist.
    /// </summary>
    public static IReadOnlyList<AnsPdf> Load(string folder)
    {
        var list = new List<AnsPdf>();
        if (!Directory.Exists(folder)) return list;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal))
        {
            XDocument doc;
            try
            {
                using var reader = XmlReader.Create(file, settings);
                doc = XDocument.Load(reader);
            }
            catch (XmlException) { continue; }
            int index = 0;
            foreach (var el in doc.Descendants())
            {
                bool pdfType = string.Equals((string?)el.Attribute("mediaType"), "application/pdf", StringComparison.OrdinalIgnoreCase);
                bool n1Text = el.Name.LocalName == "text" && el.Parent?.Name.LocalName == "nonXMLBody";
                if (!pdfType && !n1Text) continue;
                if (el.HasElements) continue;
                var b64 = new string(el.Value.Where(c => !char.IsWhiteSpace(c)).ToArray());
                byte[] bytes;
                try { bytes = Convert.FromBase64String(b64); }
                catch (FormatException) { continue; }
                if (bytes.Length < 5 || !bytes.AsSpan(0, Math.Min(1024, bytes.Length)).ContainsAny("%"u8)) continue;
                if (bytes.AsSpan(0, Math.Min(1024, bytes.Length)).IndexOf("%PDF-"u8) < 0) continue;
                list.Add(new AnsPdf(Path.GetFileName(file), index++, bytes));
            }
        }
        return list;
    }

    /// <summary>Distinct PDFs (by content).</summary>
    public static IReadOnlyList<AnsPdf> Distinct(IReadOnlyList<AnsPdf> all) => all.DistinctBy(p => p.Sha1).ToList();
}
