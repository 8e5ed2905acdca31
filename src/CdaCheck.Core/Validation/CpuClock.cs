using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CdaCheck.Core.Validation;

/// <summary>
/// CPU time of the calling thread (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID), a plain blittable P/Invoke into
/// glibc (libc.so.6) that the NativeAOT build resolves at run time; musl systems fall back to wall time). The per-document budget counts it so that a verdict does
/// not depend on the machine's load. Elsewhere (or if libc cannot be reached) it reports wall time: on Windows and
/// macOS the thread CPU clock needs other APIs, and wall time is the documented fallback there.
/// </summary>
public static class CpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Sec; public long Nsec; }

    [DllImport("libc.so.6", EntryPoint = "clock_gettime")] // glibc by its soname: "libc.so" is only a linker script of the dev package
    private static extern int ClockGetTime(int clock, out TimeSpec ts);

    private const int ClockThreadCpuTimeId = 3; // Linux value

    private static readonly bool Available = Probe();

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8) return false;
        try { return ClockGetTime(ClockThreadCpuTimeId, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>True when <see cref="ThreadMs"/> is the thread's CPU time, false when it is wall time.</summary>
    public static bool IsCpuTime => Available;

    /// <summary>The calling thread's CPU time in milliseconds (wall time from an arbitrary origin when <see cref="IsCpuTime"/> is false).</summary>
    public static long ThreadMs()
    {
        if (Available && ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0) return ts.Sec * 1000 + ts.Nsec / 1_000_000;
        return Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;
    }

    /// <summary>
    /// Time the calling thread has spent ready to run but waiting for a CPU (Linux: the second field of
    /// /proc/thread-self/schedstat), in milliseconds; -1 when it cannot be read. That is the time a loaded machine
    /// takes from a thread: the wall-clock backstop leaves it out so that load alone does not end a document.
    /// A file read: call it only off the hot path.
    /// </summary>
    public static long ThreadRunQueueWaitMs()
    {
        if (!OperatingSystem.IsLinux()) return -1;
        try
        {
            var text = File.ReadAllText("/proc/thread-self/schedstat");
            var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 2 && long.TryParse(fields[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ns)
                ? ns / 1_000_000 : -1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException) { return -1; }
    }
}
