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

    /// <summary>Every generic layer: StrucMin (0), IHE (1), ModelesDeContenusCDA (2), Modeles_ANS (3), terminologie (4).</summary>
    [SaxonTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Generic_layer_matches_Saxon_on_examples_and_mutants(int layer)
    {
        var rel = KitTestEnv.Layers[layer];
        var report = Compare(rel, Prepared.Value.Documents, out int differing);
        output.WriteLine(report);
        differing.ShouldBe(0, report);
    }

    /// <summary>
    /// Every N3 example and mutant against the volet schematron its volet templateId maps to (as validate --kit maps
    /// it: the kit's own rules, then ASS_A11), every volet the examples use.
    /// </summary>
    [SaxonFact]
    public void Volet_layer_matches_Saxon_on_examples_and_mutants()
    {
        var groups = Prepared.Value.Volets;
        groups.Count.ShouldBeGreaterThan(30);
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

    private sealed record Plan(IReadOnlyList<string> Documents, IReadOnlyDictionary<string, List<string>> Volets);

    /// <summary>The documents, their volet groups, and every stylesheet they need compiled by Saxon in one JVM (cached).</summary>
    private static readonly Lazy<Plan> Prepared = new(() =>
    {
        var docs = Examples().Concat(KitMutants.All).ToList();
        var entries = KitFixture.Kit.Volets;
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var doc in docs)
        {
            var v = VoletOf(entries, doc);
            if (v == null) continue;
            var rel = Path.GetRelativePath(KitTestEnv.SchematronDir, v.SchematronPath);
            if (!groups.TryGetValue(rel, out var list)) groups[rel] = list = [];
            list.Add(doc);
        }
        KitTestEnv.Saxon.CompileAll(KitTestEnv.Layers.Concat(groups.Keys));
        return new Plan(docs, groups);
    }, LazyThreadSafetyMode.ExecutionAndPublication);

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
        var diffs = KitDiff.Compare(Engine(relSch), docs, saxon, out int results);
        differing = diffs.Count(d => !d.Identical);
        return KitDiff.Report(relSch, diffs, results)
            + $"  (CPU so far: Saxon JVMs {SaxonKit.TotalCpu.TotalSeconds:F0} s, test process {System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F0} s)"
            + Environment.NewLine;
    }
}
