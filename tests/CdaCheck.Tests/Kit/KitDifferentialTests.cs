using System.Collections.Concurrent;
using System.Text;
using System.Xml.XPath;
using CdaCheck.Core.Kit.Schematron;
using CdaCheck.TestData.Kit;
using Xunit.Abstractions;

namespace CdaCheck.Tests.Kit;

/// <summary>
/// Differential tests: the native engine against Saxon running the kit's own compiled stylesheets, on every ANS
/// example and on mutants. Equal means the same multiset of (failed assert or report, SVRL location, SVRL text).
/// </summary>
public class KitDifferentialTests(ITestOutputHelper output)
{
    private static readonly ConcurrentDictionary<string, Lazy<SchematronSchema>> Schemas = new(StringComparer.Ordinal);

    internal static SchematronSchema Engine(string relSch) => Schemas.GetOrAdd(relSch, r => new Lazy<SchematronSchema>(
        () => SchematronSchema.Load(Path.Combine(KitTestEnv.SchematronDir, r), KitTestEnv.Options))).Value;

    private static IReadOnlyList<string> Examples() => Directory.GetFiles(KitTestEnv.ExamplesDir, "*.xml")
        .Order(StringComparer.Ordinal).ToList();

    /// <summary>Layers at parity: IHE (1), Modeles_ANS (3) and terminologie (4), identical on the 79 examples and 78 mutants.</summary>
    [SaxonTheory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Generic_layer_matches_Saxon_on_examples_and_mutants(int layer) => CompareLayer(layer);

    /// <summary>
    /// Layers not yet at parity: StrucMin (0: 149 of 157 documents identical; the 8 others differ only by the spaces
    /// around a value-of in the message) and ModelesDeContenusCDA (2), where some expressions do not compile yet.
    /// Run with CDACHECK_KIT_DIFF_ALL=1.
    /// </summary>
    [SaxonTheory(pendingParity: true)]
    [InlineData(0)]
    [InlineData(2)]
    public void Pending_layer_matches_Saxon_on_examples_and_mutants(int layer) => CompareLayer(layer);

    private void CompareLayer(int layer)
    {
        var rel = KitTestEnv.Layers[layer];
        var docs = Examples().Concat(KitMutants.All).ToList();
        var report = Compare(rel, docs, out int differing);
        output.WriteLine(report);
        differing.ShouldBe(0, report);
    }

    /// <summary>Volets of the examples (N3 only, as the kit runs them), each against its volet schematron.</summary>
    [SaxonFact(pendingParity: true)]
    public void Volet_layer_matches_Saxon_on_examples_and_mutants()
    {
        var entries = VoletIndex.Scan(KitTestEnv.KitDir);
        var all = Environment.GetEnvironmentVariable("CDACHECK_KIT_ALL_VOLETS") == "1";
        var chosen = new HashSet<string>(StringComparer.Ordinal)
        {
            "LDL-SES_2022.01", "LDL-EES_2022.01", "BIO-CR-BIO_2024.01", "IMG-CR-IMG_2024.01", "EP-MED-DM_2024.01",
            "eDISP-MED_2024.01", "ANEST-CR-CPA_2022.01", "IPS-FR_2024.01",
        };
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var doc in Examples().Concat(KitMutants.All))
        {
            var v = VoletOf(entries, doc);
            if (v == null) continue;
            if (!all && !chosen.Contains(v.Name + "_" + v.Version)) continue;
            var rel = Path.GetRelativePath(KitTestEnv.SchematronDir, v.SchematronPath);
            if (!groups.TryGetValue(rel, out var list)) groups[rel] = list = [];
            list.Add(doc);
        }
        groups.Count.ShouldBeGreaterThan(3);
        var sb = new StringBuilder();
        int total = 0;
        foreach (var (rel, docs) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.AppendLine(Compare(rel, docs, out int differing));
            total += differing;
        }
        output.WriteLine(sb.ToString());
        total.ShouldBe(0, sb.ToString());
    }

    internal static VoletEntry? VoletOf(IReadOnlyList<VoletEntry> entries, string docPath)
    {
        XDocument d;
        try { d = XDocument.Load(docPath); } catch (System.Xml.XmlException) { return null; }
        XNamespace hl7 = "urn:hl7-org:v3";
        var cd = d.Root?.Name == hl7 + "ClinicalDocument" ? d.Root : d.Descendants(hl7 + "ClinicalDocument").FirstOrDefault();
        if (cd == null || cd.Element(hl7 + "component")?.Element(hl7 + "structuredBody") == null) return null;
        foreach (var t in cd.Elements(hl7 + "templateId"))
        {
            var e = VoletIndex.Find(entries, (string?)t.Attribute("root") ?? "", (string?)t.Attribute("extension"));
            if (e != null) return e;
        }
        return null;
    }

    /// <summary>Runs both sides on the documents; returns a report and the number of documents that differ.</summary>
    internal static string Compare(string relSch, IReadOnlyList<string> docs, out int differing)
    {
        var saxon = KitTestEnv.Saxon.RunBatch(relSch, docs);
        var schema = Engine(relSch);
        var sb = new StringBuilder();
        differing = 0;
        int identical = 0, results = 0;
        foreach (var doc in docs)
        {
            var name = Path.GetFileName(doc);
            var run = schema.Run(KitTestEnv.ReadDocument(doc).CreateNavigator());
            var theirs = saxon[name];
            if (theirs == null)
            {
                if (run.Errors.Count > 0) { identical++; continue; } // both stop on a dynamic error
                differing++;
                sb.AppendLine($"  {name}: Saxon wrote no report, the engine met no error ({run.Results.Count} results)");
                continue;
            }
            if (run.Errors.Count > 0)
            {
                differing++;
                sb.AppendLine($"  {name}: engine error {run.Errors[0].Detail}");
                continue;
            }
            var mine = run.Results.Select(r => Key(r.IsReport, r.Location, r.Message)).ToList();
            var ref_ = theirs.Select(r => Key(r.IsReport, r.Location, r.Message)).ToList();
            results += ref_.Count;
            var onlyMine = MultisetMinus(mine, ref_);
            var onlyTheirs = MultisetMinus(ref_, mine);
            if (onlyMine.Count == 0 && onlyTheirs.Count == 0) { identical++; continue; }
            differing++;
            sb.AppendLine($"  {name}: {onlyMine.Count} only in engine, {onlyTheirs.Count} only in Saxon");
            foreach (var k in onlyMine.Take(3)) sb.AppendLine("    engine: " + Short(k));
            foreach (var k in onlyTheirs.Take(3)) sb.AppendLine("    saxon:  " + Short(k));
        }
        var head = $"{relSch}: {docs.Count} documents, {identical} identical, {differing} differing, {results} Saxon results";
        return head + Environment.NewLine + sb;
    }

    private static string Key(bool isReport, string location, string message) => (isReport ? "R|" : "A|") + location + "|" + message;

    private static string Short(string s) => s.Length > 300 ? s[..300] + "…" : s;

    private static List<string> MultisetMinus(List<string> a, List<string> b)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var x in b) counts[x] = counts.GetValueOrDefault(x) + 1;
        var rest = new List<string>();
        foreach (var x in a)
        {
            if (counts.TryGetValue(x, out int c) && c > 0) counts[x] = c - 1;
            else rest.Add(x);
        }
        return rest;
    }
}
