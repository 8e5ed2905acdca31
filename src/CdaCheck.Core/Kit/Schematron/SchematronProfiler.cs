using System.Collections.Concurrent;
using System.Diagnostics;

namespace CdaCheck.Core.Kit.Schematron;

/// <summary>
/// Diagnostic for the kit benchmark: when <see cref="SchematronSchema.Profiler"/> is set, the engine adds the time
/// and the number of evaluations of each rule context selection and each assert/report test, keyed by its text.
/// Off by default (one null check per evaluation).
/// </summary>
public sealed class SchematronProfiler
{
    private readonly ConcurrentDictionary<string, long[]> entries = new(StringComparer.Ordinal);

    internal void Add(string kind, string text, long startTimestamp)
    {
        long elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        var e = entries.GetOrAdd(kind + " " + text, _ => new long[2]);
        Interlocked.Increment(ref e[0]);
        Interlocked.Add(ref e[1], elapsed);
    }

    /// <summary>The entries by total time, largest first: (kind and text, evaluations, milliseconds).</summary>
    public IReadOnlyList<(string Key, long Count, double Ms)> Top(int n) =>
        entries.Select(kv => (kv.Key, kv.Value[0], kv.Value[1] * 1000.0 / Stopwatch.Frequency))
            .OrderByDescending(e => e.Item3).Take(n).ToList();

    public double TotalMs(string kind) =>
        entries.Where(kv => kv.Key.StartsWith(kind + " ", StringComparison.Ordinal)).Sum(kv => kv.Value[1]) * 1000.0 / Stopwatch.Frequency;

    public void Clear() => entries.Clear();
}
