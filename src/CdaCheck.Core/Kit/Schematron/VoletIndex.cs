using System.Text.RegularExpressions;

namespace CdaCheck.Core.Kit.Schematron;

/// <param name="Name">Volet name as in the file name, e.g. "LDL-SES", "VSM_1.4".</param>
/// <param name="Version">Volet version, e.g. "2022.01".</param>
/// <param name="SchematronPath">Absolute path of <c>schematrons/CI-SIS_&lt;VOLET&gt;_&lt;version&gt;.sch</c>.</param>
/// <param name="TemplateIdRoot">The volet's document templateId root read from its rules; "" when none was found.</param>
public sealed record VoletEntry(string Name, string Version, string SchematronPath, string TemplateIdRoot);

/// <summary>
/// Maps a document's volet templateId (root + version in @extension) to the kit's volet schematron. The root of each
/// volet is read from the kit: the French document-level OIDs (1.2.250.1.213.1.1.1.n[.m]) in the test and context
/// expressions of the volet file and of its <c>include/specificationsVolets/&lt;VOLET&gt;_&lt;version&gt;/</c> files,
/// preferring one written next to the version string, then the most used, then the most specific.
/// </summary>
public static class VoletIndex
{
    private static readonly Regex FileName = new(@"^CI-SIS_(?<name>.+)_(?<version>\d{4}\.\d{2})\.sch$", RegexOptions.CultureInvariant);
    private static readonly Regex Oid = new(@"1\.2\.250\.1\.213\.1\.1\.1\.\d+(?:\.\d+)?(?![\d.]*\d)", RegexOptions.CultureInvariant);
    private static readonly Regex ExprAttr = new(@"\b(?:test|context)\s*=\s*(?:""(?<v>[^""]*)""|'(?<v>[^']*)')", RegexOptions.CultureInvariant);

    public static IReadOnlyList<VoletEntry> Scan(string kitRoot)
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
            list.Add(new VoletEntry(name, version, Path.GetFullPath(file), FindRoot(dir, file, name, version)));
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

    private static string FindRoot(string schDir, string file, string name, string version)
    {
        var files = new List<string> { file };
        var specs = Path.Combine(schDir, "include", "specificationsVolets");
        if (Directory.Exists(specs))
        {
            foreach (var d in Directory.GetDirectories(specs))
            {
                var dn = Path.GetFileName(d);
                // folder names: <VOLET>_<version>, sometimes with a profile version in between (AVC-AUNV_2.2_2022.01)
                if (string.Equals(dn, name + "_" + version, StringComparison.OrdinalIgnoreCase)
                    || (dn.StartsWith(name + "_", StringComparison.OrdinalIgnoreCase) && dn.EndsWith("_" + version, StringComparison.Ordinal)))
                    files.AddRange(Directory.GetFiles(d, "*.sch", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
        }
        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            string text;
            try { text = File.ReadAllText(f); } catch (IOException) { continue; }
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
