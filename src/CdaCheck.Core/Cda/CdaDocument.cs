using System.Xml.Linq;

namespace CdaCheck.Core.Cda;

/// <summary>A parsed CDA document: the XML tree (with line info) and its ClinicalDocument element.</summary>
public sealed class CdaDocument
{
    public static readonly XNamespace V3 = XmlLocation.Hl7;
    public static readonly XNamespace Sdtc = "urn:hl7-org:sdtc";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public CdaDocument(XDocument xml, XElement root, string? entry, bool autoPresentable)
    {
        Xml = xml;
        Root = root;
        Entry = entry;
        AutoPresentable = autoPresentable;
    }

    public XDocument Xml { get; }
    /// <summary>The ClinicalDocument element (the root, or inside an xsl:stylesheet for auto-presentable CDA).</summary>
    public XElement Root { get; }
    /// <summary>Zip entry the document was read from, when inside a package.</summary>
    public string? Entry { get; }
    public bool AutoPresentable { get; }
    /// <summary>The input bytes as read (before any base64 extraction), for layers that re-read the original (official kit).</summary>
    public byte[]? Source { get; init; }

    /// <summary>Finds the ClinicalDocument: the root or its first descendant in urn:hl7-org:v3.</summary>
    public static XElement? FindClinicalDocument(XDocument xml)
    {
        var name = V3 + "ClinicalDocument";
        if (xml.Root is null) return null;
        if (xml.Root.Name == name) return xml.Root;
        return xml.Root.Descendants(name).FirstOrDefault();
    }

    public Rules.Location Loc(XObject? node) => XmlLocation.Of(node, Entry);
    public Rules.Location Missing(XElement? parent, string childPath) => XmlLocation.Missing(parent ?? Root, childPath, Entry);
}

/// <summary>Small helpers over the hl7 namespace.</summary>
public static class Hl7Xml
{
    public static XElement? El(this XElement? e, string localName) => e?.Element(CdaDocument.V3 + localName);
    public static IEnumerable<XElement> Els(this XElement? e, string localName) =>
        e?.Elements(CdaDocument.V3 + localName) ?? Enumerable.Empty<XElement>();

    /// <summary>Follows a path of hl7 local names separated by '/'.</summary>
    public static XElement? Path(this XElement? e, string path)
    {
        foreach (var part in path.Split('/'))
        {
            if (e is null) return null;
            e = e.Element(CdaDocument.V3 + part);
        }
        return e;
    }

    public static IEnumerable<XElement> Paths(this XElement? e, string path)
    {
        IEnumerable<XElement> current = e is null ? Enumerable.Empty<XElement>() : new[] { e };
        foreach (var part in path.Split('/'))
            current = current.Elements(CdaDocument.V3 + part);
        return current;
    }

    public static string? Attr(this XElement? e, string name) => e?.Attribute(name)?.Value;

    public static bool HasNullFlavor(this XElement? e) => e?.Attribute("nullFlavor") is not null;

    /// <summary>Text content, trimmed; null when absent or blank.</summary>
    public static string? Text(this XElement? e)
    {
        var v = e?.Value.Trim();
        return string.IsNullOrEmpty(v) ? null : v;
    }
}
