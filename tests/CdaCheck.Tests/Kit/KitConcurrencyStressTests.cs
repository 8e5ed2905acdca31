using System.Xml.XPath;
using CdaCheck.Core.Kit.Schematron;

namespace CdaCheck.Tests.Kit;

/// <summary>
/// The native schematron engine run on several threads at once, in-process, many times over: every run gives the
/// results and dynamic errors of the one-thread run. Regression: the XPath2 package keeps evaluation state in the
/// compiled expression (its running context and the variable slots bound in its tree, shared by Clone()); two runs
/// evaluating the same expression at once read each other's bindings (dynamic errors in `every … satisfies`, wrong
/// results). The schemas are loaded in parallel, as the kit loads its generic layers.
/// </summary>
[Collection("kit-concurrency")] // the two concurrency tests never overlap (each loads the machine; the CLI's document time budget is 10 s)
public class KitConcurrencyStressTests
{
    private const int Threads = 4;
    private const int Rounds = 2;

    private static string Key(SchematronRun run) =>
        string.Join("\n", run.Results.Select(r => r.ToString())) + "\n--errors--\n" + string.Join("\n", run.Errors.Select(e => e.ToString()));

    [KitFact]
    public void Every_layer_run_on_four_threads_at_once_gives_the_one_thread_results()
    {
        var schemas = new SchematronSchema[KitTestEnv.Layers.Length];
        Parallel.For(0, schemas.Length, i => schemas[i] = SchematronSchema.Load(Path.Combine(KitTestEnv.SchematronDir, KitTestEnv.Layers[i]), KitTestEnv.Options));
        foreach (var s in schemas) s.Problems.ShouldNotContain(p => p.Kind == "compile-error" || p.Kind == "runtime-error");

        var docs = Directory.GetFiles(KitTestEnv.ExamplesDir, "*.xml").Order(StringComparer.Ordinal).Select(p => (Name: Path.GetFileName(p), Doc: KitTestEnv.ReadDocument(p))).ToArray();
        docs.Length.ShouldBeGreaterThan(50);
        // the work items: every (document, layer) pair
        var items = (from d in Enumerable.Range(0, docs.Length) from l in Enumerable.Range(0, schemas.Length) select (d, l)).ToArray();

        // the reference: one thread (the first run of each schema evaluates the expressions compiled at load)
        var expected = new string[items.Length];
        for (int i = 0; i < items.Length; i++)
            expected[i] = Key(schemas[items[i].l].Run(docs[items[i].d].Doc.CreateNavigator()));
        // control: the layers ran and report (most examples pass every layer: a spurious failure or dynamic error shows)
        expected.Count(k => !k.StartsWith("\n--errors--", StringComparison.Ordinal)).ShouldBeGreaterThan(0);

        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int round = 0; round < Rounds; round++)
            {
                // each thread walks the items from its own offset, so that the threads meet on the same layers
                for (int k = 0; k < items.Length; k++)
                {
                    int i = (k + t * 7 + round * 3) % items.Length;
                    var (d, l) = items[i];
                    string got;
                    try { got = Key(schemas[l].Run(docs[d].Doc.CreateNavigator())); }
                    catch (Exception e) { got = e.GetType().Name + ": " + e.Message; }
                    if (got != expected[i]) mismatches.Add($"{docs[d].Name} {KitTestEnv.Layers[l]} (thread {t}, round {round})");
                }
            }
        }) { IsBackground = true }).ToList();
        foreach (var th in threads) th.Start();
        foreach (var th in threads) th.Join();

        mismatches.ShouldBeEmpty();
    }
}
