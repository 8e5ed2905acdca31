using System.IO.Compression;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Evidence;

/// <summary>What anonymising one PDF did (counts only, never values).</summary>
public sealed class PdfEvidenceStats
{
    public int Pages { get; set; }
    public int RemovedTextRuns { get; set; }
    public int RemovedRects { get; set; }
    public int HiddenModules { get; set; }
    public int RewrittenImages { get; set; }
    public int SymbolsHidden { get; set; }
    public int UndecodableGlyphs { get; set; }
    public int CurvedFills { get; set; }
    public int DecodedGlyphs { get; set; }
    public int InfoEntriesRemoved { get; set; }
}

/// <summary>Raised when a PDF cannot be anonymised safely (the message never contains an identity value).</summary>
public sealed class EvidenceRefusedException(string message) : Exception(message);

/// <summary>
/// Anonymises one PDF for oSIS evidence: rewrites every page's content (identity text runs blanked, see
/// <see cref="ContentRewriter"/>), hides the central part of every located DataMatrix (vector modules removed and
/// painted over with a uniform block; image samples overwritten), drops leaking /Info entries, and writes the
/// whole file again (<see cref="PdfRewriter"/>), so the old content streams and images are not in the output.
/// </summary>
public static class PdfAnonymiser
{
    /// <summary>Fraction of the symbol side kept visible on each side of the hidden central block.</summary>
    public const double Margin = 0.2;
    public const double BlockGray = 0.25;
    public const int MaxPages = 2000;
    public const int MaxSymbolPages = 8;

    public static byte[] Anonymise(byte[] pdf, IdentityValues ids, PdfEvidenceStats stats, PdfReadOptions? options = null)
    {
        PdfDocument doc;
        try { doc = PdfReader.Open(pdf, options); }
        catch (Exception e) when (e is PdfFormatException or PdfLimitException) { throw new EvidenceRefusedException("the PDF cannot be read: " + e.GetType().Name); }
        if (doc.Encrypted) throw new EvidenceRefusedException("the PDF is encrypted");
        // A damaged file (objects found by scanning, unreadable objects, loops) may hold content the rewrite
        // does not reach: anonymising it could leave identity text behind, so it is refused (repair it first).
        if (doc.Issues.FirstOrDefault(i => i.Kind is PdfIssueKind.XrefBroken or PdfIssueKind.ObjectUnreadable or PdfIssueKind.PrevLoop or PdfIssueKind.UnsupportedFilter) is { } damage)
            throw new EvidenceRefusedException($"the PDF is damaged ({damage.Kind}): repair it before anonymising");
        var pages = doc.Pages;
        if (pages.Count == 0) throw new EvidenceRefusedException("the PDF has no readable page");
        if (pages.Count > MaxPages) throw new EvidenceRefusedException($"the PDF has more than {MaxPages} pages");
        var rewriter = new PdfRewriter(doc);
        try
        {
            foreach (var page in pages)
            {
                doc.Options.CheckBudget?.Invoke();
                stats.Pages++;
                Box? hide = null;
                var inline = new List<ContentRewriter.InlineReplacement>();
                if (page.Number <= MaxSymbolPages)
                {
                    var content = ContentInterpreter.Scan(doc, page);
                    var symbols = DataMatrixLocator.Locate(content, doc.Options.CheckBudget);
                    foreach (var sym in symbols)
                    {
                        var box = HideBox(sym, out int modules);
                        if (box is null) continue;
                        stats.SymbolsHidden++;
                        stats.HiddenModules += modules;
                        if (sym.Source == "vector") hide = hide is null ? box : Union(hide, box);
                        else if (sym.Source == "image") HideInImage(doc, page, content, sym, box, rewriter, stats, inline);
                    }
                }
                var contents = doc.Resolve(page.Dict.Get("Contents"));
                var data = contents switch
                {
                    PdfStream s => doc.DecodeStream(s).Data,
                    PdfArray a => Concat(doc, a),
                    _ => [],
                };
                var cs = new ContentRewriteStats();
                var rewritten = ContentRewriter.Rewrite(doc, data, page.Resources, ids, hide, BlockGray, cs, inline);
                stats.RewrittenImages += cs.RewrittenInlineImages;
                stats.RemovedTextRuns += cs.RemovedTextRuns;
                stats.RemovedRects += cs.RemovedRects;
                stats.UndecodableGlyphs += cs.UndecodableGlyphs;
                stats.DecodedGlyphs += cs.DecodedGlyphs;
                stats.CurvedFills += cs.CurvedFills;
                var dict = new PdfDictionary { ["Filter"] = PdfName.Of("FlateDecode") };
                page.Dict["Contents"] = new PdfStream(dict, Deflate(rewritten), -1);
                RewriteForms(doc, page.Resources, ids, rewriter, stats, 0);
            }
            var info = ScrubInfo(doc, ids, stats);
            return rewriter.Write(info);
        }
        catch (Exception e) when (e is PdfFormatException or PdfLimitException or InvalidCastException)
        {
            throw new EvidenceRefusedException("the PDF cannot be rewritten: " + e.GetType().Name);
        }
    }

