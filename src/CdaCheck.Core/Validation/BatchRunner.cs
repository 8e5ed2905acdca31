namespace CdaCheck.Core.Validation;

/// <summary>
/// Runs the validator over many inputs on all cores and hands results to <paramref name="sink"/>
/// strictly in input order, keeping at most a bounded window of finished results in memory.
/// </summary>
public static class BatchRunner
{
    public static void Run(IReadOnlyList<string> paths, Func<string, DocumentResult> validate, Action<int, DocumentResult> sink, int parallelism = 0)
    {
        if (parallelism <= 0) parallelism = Environment.ProcessorCount;
        if (parallelism == 1 || paths.Count <= 1)
        {
            for (int i = 0; i < paths.Count; i++) sink(i, validate(paths[i]));
            return;
        }
        int window = Math.Max(4 * parallelism, 16);
        var done = new DocumentResult?[paths.Count];
        using var slots = new SemaphoreSlim(window);
        var gate = new object();
        int next = 0;          // next index to hand to the sink
        int issued = -1;       // last index issued to a worker
        Exception? failure = null;

        void Flush()
        {
            // called under gate
            while (next < paths.Count && done[next] is { } r)
            {
                done[next] = null;
                sink(next, r);
                next++;
                slots.Release();
            }
        }

        var workers = new Task[parallelism];
        for (int w = 0; w < parallelism; w++)
        {
            workers[w] = Task.Factory.StartNew(() =>
            {
                while (true)
                {
                    slots.Wait();
                    int i = Interlocked.Increment(ref issued);
                    if (i >= paths.Count) { slots.Release(); return; }
                    DocumentResult r;
                    try { r = validate(paths[i]); }
                    catch (Exception ex) { lock (gate) failure ??= ex; r = new DocumentResult(paths[i], InputKind.Unknown); }
                    lock (gate)
                    {
                        done[i] = r;
                        Flush();
                    }
                }
            }, TaskCreationOptions.LongRunning);
        }
        Task.WaitAll(workers);
        lock (gate) Flush();
        if (failure is not null) throw new AggregateException(failure);
    }
}
