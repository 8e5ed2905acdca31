using System.Text;
using System.Xml;
using System.Xml.XPath;
using CdaCheck.Core.Kit.Schematron;

namespace CdaCheck.TestData.Kit;

/// <summary>
/// The differential of the native engine against Saxon running the kit's own compiled stylesheets: equal means the
/// same multiset of (failed assert or successful report, SVRL location, SVRL text) per document.
/// <c>kit-diff KITDIR SCH DOC|DIR... [--detail N]</c> prints it for one schematron (path relative to schematrons/).
/// </summary>
public static class KitDiff
{
    /// <summary>The engine's side of the J07 fix: doc() of the missing voc file reads the one converted from jeuxDeValeurs/.</summary>
    public static SchematronOptions EngineOptions(string kitDir)
    {
        var j07 = Path.Combine(Path.GetTempPath(), "cdacheck-kit-j07-" + Environment.ProcessId, SaxonKit.J07VocName);
        if (!File.Exists(j07)) SaxonKit.WriteJ07Voc(kitDir, j07);
        return new SchematronOptions { DocResolver = p => Path.GetFileName(p) == SaxonKit.J07VocName && !File.Exists(p) ? j07 : null };
    }

    /// <summary>The document as the kit layer hands it over: line info, DTD prohibited, no resolver.</summary>
    public static XPathDocument ReadDocument(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(path, settings);
        return new XPathDocument(reader, XmlSpace.Preserve);
    }

    /// <summary>One document's comparison: what only the engine found, what only Saxon found (SVRL keys).</summary>
    public sealed record DocDiff(string Name, List<string> OnlyEngine, List<string> OnlySaxon, string? Note)
    {
        public bool Identical => OnlyEngine.Count == 0 && OnlySaxon.Count == 0 && Note == null;
    }

    /// <summary>Compares the engine's run with Saxon's results (null: Saxon wrote no report) for each document.</summary>
    public static List<DocDiff> Compare(SchematronSchema schema, IReadOnlyList<string> docs,
        IReadOnlyDictionary<string, List<SvrlResult>?> saxon, out int saxonResults)
    {
        var list = new List<DocDiff>();
        saxonResults = 0;
        foreach (var doc in docs)
        {
            var name = Path.GetFileName(doc);
            var run = schema.Run(ReadDocument(doc).CreateNavigator());
            var theirs = saxon.TryGetValue(name, out var t) ? t : null;
            if (theirs == null)
            {
                list.Add(new DocDiff(name, [], [], run.Errors.Count > 0 ? null
                    : $"Saxon wrote no report, the engine met no error ({run.Results.Count} results)"));
                continue;
            }
            if (run.Errors.Count > 0)
            {
                list.Add(new DocDiff(name, [], [], "engine error " + run.Errors[0].Detail));
                continue;
            }
            var mine = run.Results.Select(r => Key(r.IsReport, r.Location, r.Message)).ToList();
            var ref_ = theirs.Select(r => Key(r.IsReport, r.Location, r.Message)).ToList();
            saxonResults += ref_.Count;
            list.Add(new DocDiff(name, MultisetMinus(mine, ref_), MultisetMinus(ref_, mine), null));
        }
        return list;
    }

    /// <summary>A readable report: the head line, then up to <paramref name="detail"/> differences per differing document.</summary>
    public static string Report(string relSch, List<DocDiff> diffs, int saxonResults, int detail = 3)
    {
        var sb = new StringBuilder();
        int identical = diffs.Count(d => d.Identical);
        sb.AppendLine($"{relSch}: {diffs.Count} documents, {identical} identical, {diffs.Count - identical} differing, {saxonResults} Saxon results");
        foreach (var d in diffs.Where(d => !d.Identical))
        {
            if (d.Note != null) { sb.AppendLine($"  {d.Name}: {d.Note}"); continue; }
            sb.AppendLine($"  {d.Name}: {d.OnlyEngine.Count} only in engine, {d.OnlySaxon.Count} only in Saxon");
            foreach (var k in d.OnlyEngine.Take(detail)) sb.AppendLine("    engine: " + Short(k));
            foreach (var k in d.OnlySaxon.Take(detail)) sb.AppendLine("    saxon:  " + Short(k));
        }
        return sb.ToString();
    }

    public static string Key(bool isReport, string location, string message) => (isReport ? "R|" : "A|") + location + "|" + message;

    private static string Short(string s) => s.Length > 400 ? s[..400] + "…" : s;

    public static List<string> MultisetMinus(List<string> a, List<string> b)
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

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: kit-diff KITDIR SCH DOC|DIR... [--detail N]");
            return 2;
        }
        var kitDir = Path.GetFullPath(args[0]);
        var rel = args[1];
        int detail = 3;
        var docs = new List<string>();
        for (int i = 2; i < args.Length; i++)
        {
            if (args[i] == "--detail" && i + 1 < args.Length) { detail = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); continue; }
            if (Directory.Exists(args[i])) docs.AddRange(Directory.GetFiles(args[i], "*.xml").Order(StringComparer.Ordinal));
            else docs.Add(Path.GetFullPath(args[i]));
        }
        var schema = SchematronSchema.Load(Path.Combine(kitDir, "schematrons", rel), EngineOptions(kitDir));
        foreach (var p in schema.Problems.Where(p => p.Kind == "compile-error").Take(detail))
            Console.WriteLine("compile-error: " + p.Detail);
        var saxon = new SaxonKit(kitDir).RunBatch(rel, docs);
        var diffs = Compare(schema, docs, saxon, out int n);
        Console.Write(Report(rel, diffs, n, detail));
        return diffs.All(d => d.Identical) ? 0 : 1;
    }
}