    private static Box Union(Box a, Box b)
    {
        double x0 = Math.Min(a.X, b.X), y0 = Math.Min(a.Y, b.Y);
        double x1 = Math.Max(a.X + a.Width, b.X + b.Width), y1 = Math.Max(a.Y + a.Height, b.Y + b.Height);
        return new Box(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>The central block of the symbol (module-aligned), leaving the finder and clock borders visible.</summary>
    public static Box? HideBox(LocatedSymbol sym, out int modules)
    {
        modules = 0;
        var b = sym.Box;
        int cols = sym.Result.Size?.Columns ?? 0, rows = sym.Result.Size?.Rows ?? 0;
        if (b.Width <= 0 || b.Height <= 0) return null;
        if (cols <= 0 || rows <= 0)
        {
            // size unknown: hide the central 60% of the box
            modules = -1;
            return new Box(b.X + b.Width * Margin, b.Y + b.Height * Margin, b.Width * (1 - 2 * Margin), b.Height * (1 - 2 * Margin));
        }
        double mw = b.Width / cols, mh = b.Height / rows;
        int c0 = Math.Max(1, (int)Math.Round(cols * Margin)), c1 = Math.Min(cols - 1, (int)Math.Round(cols * (1 - Margin)));
        int r0 = Math.Max(1, (int)Math.Round(rows * Margin)), r1 = Math.Min(rows - 1, (int)Math.Round(rows * (1 - Margin)));
        if (c1 <= c0 || r1 <= r0) return null;
        modules = (c1 - c0) * (r1 - r0);
        return new Box(b.X + c0 * mw, b.Y + r0 * mh, (c1 - c0) * mw, (r1 - r0) * mh);
    }

    private static void HideInImage(PdfDocument doc, PdfPage page, PageContent content, LocatedSymbol sym, Box hide, PdfRewriter rewriter, PdfEvidenceStats stats,
        List<ContentRewriter.InlineReplacement> inline)
    {
        var img = content.Images.FirstOrDefault(i => Overlaps(i.Bounds, sym.Box));
        if (img is null) return;
        PdfRef? target = null;
        if (img.Name is not null)
        {
            // an XObject of the page's resources (images inside Form XObjects are left: the checks then refuse)
            if (doc.ResolveDict(page.Resources?.Get("XObject"))?.Get(img.Name) is not PdfRef r || doc.GetObject(r.Num) is not PdfStream) return;
            target = r;
        }
        var gray = (byte[])img.Gray.Clone();
        int w = img.Width, h = img.Height;
        byte v = (byte)Math.Round(BlockGray * 255);
        int changed = 0;
        for (int py = 0; py < h; py++)
            for (int px = 0; px < w; px++)
            {
                // unit square: x to the right, y up; image row 0 is the top row
                var (x, y) = img.Transform.Apply((px + 0.5) / w, 1 - (py + 0.5) / h);
                if (x >= hide.X && x <= hide.X + hide.Width && y >= hide.Y && y <= hide.Y + hide.Height)
                { gray[py * w + px] = v; changed++; }
            }
        if (changed == 0) return;
        if (target is not { } tr)
        {
            inline.Add(new ContentRewriter.InlineReplacement(img.Transform, w, h, gray));
            return;
        }
        var dict = new PdfDictionary
        {
            ["Type"] = PdfName.Of("XObject"),
            ["Subtype"] = PdfName.Of("Image"),
            ["Width"] = (long)w,
            ["Height"] = (long)h,
            ["ColorSpace"] = PdfName.Of("DeviceGray"),
            ["BitsPerComponent"] = 8L,
            ["Filter"] = PdfName.Of("FlateDecode"),
        };
        rewriter.Overrides[tr.Num] = new PdfStream(dict, Deflate(gray), -1);
        stats.RewrittenImages++;
    }

    public const int MaxFormDepth = 8;

    /// <summary>Form XObjects of these resources (and theirs, bounded) get their identity text blanked too; each form once.</summary>
    private static void RewriteForms(PdfDocument doc, PdfDictionary? resources, IdentityValues ids, PdfRewriter rewriter, PdfEvidenceStats stats, int depth)
    {
        if (depth >= MaxFormDepth || doc.ResolveDict(resources?.Get("XObject")) is not { } xobjects) return;
        foreach (var (_, value) in xobjects.Take(1000))
        {
            if (value is not PdfRef r || rewriter.Overrides.ContainsKey(r.Num)) continue;
            if (doc.GetObject(r.Num) is not PdfStream form || PdfValue.Name(doc.Resolve(form.Dict.Get("Subtype"))) != "Form") continue;
            doc.Options.CheckBudget?.Invoke();
            var formRes = doc.ResolveDict(form.Dict.Get("Resources")) ?? resources;
            var cs = new ContentRewriteStats();
            var content = ContentRewriter.Rewrite(doc, doc.DecodeStream(form).Data, formRes, ids, null, BlockGray, cs);
            stats.RemovedTextRuns += cs.RemovedTextRuns;
            stats.UndecodableGlyphs += cs.UndecodableGlyphs;
            stats.DecodedGlyphs += cs.DecodedGlyphs;
            var dict = new PdfDictionary();
            foreach (var kv in form.Dict) if (kv.Key is not ("Length" or "Filter" or "DecodeParms" or "DL")) dict[kv.Key] = kv.Value;
            dict["Filter"] = PdfName.Of("FlateDecode");
            rewriter.Overrides[r.Num] = new PdfStream(dict, Deflate(content), -1);
            RewriteForms(doc, formRes, ids, rewriter, stats, depth + 1);
        }
    }

    private static bool Overlaps(Box a, Box b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    private static byte[] Concat(PdfDocument doc, PdfArray a)
    {
        var ms = new MemoryStream();
        foreach (var item in a.Take(10_000))
        {
            if (doc.Resolve(item) is not PdfStream part) continue;
            ms.Write(doc.DecodeStream(part).Data);
            ms.WriteByte((byte)'\n');
            if (ms.Length > doc.Options.MaxDecompressedBytes)
                throw new PdfLimitException(PdfIssueKind.DecompressionBomb, "page contents larger than the limit");
        }
        return ms.ToArray();
    }

    /// <summary>/Info without the entries whose text shows an identity value (null when there is no /Info).</summary>
    private static PdfDictionary? ScrubInfo(PdfDocument doc, IdentityValues ids, PdfEvidenceStats stats)
    {
        var info = doc.Info;
        if (info is null) return null;
        var copy = new PdfDictionary();
        foreach (var kv in info)
        {
            var v = doc.Resolve(kv.Value);
            if (v is PdfString s && (ids.Leaks(s.ToText()) || ids.Leaks(s.ToLatin1()))) { stats.InfoEntriesRemoved++; continue; }
            copy[kv.Key] = v is PdfString or PdfName or long or double or bool ? v : kv.Value;
        }
        return copy;
    }

    public static byte[] Deflate(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }
}
