using System.Diagnostics;
using CdaCheck.Core.Pdf;

namespace CdaCheck.TestData.Pdf;

/// <summary>
/// `bench-pdf [--ans DIR] [--iterations N]`: PDF open + page-1 scan times (median, p99) over the PDFs
/// embedded in the ANS examples and over writer fixtures. Target: median below 5 ms.
/// </summary>
public static class PdfBench
{
    public static int Run(string[] args)
    {
        string? ans = null;
        int iterations = 30;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--ans" && i + 1 < args.Length) ans = args[++i];
            else if (args[i] == "--iterations" && i + 1 < args.Length) iterations = Math.Max(1, int.Parse(args[++i]));
        }
        ans ??= FindAns();
        var corpus = ans is null ? [] : AnsPdfCorpus.Distinct(AnsPdfCorpus.Load(ans));
        Console.WriteLine($"PDF open + page-1 scan, {iterations} iterations per file (Stopwatch, after warm-up)");
        if (corpus.Count > 0) Report($"ANS examples ({corpus.Count} PDFs, {ans})", corpus.Select(p => (p.ToString(), p.Bytes)).ToList(), iterations);
        else Console.WriteLine("ANS examples not found (use --ans DIR)");
        Report("writer fixtures", Fixtures(), iterations);
        return 0;
    }

    private static string? FindAns()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "..", "shared", "anchors", "ans-examples");
            if (File.Exists(Path.Combine(d.FullName, "CdaCheck.sln")) && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    private static List<(string, byte[])> Fixtures()
    {
        var m = new bool[40, 40];
        var rnd = new Random(3);
        for (int r = 0; r < 40; r++) for (int c = 0; c < 40; c++) m[r, c] = c == 0 || r == 39 || (r == 0 && c % 2 == 0) || (c == 39 && r % 2 == 1) || rnd.Next(2) == 0;
        PdfWriter Page(Action<PdfPageBuilder> draw, XrefStyle style = XrefStyle.Classic)
        {
            var w = new PdfWriter { Xref = style, Version = style == XrefStyle.Stream ? "1.6" : "1.4" };
            var p = w.AddPage();
            for (int i = 0; i < 40; i++) p.Text($"Ligne {i} du compte rendu de biologie médicale", 40, 780 - i * 16, 9);
            draw(p);
            return w;
        }
        return
        [
            ("vector dark+light (FOP-like), classic xref", Page(p => p.AddModuleGrid(m, 500, 661, 2, true)).ToBytes()),
            ("vector dark only, xref stream + object streams", Page(p => p.AddModuleGrid(m, 500, 661, 2, false), XrefStyle.Stream).ToBytes()),
            ("image 4 px/module 8-bit gray", Page(p => p.AddModuleImage(m, 500, 661, 2, 4)).ToBytes()),
            ("image 1 px/module 1-bit /Decode [1 0]", Page(p => p.AddModuleImage(m, 500, 661, 2, 1, 0, ModuleImageKind.Bit1Inverted)).ToBytes()),
        ];
    }

    private static void Report(string title, List<(string Name, byte[] Bytes)> files, int iterations)
    {
        // warm-up (JIT)
        foreach (var (_, b) in files) OpenAndScan(b);
        var all = new List<double>();
        var perFile = new List<(string, double)>();
        var sw = new Stopwatch();
        foreach (var (name, bytes) in files)
        {
            var times = new List<double>(iterations);
            for (int i = 0; i < iterations; i++)
            {
                sw.Restart();
                OpenAndScan(bytes);
                sw.Stop();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            all.AddRange(times);
            perFile.Add((name, Percentile(times, 50)));
        }
        Console.WriteLine($"\n{title}: median {Percentile(all, 50):0.000} ms, p99 {Percentile(all, 99):0.000} ms, max {all.Max():0.000} ms over {all.Count} runs");
        foreach (var (name, med) in perFile.OrderByDescending(p => p.Item2).Take(8))
            Console.WriteLine($"  {med,8:0.000} ms  {name}");
    }

    private static int OpenAndScan(byte[] bytes)
    {
        var doc = PdfReader.Open(bytes);
        var page = PdfReader.ReadPage(doc, 0);
        return page.Rects.Count + page.Texts.Count + page.Images.Count + (doc.PdfAClaim?.Length ?? 0) + (doc.Producer?.Length ?? 0);
    }

    private static double Percentile(List<double> values, double p)
    {
        var s = values.Order().ToList();
        if (s.Count == 0) return 0;
        int idx = (int)Math.Ceiling(p / 100.0 * s.Count) - 1;
        return s[Math.Clamp(idx, 0, s.Count - 1)];
    }
}
