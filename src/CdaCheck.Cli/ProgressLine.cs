using System.Diagnostics;
using System.Globalization;
using CdaCheck.Core.Localization;

namespace CdaCheck.Cli;

/// <summary>
/// One progress line on stderr (documents done / total, rate, time left), redrawn in place at most
/// four times a second and erased at the end. Only when stderr is a terminal and not <c>--quiet</c>;
/// otherwise every call does nothing, so redirected stderr stays clean.
/// </summary>
public sealed class ProgressLine(TextWriter stderr, int total, bool enabled, Lang lang)
{
    private const string ClearLine = "\r\u001b[K";
    private static readonly long Interval = Stopwatch.Frequency / 4;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _lastDraw = long.MinValue / 2;
    private int _done;

    public bool Enabled => enabled;
    /// <summary>True while a progress line is on screen.</summary>
    public bool Visible { get; private set; }

    /// <summary>One more document done; redraws when the last drawing is at least 250 ms old.</summary>
    public void Tick()
    {
        _done++;
        if (!enabled) return;
        var now = Stopwatch.GetTimestamp();
        if (now - _lastDraw < Interval && _done < total) return;
        _lastDraw = now;
        stderr.Write(ClearLine + Line(_done, total, Stopwatch.GetElapsedTime(_start, now), lang));
        stderr.Flush();
        Visible = true;
    }

    /// <summary>Erases the progress line (before other output to the same terminal, and at the end).</summary>
    public void Clear()
    {
        if (!enabled || !Visible) return;
        stderr.Write(ClearLine);
        stderr.Flush();
        Visible = false;
    }

    /// <summary>The progress text: "120/2054 documents · 31 doc/s · encore 1 min 02 s".</summary>
    public static string Line(int done, int total, TimeSpan elapsed, Lang lang)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var left = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : (TimeSpan?)null;
        return Texts.Format(lang, "cli.ux.progress", done, total,
            rate.ToString(rate < 10 ? "0.0" : "0", CultureInfo.InvariantCulture),
            left is { } l ? Duration(l, lang) : "?");
    }

    public static string Duration(TimeSpan t, Lang lang) =>
        t.TotalMinutes >= 1
            ? Texts.Format(lang, "cli.ux.duration.min", (int)t.TotalMinutes, t.Seconds.ToString("00", CultureInfo.InvariantCulture))
            : Texts.Format(lang, "cli.ux.duration.s", (int)Math.Ceiling(t.TotalSeconds));
}
