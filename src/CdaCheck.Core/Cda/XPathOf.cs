using System.Text;
using System.Xml;
using System.Xml.Linq;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Cda;

/// <summary>Builds locations (XPath with positional predicates, line and column) for XML nodes.</summary>
public static class XmlLocation
{
    public const string Hl7 = "urn:hl7-org:v3";

    public static Location Of(XObject? node, string? entry = null)
    {
        if (node is null) return entry is null ? Location.None : new Location { Entry = entry };
        var li = (IXmlLineInfo)node;
        return new Location
        {
            Entry = entry,
            XPath = PathOf(node),
            Line = li.HasLineInfo() ? li.LineNumber : null,
            Column = li.HasLineInfo() ? li.LinePosition : null,
        };
    }

    /// <summary>Location of a child that is missing: the parent's path plus the expected child.</summary>
    public static Location Missing(XElement? parent, string childPath, string? entry = null)
    {
        var l = Of(parent, entry);
        return l with { XPath = (l.XPath ?? "") + "/" + childPath };
    }

    public static string PathOf(XObject node)
    {
        var parts = new List<string>();
        XElement? e;
        if (node is XAttribute a)
        {
            parts.Add("@" + Name(a.Name));
            e = a.Parent;
        }
        else e = node as XElement ?? node.Parent;
        while (e is not null)
        {
            var name = Name(e.Name);
            var parent = e.Parent;
            if (parent is not null)
            {
                var (index, count) = Position(e, parent);
                if (count > 1) name += "[" + index + "]";
            }
            parts.Add(name);
            e = parent;
        }
        parts.Reverse();
        var sb = new StringBuilder();
        foreach (var p in parts) sb.Append('/').Append(p);
        return sb.ToString();
    }

    /// <summary>Per-parent index of children by name, cached as an annotation on wide parents (findings on many siblings stay linear).</summary>
    private sealed class SiblingIndex(Dictionary<XElement, (int Index, int Count)> map)
    {
        public Dictionary<XElement, (int Index, int Count)> Map { get; } = map;
    }

    private const int CacheAbove = 16;

    private static (int Index, int Count) Position(XElement e, XElement parent)
    {
        var cached = parent.Annotation<SiblingIndex>();
        if (cached is not null && cached.Map.TryGetValue(e, out var p)) return p;
        int children = 0;
        foreach (var _ in parent.Elements()) if (++children > CacheAbove) break;
        if (children <= CacheAbove)
        {
            int index = 0, count = 0;
            foreach (var sib in parent.Elements(e.Name))
            {
                count++;
                if (ReferenceEquals(sib, e)) index = count;
            }
            return (index, count);
        }
        if (cached is not null) parent.RemoveAnnotations<SiblingIndex>();
        var counts = new Dictionary<XName, int>();
        var order = new List<(XElement, int)>();
        foreach (var sib in parent.Elements())
        {
            counts[sib.Name] = counts.TryGetValue(sib.Name, out var c) ? c + 1 : 1;
            order.Add((sib, counts[sib.Name]));
        }
        var map = new Dictionary<XElement, (int, int)>(order.Count, ReferenceEqualityComparer.Instance);
        foreach (var (sib, i) in order) map[sib] = (i, counts[sib.Name]);
        parent.AddAnnotation(new SiblingIndex(map));
        return map.TryGetValue(e, out var r) ? r : (0, 0);
    }

    private static string Name(XName n) => n.NamespaceName switch
    {
        "" or Hl7 => n.LocalName,
        "urn:hl7-org:sdtc" => "sdtc:" + n.LocalName,
        "http://www.w3.org/2001/XMLSchema-instance" => "xsi:" + n.LocalName,
        "http://www.w3.org/1999/XSL/Transform" => "xsl:" + n.LocalName,
        _ => n.LocalName,
    };
}
