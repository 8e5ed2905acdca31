using System.Text.RegularExpressions;

namespace CdaCheck.Core.Kit.Schematron;

/// <param name="Name">Volet name as in the file name, e.g. "LDL-SES", "VSM_1.4".</param>
/// <param name="Version">Volet version, e.g. "2022.01".</param>
/// <param name="SchematronPath">Absolute path of <c>schematrons/CI-SIS_&lt;VOLET&gt;_&lt;version&gt;.sch</c>.</param>
/// <param name="TemplateIdRoot">The volet's document templateId root read from its rules; "" when none was found.</param>
public sealed record VoletEntry(string Name, string Version, string SchematronPath, string TemplateIdRoot);

/// <summary>
/// Maps a document's volet templateId (root + version in @extension) to the kit's volet schematron. The root of each
/// volet is read from the kit: the French document-level OIDs (1.2.250.1.213.1.1.1.n[.m...]) in the test and context
/// expressions of the volet file and of every file it includes (followed as the kit's include pass follows them,
/// letter case tolerated), preferring one written next to the version string, then the most used, then the most
/// specific. Some volets never write their own templateId (OPH-CR-RTN, CSE-MDE...): their root then comes from the
/// ANS table ASS_A11 (templateId → volet, <paramref name="knownRoots"/> of <see cref="Scan"/>), else from another
/// version of the same volet.
/// </summary>
public static class VoletIndex
{
    private static readonly Regex FileName = new(@"^CI-SIS_(?<name>.+)_(?<version>\d{4}\.\d{2})\.sch$", RegexOptions.CultureInvariant);
    private static readonly Regex Oid = new(@"1\.2\.250\.1\.213\.1\.1\.1(?:\.\d+)+(?![\d.]*\d)", RegexOptions.CultureInvariant);
    private static readonly Regex IncludeHref = new(@"<(?:\w+:)?include\b[^>]*\bhref\s*=\s*(?:""(?<h>[^""]*)""|'(?<h>[^']*)')", RegexOptions.CultureInvariant);
    private static readonly Regex ExprAttr = new(@"\b(?:test|context)\s*=\s*(?:""(?<v>[^""]*)""|'(?<v>[^']*)')", RegexOptions.CultureInvariant);

    /// <param name="kitRoot">The kit folder (holding <c>schematrons/</c>).</param>
    /// <param name="knownRoots">Volet name as ASS_A11 spells it (e.g. "CR-RTN", "CSE-MDE") → its templateId root; a
    /// kit volet matches a name when it is that name or ends with "-" + that name.</param>
    public static IReadOnlyList<VoletEntry> Scan(string kitRoot, IReadOnlyDictionary<string, string>? knownRoots = null)
    {
        var dir = Path.Combine(kitRoot, "schematrons");
        if (!Directory.Exists(dir)) return [];
        var list = new List<VoletEntry>();
        foreach (var file in Directory.GetFiles(dir, "CI-SIS_*.sch").Order(StringComparer.Ordinal))
        {
            var m = FileName.Match(Path.GetFileName(file));
            if (!m.Success) continue;
            var name = m.Groups["name"].Value;
            var version = m.Groups["version"].Value;
            list.Add(new VoletEntry(name, version, Path.GetFullPath(file), FindRoot(file, version)));
        }
        for (int i = 0; i < list.Count; i++)
        {
            var e = list[i];
            if (e.TemplateIdRoot.Length > 0) continue;
            var root = KnownRoot(e.Name, knownRoots)
                ?? list.Where(o => o.Name == e.Name && o.TemplateIdRoot.Length > 0).Select(o => o.TemplateIdRoot).Distinct(StringComparer.Ordinal).SingleOrDefaultIfMany();
            if (root != null) list[i] = e with { TemplateIdRoot = root };
        }
        return list;
    }

    /// <summary>The volet schematron for a templateId; without extension, the volet's earliest version.</summary>
    public static VoletEntry? Find(IReadOnlyList<VoletEntry> entries, string templateRoot, string? extension)
    {
        var candidates = entries.Where(e => e.TemplateIdRoot.Length > 0 && e.TemplateIdRoot == templateRoot).ToList();
        if (candidates.Count == 0) return null;
        if (!string.IsNullOrWhiteSpace(extension))
            return candidates.FirstOrDefault(e => e.Version == extension.Trim());
        return candidates.OrderBy(e => e.Version, StringComparer.Ordinal).First();
    }

    private static string? KnownRoot(string name, IReadOnlyDictionary<string, string>? known)
    {
        if (known == null) return null;
        if (known.TryGetValue(name, out var exact)) return exact;
        var ends = known.Where(k => name.EndsWith("-" + k.Key, StringComparison.Ordinal)).Select(k => k.Value).Distinct(StringComparer.Ordinal).ToList();
        return ends.Count == 1 ? ends[0] : null;
    }

    /// <summary>The volet file and every file it includes, transitively (missing files skipped).</summary>
    private static List<string> IncludedFiles(string file)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { file };
        var order = new List<string> { file };
        for (int i = 0; i < order.Count && order.Count < 5000; i++)
        {
            string text;
            try { text = CdaCheck.Core.Input.FileProbe.ReadAllTextRegular(order[i]); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (Match m in IncludeHref.Matches(text))
            {
                var href = m.Groups["h"].Value.Split('#')[0];
                if (href.Length == 0) continue;
                var target = KitPaths.Resolve(Path.GetDirectoryName(order[i])!, href, out _);
                if (target != null && seen.Add(target)) order.Add(target);
            }
        }
        return order;
    }

    private static string FindRoot(string file, string version)
    {
        var files = IncludedFiles(file);
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            string text;
            try { text = CdaCheck.Core.Input.FileProbe.ReadAllTextRegular(f); } catch (IOException) { continue; }
            foreach (Match a in ExprAttr.Matches(text))
            {
                var v = a.Groups["v"].Value;
                bool withVersion = v.Contains(version, StringComparison.Ordinal);
                foreach (Match o in Oid.Matches(v))
                {
                    if (o.Value == "1.2.250.1.213.1.1.1.1") continue;
                    scores[o.Value] = scores.GetValueOrDefault(o.Value) + (withVersion ? 100 : 1);
                }
            }
        }
        if (scores.Count == 0) return "";
        return scores.OrderByDescending(kv => kv.Value).ThenByDescending(kv => kv.Key.Length).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
    }
}

internal static class VoletIndexExtensions
{
    /// <summary>The single distinct value, or null when there is none or more than one.</summary>
    public static string? SingleOrDefaultIfMany(this IEnumerable<string> values)
    {
        string? one = null;
        foreach (var v in values)
        {
            if (one != null) return null;
            one = v;
        }
        return one;
    }
}
