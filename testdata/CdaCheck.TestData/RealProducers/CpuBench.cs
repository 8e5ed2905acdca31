using CdaCheck.Core.Reference;
using CdaCheck.Core.Validation;

namespace CdaCheck.TestData.RealProducers;

/// <summary>
/// <c>real-producers cpu DIR…</c>: the CPU time of the validating thread per real-producer document, in-process
/// (<see cref="Validator"/>, <see cref="RasterMode.Never"/>: no renderer), what a loaded shared machine cannot show in
/// wall times. Each document is validated once to warm up, then ROUNDS (3) times RUNS (5) times; its cost is the lowest
/// round mean. Prints per category (vector, raster, jpeg, scan, no-symbol) the DataMatrix decoded / documents and the
/// median, p99 and max, then overall and the slowest documents.
/// </summary>
public static class CpuBench
{
    public static int Run(string[] dirs, int rounds = 3, int runs = 5)
    {
        if (!CpuClock.IsCpuTime) { Console.Error.WriteLine("no thread CPU clock on this system"); return 2; }
        var validator = new Validator(ReferenceData.Load(), new ValidationOptions { RasterFallback = RasterMode.Never });
        var docs = new List<(string Path, string Category, double Ms, bool Decoded)>();
        foreach (var dir in dirs)
        {
            bool vector = File.Exists(Path.Combine(dir, "cairo-nosymbol-table.pdf"));
            foreach (var xml in Directory.GetFiles(dir, "*.xml").Order(StringComparer.Ordinal))
            {
                var bytes = File.ReadAllBytes(xml);
                var first = validator.Validate(xml, bytes);
                double best = double.MaxValue;
                for (int r = 0; r < rounds; r++)
                {
                    long c0 = CpuClock.ThreadMs();
                    for (int k = 0; k < runs; k++) validator.Validate(xml, bytes);
                    best = Math.Min(best, (CpuClock.ThreadMs() - c0) / (double)runs);
                }
                var name = Path.GetFileName(xml);
                string cat = name.Contains("nosymbol", StringComparison.Ordinal) ? "no-symbol" : vector ? "vector" : RasterCorpus.Category(name);
                docs.Add((xml, cat, best, first.DataMatrix.Status == DataMatrixStatus.Decoded));
            }
        }
        static double Pct(List<double> v, double q) { v.Sort(); return v[Math.Clamp((int)Math.Round(q * (v.Count - 1)), 0, v.Count - 1)]; }
        Console.WriteLine($"CPU ms per document (validating thread, best of {rounds} rounds of {runs}; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores)");
        Console.WriteLine($"{"category",-10} {"docs",5} {"decoded",8} {"median",8} {"p99",8} {"max",8}");
        foreach (var cat in new[] { "vector", "raster", "jpeg", "scan", "no-symbol", "all" })
        {
            var set = cat == "all" ? docs : docs.Where(d => d.Category == cat).ToList();
            if (set.Count == 0) continue;
            var ms = set.Select(d => d.Ms).ToList();
            Console.WriteLine($"{cat,-10} {set.Count,5} {set.Count(d => d.Decoded),8} {Pct(ms, 0.5),8:0.0} {Pct(ms, 0.99),8:0.0} {ms.Max(),8:0.0}");
        }
        Console.WriteLine("slowest: " + string.Join(", ", docs.OrderByDescending(d => d.Ms).Take(6).Select(d => $"{Path.GetFileNameWithoutExtension(d.Path)} {d.Ms:0}")));
        return 0;
    }
}
