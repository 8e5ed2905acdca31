using System.Xml.Linq;
using CdaCheck.Core.Cda;

namespace CdaCheck.Core.Xdm;

/// <summary>A coded metadata value (ebRIM Classification).</summary>
public sealed record CodedValue(string? Code, string? CodingScheme, string? Display, XElement Element);

/// <summary>An XDS author (ebRIM Classification with author slots).</summary>
public sealed record XdsAuthor(IReadOnlyList<string> Person, IReadOnlyList<string> Institution, IReadOnlyList<string> Role, IReadOnlyList<string> Specialty, XElement Element);

/// <summary>A SubmissionSet or DocumentEntry read from METADATA.XML.</summary>
public sealed class XdsObject
{
    public required string Id { get; init; }
    public required XElement Element { get; init; }
    public Dictionary<string, List<string>> Slots { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, XElement> SlotElements { get; } = new(StringComparer.Ordinal);
    /// <summary>Classifications by scheme UUID (or node UUID for node classifications).</summary>
    public Dictionary<string, List<CodedValue>> Codes { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (string Value, XElement Element)> ExternalIds { get; } = new(StringComparer.Ordinal);
    public List<XdsAuthor> Authors { get; } = new();
    public string? Title { get; set; }
    public string? MimeType => Element.Attribute("mimeType")?.Value;

    public string? Slot(string name) => Slots.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;
    public IReadOnlyList<string> SlotValues(string name) => Slots.TryGetValue(name, out var v) ? v : Array.Empty<string>();
    public CodedValue? Code(string scheme) => Codes.TryGetValue(scheme, out var v) && v.Count > 0 ? v[0] : null;
    public IReadOnlyList<CodedValue> CodesOf(string scheme) => Codes.TryGetValue(scheme, out var v) ? v : Array.Empty<CodedValue>();
    public string? External(string scheme) => ExternalIds.TryGetValue(scheme, out var v) ? v.Value : null;
}

/// <summary>The XDS objects of one METADATA.XML (ebRIM 3.0).</summary>
public sealed class XdmMetadata
{
    public XElement? RegistryObjectList { get; init; }
    public List<XdsObject> SubmissionSets { get; } = new();
    public List<XdsObject> DocumentEntries { get; } = new();
    /// <summary>ExtrinsicObjects whose objectType is not the stable DocumentEntry UUID.</summary>
    public List<XElement> OtherExtrinsicObjects { get; } = new();
    /// <summary>HasMember associations: (sourceObject, targetObject).</summary>
    public List<(string Source, string Target)> HasMember { get; } = new();

    /// <summary>Reads the objects; bounded by the XML limits of the loader (no recursion beyond the ebRIM shape).</summary>
    public static XdmMetadata Read(XDocument xml, EbRim rim)
    {
        XNamespace r = rim.Rim;
        var root = xml.Root!;
        var list = root.Name == r + "RegistryObjectList" ? root : root.Element(r + "RegistryObjectList");
        var md = new XdmMetadata { RegistryObjectList = list };
        if (list is null) return md;

        var objects = new Dictionary<string, XdsObject>(StringComparer.Ordinal);
        var packages = new List<XdsObject>();
        foreach (var e in list.Elements())
        {
            var id = e.Attribute("id")?.Value;
            if (e.Name == r + "RegistryPackage" && id is not null)
            {
                var o = NewObject(e, id, r);
                objects.TryAdd(id, o);
                packages.Add(o);
            }
            else if (e.Name == r + "ExtrinsicObject")
            {
                if (e.Attribute("objectType")?.Value == rim.DeStable && id is not null)
                {
                    var o = NewObject(e, id, r);
                    objects.TryAdd(id, o);
                    md.DocumentEntries.Add(o);
                }
                else md.OtherExtrinsicObjects.Add(e);
            }
            else if (e.Name == r + "Association")
            {
                if (e.Attribute("associationType")?.Value == rim.HasMember)
                    md.HasMember.Add((e.Attribute("sourceObject")?.Value ?? "", e.Attribute("targetObject")?.Value ?? ""));
            }
        }
        // Classifications and external identifiers: nested in their object or at list level.
        foreach (var c in list.Descendants(r + "Classification"))
        {
            var target = c.Attribute("classifiedObject")?.Value ?? c.Parent?.Attribute("id")?.Value;
            if (target is null || !objects.TryGetValue(target, out var o)) continue;
            var scheme = c.Attribute("classificationScheme")?.Value ?? c.Attribute("classificationNode")?.Value;
            if (scheme is null) continue;
            var slots = SlotsOf(c, r);
            if (scheme == rim.SubmissionSet["author"] || scheme == rim.DocumentEntry["author"])
            {
                o.Authors.Add(new XdsAuthor(Get(slots, "authorPerson"), Get(slots, "authorInstitution"), Get(slots, "authorRole"), Get(slots, "authorSpecialty"), c));
                continue;
            }
            var coded = new CodedValue(c.Attribute("nodeRepresentation")?.Value, Get(slots, "codingScheme").FirstOrDefault(),
                c.Element(r + "Name")?.Element(r + "LocalizedString")?.Attribute("value")?.Value, c);
            if (!o.Codes.TryGetValue(scheme, out var l)) o.Codes[scheme] = l = new List<CodedValue>();
            l.Add(coded);
        }
        foreach (var x in list.Descendants(r + "ExternalIdentifier"))
        {
            var target = x.Attribute("registryObject")?.Value ?? x.Parent?.Attribute("id")?.Value;
            var scheme = x.Attribute("identificationScheme")?.Value;
            if (target is null || scheme is null || !objects.TryGetValue(target, out var o)) continue;
            o.ExternalIds.TryAdd(scheme, (x.Attribute("value")?.Value ?? "", x));
        }
        foreach (var p in packages)
            if (p.Codes.ContainsKey(rim.SsNode)) md.SubmissionSets.Add(p);
        return md;
    }

    private static IReadOnlyList<string> Get(Dictionary<string, List<string>> slots, string name) =>
        slots.TryGetValue(name, out var v) ? v : Array.Empty<string>();

    private static XdsObject NewObject(XElement e, string id, XNamespace r)
    {
        var o = new XdsObject { Id = id, Element = e };
        foreach (var s in e.Elements(r + "Slot"))
        {
            var name = s.Attribute("name")?.Value;
            if (name is null) continue;
            var values = s.Element(r + "ValueList")?.Elements(r + "Value").Select(v => v.Value).ToList() ?? new List<string>();
            if (o.Slots.TryGetValue(name, out var existing)) existing.AddRange(values);
            else { o.Slots[name] = values; o.SlotElements[name] = s; }
        }
        o.Title = e.Element(r + "Name")?.Element(r + "LocalizedString")?.Attribute("value")?.Value;
        return o;
    }

    private static Dictionary<string, List<string>> SlotsOf(XElement e, XNamespace r)
    {
        var d = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var s in e.Elements(r + "Slot"))
        {
            var name = s.Attribute("name")?.Value;
            if (name is null) continue;
            if (!d.TryGetValue(name, out var l)) d[name] = l = new List<string>();
            l.AddRange(s.Element(r + "ValueList")?.Elements(r + "Value").Select(v => v.Value) ?? Enumerable.Empty<string>());
        }
        return d;
    }
}
