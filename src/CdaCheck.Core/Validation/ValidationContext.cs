using System.Diagnostics;
using CdaCheck.Core.Reference;

namespace CdaCheck.Core.Validation;

/// <summary>Everything a check may need beyond the document: reference data, options, the time budget.</summary>
/// <remarks>
/// SEC-004 budget: the CPU time of the thread that validates the document (<see cref="CpuClock"/>), so the verdict
/// does not depend on the machine's load. Work done on another thread is measured in wall time. A wall-clock
/// backstop (<see cref="WallBackstopFactor"/> × the budget) still ends a document whose thread is blocked; once the
/// wall time has passed the budget, the time the thread then spends waiting for a CPU on a loaded machine (Linux
/// schedstat) is left out of it, so that the same document gets the same verdict however loaded the machine is.
/// The budget is checked inside the long loops (content operators, filters, image decoding, symbol searches, zip
/// reads, XML parsing), either through <see cref="CheckBudget"/> or the cheap ambient <see cref="Budget.Poll"/>.
/// </remarks>
public sealed class ValidationContext
{
    /// <summary>Wall time allowed, as a multiple of the CPU budget, before a document is stopped anyway.</summary>
    public const int WallBackstopFactor = 4;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private readonly long _cpuStart = CpuClock.ThreadMs();
    // Run-queue wait of the thread when the wall time first passed the budget (-1: not yet, or not readable).
    private long _waitAtBudget = -1;
    private bool _waitTaken;
    private long _backstopReadAt = long.MinValue / 2, _backstopWall;

    public ValidationContext(ReferenceData data, ValidationOptions options)
    {
        Data = data;
        Options = options;
    }

    public ReferenceData Data { get; }
    public ValidationOptions Options { get; }
    public Limits Limits => Options.Limits;
    public long ElapsedMs => _clock.ElapsedMilliseconds;

    /// <summary>Time counted against the budget: the thread's CPU time since the document started (wall time off that thread).</summary>
    public long SpentMs => Environment.CurrentManagedThreadId == _thread ? CpuClock.ThreadMs() - _cpuStart : _clock.ElapsedMilliseconds;

    /// <summary>Throws <see cref="BudgetExceededException"/> when the per-document budget is spent. Call in loops over untrusted structure.</summary>
    public void CheckBudget()
    {
        int budget = Options.Limits.DocumentTimeoutMs;
        long wall = _clock.ElapsedMilliseconds;
        // The thread's CPU time since the start cannot exceed the wall time since the start (the stopwatch starts
        // first; both are truncated to whole milliseconds, hence two of margin): while the wall time is under the
        // budget, the CPU clock (a system call per read) need not be read.
        if (wall + 2 <= budget) return;
        bool own = Environment.CurrentManagedThreadId == _thread;
        if (own && !_waitTaken)
        {
            _waitTaken = true;
            _waitAtBudget = CpuClock.ThreadRunQueueWaitMs();
        }
        if (SpentMs > budget)
            throw new BudgetExceededException(budget);
        long backstop = (long)budget * WallBackstopFactor;
        if (wall > backstop && BackstopWallMs(wall, own) > backstop)
            throw new BudgetExceededException(budget);
    }

    /// <summary>The wall time, less the run-queue wait of the thread since the wall time passed the budget.</summary>
    private long BackstopWallMs(long wall, bool own)
    {
        if (!own || _waitAtBudget < 0) return wall;
        // a file read: at most once per 20 ms of wall time (loops check the budget far more often)
        if (wall - _backstopReadAt < 20) return _backstopWall + (wall - _backstopReadAt);
        long now = CpuClock.ThreadRunQueueWaitMs();
        _backstopReadAt = wall;
        _backstopWall = now < 0 ? wall : wall - Math.Max(0, now - _waitAtBudget);
        return _backstopWall;
    }

    /// <summary>Makes this context the ambient budget of the calling thread until the result is disposed (nested contexts keep the outer one).</summary>
    public Budget.Scope Enter() => Budget.Enter(this);
}

public sealed class BudgetExceededException(int budgetMs) : Exception($"budget of {budgetMs} ms exceeded")
{
    public int BudgetMs { get; } = budgetMs;
}

/// <summary>
/// The ambient per-document budget of the calling thread, for code that has no context at hand (stream filters,
/// image decoding, zip and XML readers). <see cref="Poll"/> costs an increment and a test; it reads the clock once
/// every <see cref="Every"/> calls.
/// </summary>
public static class Budget
{
    /// <summary>Calls between two clock reads.</summary>
    public const int Every = 4096;

    [ThreadStatic] private static ValidationContext? _current;
    [ThreadStatic] private static int _count;

    /// <summary>Counts one unit of work; every <see cref="Every"/> units, throws <see cref="BudgetExceededException"/> if the document's budget is spent.</summary>
    public static void Poll()
    {
        if (++_count < Every) return;
        _count = 0;
        _current?.CheckBudget();
    }

    /// <summary>Counts <paramref name="units"/> units of work at once (a row, a chunk).</summary>
    public static void Poll(int units)
    {
        _count += units;
        if (_count < Every) return;
        _count = 0;
        _current?.CheckBudget();
    }

    /// <summary>Checks now (outside of hot loops).</summary>
    public static void Check() => _current?.CheckBudget();

    internal static Scope Enter(ValidationContext ctx)
    {
        var previous = _current;
        _current ??= ctx;
        return new Scope(previous);
    }

    public readonly struct Scope : IDisposable
    {
        private readonly ValidationContext? _previous;
        internal Scope(ValidationContext? previous) => _previous = previous;
        public void Dispose() => _current = _previous;
    }
}

/// <summary>A read-only pass-through stream that checks the ambient budget on every read (XML parsing, zip reads).</summary>
public sealed class BudgetedStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) { Budget.Check(); return inner.Read(buffer, offset, count); }
    public override int Read(Span<byte> buffer) { Budget.Check(); return inner.Read(buffer); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
}
