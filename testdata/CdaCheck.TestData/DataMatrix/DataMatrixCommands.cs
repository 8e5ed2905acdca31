using System.Diagnostics;
using System.Text.RegularExpressions;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;

namespace CdaCheck.TestData.DataMatrix;

/// <summary>Console commands of the DataMatrix layer: <c>bench-dm</c>, <c>dm-locate</c> and <c>dm-scan</c>.</summary>
public static partial class DataMatrixCommands
{
    /// <summary>Runs <c>bench-dm [iterations]</c> or <c>dm-scan [--reveal] files…</c>; false for other commands.</summary>
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0) return false;
        switch (args[0])
        {
            case "bench-dm":
                exitCode = Bench(Console.Out, args.Length > 1 && int.TryParse(args[1], out var n) && n > 0 ? n : 400);
                return true;
            case "dm-locate":
                exitCode = Locate(Console.Out, args.Skip(1));
                return true;
            case "dm-scan":
                exitCode = Scan(Console.Out, args.Skip(1).Where(a => a != "--reveal"), args.Contains("--reveal"));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Locate + decode timings (median, p99) from a vector page and from an image.</summary>
    public static int Bench(TextWriter o, int iterations = 400)
    {
        var symbol = SymbolFixtures.InsSymbol();
        var fop = SymbolFixtures.VectorPage(SymbolFixtures.WithQuietZone(symbol, 1), VectorStyle.DarkAndLight);
        // some realistic page furniture: table cells and rules
        for (int i = 0; i < 200; i++) fop.Rects.Add(new FilledRect(40 + i % 10 * 40, 100 + i / 10 * 25, 40, 0.5, 0));
        var dark = SymbolFixtures.VectorPage(symbol, VectorStyle.DarkOnly);
        var (w, h, g) = SymbolFixtures.Raster(symbol, 4);
        var imgPage = new PageContent { PageNumber = 1 };
        imgPage.Images.Add(SymbolFixtures.Image(w, h, g));
        var (w1, h1, g1) = SymbolFixtures.Raster(symbol, 1);
        var img1 = new PageContent { PageNumber = 1 };
        img1.Images.Add(SymbolFixtures.Image(w1, h1, g1));

        o.WriteLine($"symbol {symbol.GetLength(0)}x{symbol.GetLength(1)}, {iterations} runs each after warm-up; wall-clock median/p99 and process CPU time per run (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores)");
        Measure(o, $"vector FOP dark+light ({fop.Rects.Count} rects)", fop, iterations);
        Measure(o, $"vector dark-only ({dark.Rects.Count} rects)", dark, iterations);
        Measure(o, $"image 4 px/module ({w}x{h})", imgPage, iterations);
        Measure(o, $"image 1 px/module ({w1}x{h1})", img1, iterations);
        var m = symbol;
        var sw = new List<double>();
        for (int i = 0; i < iterations + 20; i++)
        {
            var t = Stopwatch.GetTimestamp();
            DataMatrixDecoder.Decode(m);
            if (i >= 20) sw.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        Report(o, "decode only (module matrix)", sw);
        return 0;
    }

    private static void Measure(TextWriter o, string label, PageContent page, int iterations)
    {
        var times = new List<double>(iterations);
        TimeSpan cpu0 = default;
        for (int i = 0; i < iterations + 20; i++)
        {
            if (i == 20) cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var t = Stopwatch.GetTimestamp();
            var found = DataMatrixLocator.Locate(page);
            var el = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (found.Count == 0 || !found[0].Decoded) { o.WriteLine($"{label}: NOT DECODED"); return; }
            if (i >= 20) times.Add(el);
        }
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / iterations;
        Report(o, label, times, cpu);
    }

    private static void Report(TextWriter o, string label, List<double> times, double? cpuMean = null)
    {
        times.Sort();
        double median = times[times.Count / 2], p99 = times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.99) - 1)];
        o.WriteLine(FormattableString.Invariant($"{label,-45} median {median,7:0.000} ms   p99 {p99,7:0.000} ms") +
            (cpuMean is double c ? FormattableString.Invariant($"   cpu/op {c,7:0.000} ms") : ""));
    }

    [GeneratedRegex(@"mediaType=""application/pdf""[^>]*>\s*([A-Za-z0-9+/=\s]+?)\s*<", RegexOptions.Singleline)]
    private static partial Regex PdfB64();

    /// <summary>The base64 PDFs embedded in a CDA file (nonXMLBody/text or observationMedia/value), decoded.</summary>
    public static List<byte[]> ExtractPdfs(string cdaPath)
    {
        var pdfs = new List<byte[]>();
        foreach (Match m in PdfB64().Matches(File.ReadAllText(cdaPath)))
            try { pdfs.Add(Convert.FromBase64String(Regex.Replace(m.Groups[1].Value, @"\s", ""))); } catch (FormatException) { }
        return pdfs;
    }

    /// <summary>Renders page 1 of each PDF (bare, or base64 inside a CDA) with pdftoppm and prints what the raster locator finds (payload masked unless --reveal).</summary>
    /// <summary>
    /// <c>dm-locate files…</c>: page 1 of each PDF read and searched in-process (no renderer), as validation does: what
    /// the page paints (rectangles, rotated quads, images), the best symbol found and the time spent.
    /// </summary>
    public static int Locate(TextWriter o, IEnumerable<string> files)
    {
        foreach (var f in files)
        {
            var sw = Stopwatch.StartNew();
            long cpu0 = CdaCheck.Core.Validation.CpuClock.ThreadMs();
            try
            {
                var doc = PdfReader.Open(File.ReadAllBytes(f));
                var page = PdfReader.ReadPage(doc, 0);
                var read = sw.Elapsed.TotalMilliseconds;
                long pixels = 0;
                foreach (var img in page.Images) pixels += img.Gray.Length; // decoded here: the image decoding is timed apart
                var decode = sw.Elapsed.TotalMilliseconds - read;
                long cpu1 = CdaCheck.Core.Validation.CpuClock.ThreadMs();
                read += decode;
                var found = DataMatrixLocator.Locate(page, null, stopAtFirstDecoded: true);
                var best = found.FirstOrDefault();
                string what = best is null ? "none" : best.Decoded ? $"decoded {best.Result.Size} ({best.Source})" : $"located-undecodable {best.Result.Size} ({best.Source}, finder {best.Result.FinderScore:0.00}, box {best.Box}): {best.Result.Reason}";
                o.WriteLine($"{Path.GetFileName(f)}: {page.Rects.Count} rects, {page.Quads.Count} quads, {page.Images.Count} images ({pixels} px); read+decode {cpu1 - cpu0} ms CPU, locate {CdaCheck.Core.Validation.CpuClock.ThreadMs() - cpu1} ms CPU (wall: read {read - decode:0.0}, decode images {decode:0.0}, locate {sw.Elapsed.TotalMilliseconds - read:0.0} ms): {what}");
            }
            catch (Exception e) when (e is PdfFormatException or PdfLimitException or IOException)
            {
                o.WriteLine($"{Path.GetFileName(f)}: {e.GetType().Name} {e.Message}");
            }
        }
        return 0;
    }

    public static int Scan(TextWriter o, IEnumerable<string> files, bool reveal)
    {
        if (!RasterFallback.Available) { o.WriteLine("pdftoppm not on PATH"); return 2; }
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(f);
            var pdfs = bytes.AsSpan().StartsWith("%PDF"u8) ? [bytes] : ExtractPdfs(f);
            for (int i = 0; i < pdfs.Count; i++)
            {
                var sw = Stopwatch.StartNew();
                var img = RasterFallback.Render(pdfs[i], 1, 300);
                if (img is null) { o.WriteLine($"{Path.GetFileName(f)}#{i + 1}: render failed"); continue; }
                var render = sw.ElapsedMilliseconds;
                var found = ImageLocator.Find(img, 1, "raster");
                var best = found.FirstOrDefault(s => s.Decoded) ?? found.FirstOrDefault();
                string what = best is null ? "none" : best.Decoded
                    ? $"decoded {best.Result.Size} box {best.Box}: " + (reveal ? InsPayloadRules.Printable(best.Result.Text) : $"{best.Result.Payload.Length} bytes, header {InsPayloadRules.Printable(best.Result.Text[..Math.Min(4, best.Result.Text.Length)])}")
                    : $"located-undecodable {best.Result.Size}: {best.Result.Reason}";
                o.WriteLine($"{Path.GetFileName(f)}#{i + 1}: render {render} ms, locate {sw.ElapsedMilliseconds - render} ms: {what}");
            }
        }
        return 0;
    }
}
