using System.Xml.Linq;
using CdaCheck.Core.Cda;

namespace CdaCheck.Core.Kit;

/// <summary>A code system the kit's terminology schematron knows (Terminologies.txt) and the file it looks the codes up in.</summary>
public sealed record TerminologyFile(string Oid, string Name, string FileName)
{
    public string Display => Name + " (" + Oid + ")";
}

/// <summary>
/// The kit's terminology files: <c>terminologie.sch</c> looks a code up in <c>terminologie/&lt;codeSystem&gt;.rdf</c>
/// (UCUM units in <c>2.16.840.1.113883.6.8.xml</c>) and passes silently when the file is absent. This lists the code
/// systems of the kit's own list (<c>Terminologies.txt</c>) whose file is absent, so that reports can say which codes
/// were not checked.
/// </summary>
public sealed class KitTerminology
{
    private readonly Dictionary<string, TerminologyFile> _absentByOid;

    private KitTerminology(IReadOnlyList<TerminologyFile> known, IReadOnlyList<TerminologyFile> absent)
    {
        Known = known;
        Absent = absent;
        _absentByOid = absent.ToDictionary(a => a.Oid, StringComparer.Ordinal);
    }

    public IReadOnlyList<TerminologyFile> Known { get; }
    public IReadOnlyList<TerminologyFile> Absent { get; }

    public static KitTerminology Scan(string folder)
    {
        var known = new List<TerminologyFile>();
        var list = Path.Combine(folder, "Terminologies.txt");
        if (File.Exists(list))
        {
            foreach (var raw in CdaCheck.Core.Input.FileProbe.ReadAllTextRegular(list).Split('\n'))
            {
                var parts = raw.Split("==>", 2, StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || parts[0].Length == 0 || !parts[0].All(c => char.IsAsciiDigit(c) || c == '.')) continue;
                var file = parts[0] == "2.16.840.1.113883.6.8" ? parts[0] + ".xml" : parts[0] + ".rdf";
                known.Add(new TerminologyFile(parts[0], parts[1], file));
            }
        }
        var absent = known.Where(k => !File.Exists(Path.Combine(folder, k.FileName))).ToList();
        return new KitTerminology(known, absent);
    }

    /// <summary>
    /// The codes of a document that the terminology schematron cannot check: per absent code system, how many
    /// <c>hl7:code</c> and CD/CE <c>hl7:value</c> elements (the schematron's contexts) carry it.
    /// </summary>
    public IReadOnlyList<(TerminologyFile File, int Codes)> Unchecked(XElement root)
    {
        if (_absentByOid.Count == 0) return [];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var code = CdaDocument.V3 + "code";
        var value = CdaDocument.V3 + "value";
        var xsiType = CdaDocument.Xsi + "type";
        foreach (var e in root.DescendantsAndSelf())
        {
            if (e.Name == code || e.Name == value && e.Attribute(xsiType)?.Value is "CD" or "CE")
            {
                var cs = e.Attribute("codeSystem")?.Value;
                if (cs is not null && _absentByOid.ContainsKey(cs)) counts[cs] = counts.GetValueOrDefault(cs) + 1;
            }
        }
        return counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (_absentByOid[c.Key], c.Value)).ToList();
    }
}
