using System.Diagnostics;
using CdaCheck.Core.Pdf;

namespace CdaCheck.Core.DataMatrix;

/// <summary>Page-level search: vector rectangles first, then the page's images.</summary>
public static class DataMatrixLocator
{
    /// <summary>
    /// Symbols located on the page (decoded or not), decoded ones first. With
    /// <paramref name="stopAtFirstDecoded"/>, the search ends at the first decoded symbol accepted by
    /// <paramref name="accept"/> (the images after it are not decoded: the common case costs one symbol).
    /// </summary>
    public static List<LocatedSymbol> Locate(PageContent page, Action? budget = null, bool stopAtFirstDecoded = false, Func<LocatedSymbol, bool>? accept = null)
    {
        Func<LocatedSymbol, bool>? stop = stopAtFirstDecoded ? s => s.Decoded && (accept?.Invoke(s) ?? true) : null;
        // The vector search stops at the first accepted symbol too: the symbols before it are the same
        // as in a full search, so the first accepted one (what the caller looks for) is unchanged.
        var all = VectorLocator.Find(page, budget, stop);
        bool done = stop is not null && all.Count > 0 && stop(all[^1]);
        int images = 0;
        foreach (var img in page.Images)
        {
            if (done) break;
            if (++images > 64) break;
            budget?.Invoke();
            var more = ImageLocator.Find(img, page.PageNumber, "image", budget);
            all.AddRange(more);
            if (stop is not null) done = more.Exists(s => stop(s));
        }
        // decoded ones first, otherwise in search order (a stable partition)
        var ordered = new List<LocatedSymbol>(all.Count);
        foreach (var s in all) if (s.Decoded) ordered.Add(s);
        foreach (var s in all) if (!s.Decoded) ordered.Add(s);
        return ordered;
    }
}

/// <summary>
/// Optional raster fallback for scanned pages: renders one page with poppler's <c>pdftoppm</c>
/// (300 dpi, gray PGM) when the tool is on PATH, and searches the pixels. Silently unavailable
/// otherwise.
/// </summary>
public static class RasterFallback
{
    private static readonly Lazy<string?> _tool = new(() => FindOnPath("pdftoppm"));

    public static bool Available => _tool.Value is not null;

    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var f = Path.Combine(dir, name);
            if (File.Exists(f)) return f;
        }
        return null;
    }

    /// <summary>
    /// The resolution (at most <paramref name="dpi"/>) at which a page of <paramref name="box"/> (points, [x0 y0 x1 y1])
    /// renders to at most <see cref="Pdf.ContentInterpreter.MaxImagePixels"/> pixels: a /MediaBox of 14400 pt (or 1e308)
    /// at 300 dpi is a bitmap of gigabytes, which pdftoppm would render and this process read.
    /// </summary>
    public static int DpiFor(double[]? box, int dpi = 300)
    {
        if (box is not { Length: 4 }) return dpi;
        double w = Math.Abs(box[2] - box[0]), h = Math.Abs(box[3] - box[1]);
        if (!double.IsFinite(w) || !double.IsFinite(h) || w * h <= 0) return dpi;
        double max = 72 * Math.Sqrt(Pdf.ContentInterpreter.MaxImagePixels / (w * h));
        return (int)Math.Clamp(Math.Floor(max), 1, dpi);
    }

    /// <summary>
    /// Renders page <paramref name="page"/> as an image placed over the whole page (null when the tool is absent or
    /// fails). The PDF goes to the tool on its standard input and the image comes back on its standard output: the
    /// document (identity and all) is never written to a shared temporary folder, so nothing is left there when the
    /// run is killed and no other local user can read it meanwhile.
    /// </summary>
    public static PlacedImage? Render(byte[] pdf, int page = 1, int dpi = 300, int timeoutMs = 15_000)
    {
        var tool = _tool.Value;
        if (tool is null) return null;
        try
        {
            var psi = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-gray", "-f", page.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-l", page.ToString(System.Globalization.CultureInfo.InvariantCulture), "-singlefile", "-" })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            if (p is null) return null;
            var feed = Task.Run(() =>
            {
                try { p.StandardInput.BaseStream.Write(pdf); p.StandardInput.Close(); }
                catch (IOException) { } // the tool stopped reading (bad PDF): its exit code says so
            });
            _ = p.StandardError.ReadToEndAsync();
            var read = Task.Run(() => ReadBounded(p.StandardOutput.BaseStream, (int)(Pdf.ContentInterpreter.MaxImagePixels + 1024)));
            if (!p.WaitForExit(timeoutMs) || !read.Wait(timeoutMs))
            {
                try { p.Kill(true); } catch (InvalidOperationException) { }
                return null;
            }
            feed.Wait(timeoutMs);
            var bytes = read.Result;
            if (p.ExitCode != 0 || bytes is null) return null; // null: a page larger than DpiFor expected (a box it could not read) is not read into memory
            var img = Pgm.Read(bytes);
            if (img is null) return null;
            double wPt = img.Value.Width * 72.0 / dpi, hPt = img.Value.Height * 72.0 / dpi;
            return new PlacedImage(img.Value.Width, img.Value.Height, img.Value.Gray, new Pdf.Matrix(wPt, 0, 0, hPt, 0, 0), $"page {page} @{dpi}dpi");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or AggregateException)
        {
            return null;
        }
    }

    /// <summary>The whole stream, or null when it is longer than <paramref name="max"/> bytes (the rest is drained).</summary>
    private static byte[]? ReadBounded(Stream s, int max)
    {
        var ms = new MemoryStream();
        var buf = new byte[1 << 16];
        bool over = false;
        int n;
        while ((n = s.Read(buf, 0, buf.Length)) > 0)
        {
            if (over) continue;
            if (ms.Length + n > max) { over = true; ms = new MemoryStream(); continue; }
            ms.Write(buf, 0, n);
        }
        return over ? null : ms.ToArray();
    }
}

/// <summary>Binary PGM (P5, 8-bit) reader and writer.</summary>
public static class Pgm
{
    public static (int Width, int Height, byte[] Gray)? Read(byte[] b)
    {
        if (b.Length < 8 || b[0] != 'P' || b[1] != '5') return null;
        int pos = 2;
        int Next()
        {
            while (pos < b.Length)
            {
                if (b[pos] == '#') { while (pos < b.Length && b[pos] != '\n') pos++; }
                else if (char.IsWhiteSpace((char)b[pos])) pos++;
                else break;
            }
            long v = 0; int start = pos;
            while (pos < b.Length && b[pos] >= '0' && b[pos] <= '9' && v < 1_000_000) v = v * 10 + (b[pos++] - '0');
            return pos == start ? -1 : (int)v;
        }
        int w = Next(), h = Next(), max = Next();
        if (w <= 0 || h <= 0 || max <= 0 || max > 255) return null;
        pos++; // single whitespace
        if ((long)w * h > b.Length - pos) return null;
        var g = new byte[w * h];
        Array.Copy(b, pos, g, 0, g.Length);
        if (max != 255) for (int i = 0; i < g.Length; i++) g[i] = (byte)(g[i] * 255 / max);
        return (w, h, g);
    }

    public static byte[] Write(int width, int height, byte[] gray)
    {
        var head = System.Text.Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n");
        var o = new byte[head.Length + width * height];
        head.CopyTo(o, 0);
        Array.Copy(gray, 0, o, head.Length, width * height);
        return o;
    }
}
