using System.Diagnostics;
using System.Globalization;
using System.Xml;
using System.Xml.XPath;
using CdaCheck.Core.Kit.Schematron;

namespace CdaCheck.TestData.Kit;

/// <summary>
/// <c>kit-bench &lt;kitDir&gt; &lt;examplesDir&gt; [--no-saxon] [--rounds N] [--profile] [--dump FILE]</c>: load time of each kit layer, CPU per document
/// per layer and for all layers with the native engine, and Saxon's warm CPU per document for the same layers (batch
/// of N and of 2N documents in one JVM each; the difference divided by N removes JVM start and stylesheet compile).
/// </summary>
public static class KitBench
{
    private static readonly string[] Layers =
    [
        "profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch",
        "profils/IHE.sch",
        "profils/CI-SIS_ModelesDeContenusCDA.sch",
        "profils/CI-SIS_Modeles_ANS.sch",
        "profils/terminologies/schematron/terminologie.sch",
    ];

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: kit-bench <kitDir> <examplesDir> [--no-saxon] [--rounds N]");
            return 2;
        }
        var kitDir = Path.GetFullPath(args[0]);
        var examplesDir = Path.GetFullPath(args[1]);
        bool saxon = !args.Contains("--no-saxon") && SaxonKit.Available;
        int rounds = 3;
        int ri = Array.IndexOf(args, "--rounds");
        if (ri >= 0 && ri + 1 < args.Length) rounds = int.Parse(args[ri + 1], CultureInfo.InvariantCulture);

        var j07 = Path.Combine(Path.GetTempPath(), "cdacheck-kit-bench-" + Environment.ProcessId, SaxonKit.J07VocName);
        SaxonKit.WriteJ07Voc(kitDir, j07);
        var options = new SchematronOptions { DocResolver = p => Path.GetFileName(p) == SaxonKit.J07VocName && !File.Exists(p) ? j07 : null };

        var docs = Directory.GetFiles(examplesDir, "*.xml").Order(StringComparer.Ordinal).ToList();
        var parsed = docs.Select(Read).ToList();
        var volets = VoletIndex.Scan(kitDir);
        var voletOf = docs.Select(d => VoletFor(volets, d)).ToList();

        Console.WriteLine($"{docs.Count} documents, {voletOf.Count(v => v != null)} with a volet schematron; {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("load (wall / CPU):");
        var loadProfiler = args.Contains("--profile") ? new SchematronProfiler() : null;
        SchematronSchema.Profiler = loadProfiler;
        var schemas = new Dictionary<string, SchematronSchema>(StringComparer.Ordinal);
        var totalLoadCpu = TimeSpan.Zero;
        var totalLoadWall = TimeSpan.Zero;
        foreach (var rel in Layers.Concat(voletOf.Where(v => v != null).Select(v => Path.GetRelativePath(Path.Combine(kitDir, "schematrons"), v!.SchematronPath)).Distinct().Order(StringComparer.Ordinal)))
        {
            var (s, wall, cpu) = Measure(() => SchematronSchema.Load(Path.Combine(kitDir, "schematrons", rel), options));
            schemas[rel] = s;
            totalLoadCpu += cpu;
            totalLoadWall += wall;
            if (Layers.Contains(rel))
                Console.WriteLine($"  {rel,-60} {wall.TotalMilliseconds,8:F0} ms {cpu.TotalMilliseconds,8:F0} ms CPU  ({s.AssertionCount} assertions, {s.Problems.Count} problems)");
            if (args.Contains("--problems"))
                foreach (var p in s.Problems) Console.WriteLine($"    {p.Kind}: {(p.Detail.Length > 300 ? p.Detail[..300] : p.Detail)}");
        }
        Console.WriteLine($"  {"all (5 generic + " + (schemas.Count - Layers.Length) + " volets)",-60} {totalLoadWall.TotalMilliseconds,8:F0} ms {totalLoadCpu.TotalMilliseconds,8:F0} ms CPU");
        SchematronSchema.Profiler = null;
        if (loadProfiler != null)
            foreach (var (key, _, ms) in loadProfiler.Top(10)) Console.WriteLine($"    {key}: {ms:F0} ms (all schemas)");

        // warm-up: every layer on every document once
        for (int i = 0; i < docs.Count; i++) RunAll(schemas, parsed[i], voletOf[i], kitDir);

        int di = Array.IndexOf(args, "--dump");
        if (di >= 0 && di + 1 < args.Length)
        {
            Dump(schemas, docs, parsed, voletOf, kitDir, args[di + 1]);
            return 0;
        }
        if (args.Contains("--profile"))
        {
            Profile(schemas, parsed);
            return 0;
        }

        Console.WriteLine();
        Console.WriteLine($"engine CPU per document ({rounds} rounds, warm):");
        var perLayer = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var rel in Layers)
        {
            var s = schemas[rel];
            var (_, _, cpu) = Measure(() =>
            {
                for (int r = 0; r < rounds; r++) foreach (var d in parsed) s.Validate(d.CreateNavigator());
                return 0;
            });
            perLayer[rel] = cpu.TotalMilliseconds / (rounds * docs.Count);
            Console.WriteLine($"  {rel,-60} {perLayer[rel],8:F2} ms");
        }
        var voletDocs = Enumerable.Range(0, docs.Count).Where(i => voletOf[i] != null).ToList();
        var (_, _, vcpu) = Measure(() =>
        {
            for (int r = 0; r < rounds; r++)
                foreach (var i in voletDocs) schemas[Rel(kitDir, voletOf[i]!)].Validate(parsed[i].CreateNavigator());
            return 0;
        });
        double voletMs = voletDocs.Count == 0 ? 0 : vcpu.TotalMilliseconds / (rounds * voletDocs.Count);
        Console.WriteLine($"  {"volet schematron (documents that have one)",-60} {voletMs,8:F2} ms");
        var (_, _, allCpu) = Measure(() =>
        {
            for (int r = 0; r < rounds; r++) for (int i = 0; i < docs.Count; i++) RunAll(schemas, parsed[i], voletOf[i], kitDir);
            return 0;
        });
        double allMs = allCpu.TotalMilliseconds / (rounds * docs.Count);
        Console.WriteLine($"  {"all layers",-60} {allMs,8:F2} ms");
        Console.WriteLine($"  {"peak working set of this process",-60} {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),8} MB");

        if (!saxon)
        {
            Console.WriteLine();
            Console.WriteLine("Saxon: not measured (" + (SaxonKit.Available ? "--no-saxon" : SaxonKit.SaxonJar + " or java absent") + ")");
            return 0;
        }
        Console.WriteLine();
        Console.WriteLine("Saxon-HE warm CPU per document (batch of 2N minus batch of N, N = " + docs.Count + "):");
        var kit = new SaxonKit(kitDir);
        double saxonAll = 0;
        var doubled = docs.Concat(docs.Select((d, i) => CopyAs(d, i))).ToList();
        foreach (var rel in Layers)
        {
            kit.Compile(rel);
            kit.RunBatch(rel, docs, out var cpuN);
            kit.RunBatch(rel, doubled, out var cpu2N);
            double ms = Math.Max(0, (cpu2N - cpuN).TotalMilliseconds / docs.Count);
            saxonAll += ms;
            Console.WriteLine($"  {rel,-60} {ms,8:F2} ms   engine/Saxon {perLayer[rel] / Math.Max(ms, 0.001),6:F3}");
        }
        Console.WriteLine($"  {"generic layers",-60} {saxonAll,8:F2} ms   engine/Saxon {perLayer.Values.Sum() / Math.Max(saxonAll, 0.001),6:F3}");
        return 0;
    }

    /// <summary>--profile: per layer, the rule contexts and tests that take the most time (one pass over the documents).</summary>
    private static void Profile(Dictionary<string, SchematronSchema> schemas, List<XPathDocument> parsed)
    {
        var profiler = new SchematronProfiler();
        SchematronSchema.Profiler = profiler;
        try
        {
            foreach (var rel in Layers)
            {
                profiler.Clear();
                var (_, _, cpu) = Measure(() =>
                {
                    foreach (var d in parsed) schemas[rel].Validate(d.CreateNavigator());
                    return 0;
                });
                Console.WriteLine();
                var all = profiler.Top(int.MaxValue);
                Console.WriteLine($"{rel}: {all.Sum(e => e.Count) / (double)parsed.Count:F0} evaluations/doc");
                Console.WriteLine($"{rel}: {cpu.TotalMilliseconds / parsed.Count:F2} ms CPU/doc; per doc: contexts {profiler.TotalMs("context") / parsed.Count:F2} ms, tests {profiler.TotalMs("test") / parsed.Count:F2} ms, lets {profiler.TotalMs("let") / parsed.Count:F2} ms");
                foreach (var (key, count, ms) in profiler.Top(int.TryParse(Environment.GetEnvironmentVariable("KIT_PROFILE_TOP"), out var top) ? top : 25))
                    Console.WriteLine($"  {ms / parsed.Count,8:F3} ms/doc {count / (double)parsed.Count,8:F1}x  {(key.Length > 150 ? key[..150] + "…" : key)}");
            }
        }
        finally { SchematronSchema.Profiler = null; }
    }

    /// <summary>--dump FILE: every result of every layer on every document, one sorted line each (to compare two builds of the engine).</summary>
    private static void Dump(Dictionary<string, SchematronSchema> schemas, List<string> docs, List<XPathDocument> parsed,
        List<VoletEntry?> voletOf, string kitDir, string file)
    {
        using var w = new StreamWriter(file);
        for (int i = 0; i < docs.Count; i++)
        {
            var layers = Layers.ToList();
            if (voletOf[i] != null) layers.Add(Rel(kitDir, voletOf[i]!));
            foreach (var rel in layers)
            {
                var run = schemas[rel].Run(parsed[i].CreateNavigator());
                var lines = run.Results.Select(r => $"{(r.IsReport ? "R" : "A")}|{r.Id}|{r.PatternId}|{r.RuleContext}|{r.Location}|{r.Line}:{r.Column}|{r.Message}")
                    .Concat(run.Errors.Select(e => "E|" + e.Detail)).Order(StringComparer.Ordinal);
                foreach (var l in lines) w.WriteLine(Path.GetFileName(docs[i]) + "|" + rel + "|" + l.ReplaceLineEndings(" "));
            }
        }
    }

    private static string copyDir = "";

    private static string CopyAs(string doc, int i)
    {
        if (copyDir.Length == 0)
        {
            copyDir = Path.Combine(Path.GetTempPath(), "cdacheck-kit-bench-copies-" + Environment.ProcessId);
            Directory.CreateDirectory(copyDir);
        }
        var p = Path.Combine(copyDir, "copy" + i.ToString("D4", CultureInfo.InvariantCulture) + ".xml");
        File.Copy(doc, p, true);
        return p;
    }

    private static string Rel(string kitDir, VoletEntry v) => Path.GetRelativePath(Path.Combine(kitDir, "schematrons"), v.SchematronPath);

    private static void RunAll(Dictionary<string, SchematronSchema> schemas, XPathDocument doc, VoletEntry? volet, string kitDir)
    {
        foreach (var rel in Layers) schemas[rel].Validate(doc.CreateNavigator());
        if (volet != null) schemas[Rel(kitDir, volet)].Validate(doc.CreateNavigator());
    }

    private static (T, TimeSpan Wall, TimeSpan Cpu) Measure<T>(Func<T> f)
    {
        var proc = Process.GetCurrentProcess();
        proc.Refresh();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var r = f();
        sw.Stop();
        proc.Refresh();
        return (r, sw.Elapsed, proc.TotalProcessorTime - cpu0);
    }

    private static XPathDocument Read(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(path, settings);
        return new XPathDocument(reader, XmlSpace.Preserve);
    }

    /// <summary>The volet schematron of an N3 document (the kit applies volets to structured bodies only).</summary>
    public static VoletEntry? VoletFor(IReadOnlyList<VoletEntry> volets, string docPath)
    {
        var nav = Read(docPath).CreateNavigator();
        var ns = new XmlNamespaceManager(nav.NameTable);
        ns.AddNamespace("h", "urn:hl7-org:v3");
        var cd = nav.SelectSingleNode("//h:ClinicalDocument", ns);
        if (cd == null || cd.SelectSingleNode("h:component/h:structuredBody", ns) == null) return null;
        var it = cd.Select("h:templateId", ns);
        while (it.MoveNext())
        {
            var t = it.Current!;
            var e = VoletIndex.Find(volets, t.GetAttribute("root", ""), t.GetAttribute("extension", ""));
            if (e != null) return e;
        }
        return null;
    }
}
