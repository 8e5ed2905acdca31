using System.Diagnostics;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Validation;

namespace CdaCheck.TestData.Bench;

/// <summary>
/// Per-stage CPU cost over a folder of CDA files: <c>bench-stages DIR [N] [ROUNDS]</c> (Stopwatch, single thread;
/// one warm-up round, then the lowest mean of each stage over ROUNDS rounds, default 3: the steadiest figure on a shared machine).
/// </summary>
public static class StageBench
{
    public static int Run(string[] args)
    {
        var files = Directory.EnumerateFiles(args[0], "*.xml").Order(StringComparer.Ordinal).Take(args.Length > 1 ? int.Parse(args[1]) : 200).ToList();
        var data = ReferenceData.Load();
        var options = new ValidationOptions();
        var checks = Pipeline.CdaChecks(data);
        var times = new double[checks.Count + 2];
        var best = new double[checks.Count + 2];
        Array.Fill(best, double.MaxValue);
        int rounds = args.Length > 2 ? int.Parse(args[2]) : 3;
        var inputs = files.Select(File.ReadAllBytes).ToList();
        for (int round = 0; round <= rounds; round++) // round 0 warms up
        {
            Array.Clear(times);
            foreach (var bytes in inputs)
            {
                var sw = Stopwatch.StartNew();
                var sha = System.Security.Cryptography.SHA256.HashData(bytes);
                times[0] += sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                var sink = new FindingSink(options);
                var xml = SecureXml.LoadForValidation(bytes, sink, options.Limits)!; // as the Validator loads
                var doc = new CdaDocument(xml, CdaDocument.FindClinicalDocument(xml)!, null, false);
                times[1] += sw.Elapsed.TotalMilliseconds;
                var result = new DocumentResult("x", InputKind.Cda);
                var ctx = new ValidationContext(data, options);
                for (int c = 0; c < checks.Count; c++)
                {
                    sw.Restart();
                    checks[c].Check(doc, result, sink, ctx);
                    times[c + 2] += sw.Elapsed.TotalMilliseconds;
                }
            }
            if (round > 0) for (int k = 0; k < times.Length; k++) best[k] = Math.Min(best[k], times[k]);
        }
        times = best;
        Console.WriteLine($"{inputs.Count} documents, {inputs.Sum(b => b.LongLength) / 1048576.0:0.0} MiB; mean ms per document (best of {rounds} rounds):");
        Console.WriteLine($"  {"sha256",-22} {times[0] / inputs.Count:0.000}");
        Console.WriteLine($"  {"xml load",-22} {times[1] / inputs.Count:0.000}");
        for (int c = 0; c < checks.Count; c++) Console.WriteLine($"  {checks[c].GetType().Name,-22} {times[c + 2] / inputs.Count:0.000}");
        Console.WriteLine($"  {"total",-22} {times.Sum() / inputs.Count:0.000}");
        return 0;
    }
}
