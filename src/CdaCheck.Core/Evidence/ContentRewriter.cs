using System.Text;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Evidence;

/// <summary>What rewriting one content stream did.</summary>
public sealed class ContentRewriteStats
{
    /// <summary>Text-showing operators replaced by a bare advance (the text is gone from the stream).</summary>
    public int RemovedTextRuns { get; set; }
    /// <summary>Filled subpaths (module rectangles) removed from the hidden region.</summary>
    public int RemovedRects { get; set; }
    /// <summary>Glyphs whose code maps to no Unicode text (the text layer cannot be checked).</summary>
    public int UndecodableGlyphs { get; set; }
    /// <summary>Filled curved subpaths (text drawn as outlines looks like this).</summary>
    public int CurvedFills { get; set; }
    /// <summary>Glyphs that decode to text.</summary>
    public int DecodedGlyphs { get; set; }
    /// <summary>Inline images (BI…EI) replaced by new samples.</summary>
    public int RewrittenInlineImages { get; set; }
}

/// <summary>
/// Rewrites a page content stream operator by operator, copying the original bytes of everything it does not
/// change: (1) text-showing operators (Tj, TJ, ', ") whose text, decoded through the font as the
/// <see cref="ContentInterpreter"/> does, shows an identity value are replaced by a TJ with only the same
/// advance (so the rest of the line keeps its place but the text is no longer in the file); values split over
/// several operators (per word, per character, across BT…ET blocks) are caught on windows of joined text; (2) filled subpaths lying inside
/// <c>hideBox</c> (DataMatrix modules) are dropped, and a uniform block is painted over the region at the end.
/// Bounded: the lexer's depth, the operator count, and the caller's budget.
/// </summary>
public sealed class ContentRewriter
{
    public const long MaxOperators = 5_000_000;
    public const int MaxWindow = 64;

    private readonly PdfDocument _doc;
    private readonly IdentityValues _ids;
    private readonly Box? _hide;
    private readonly PdfDictionary? _res;
    private readonly ContentRewriteStats _stats;
    private readonly IReadOnlyList<InlineReplacement> _inline;
    private readonly Dictionary<PdfDictionary, PdfFont> _fonts = new(ReferenceEqualityComparer.Instance);

    private sealed class State
    {
        public Matrix Ctm = Matrix.Identity;
        public PdfFont? Font;
        public double Fs = 1, Tc, Tw, Th = 1;
        public State Clone() => (State)MemberwiseClone();
    }

    private sealed class Show
    {
        public required byte[] Original;
        public required byte[] Blank;
        public required string Text;
        public bool Removed;
    }

    private sealed class Subpath
    {
        public readonly MemoryStream Bytes = new();
        public double X0 = double.MaxValue, Y0 = double.MaxValue, X1 = double.MinValue, Y1 = double.MinValue;
        public bool Curved;
        public void Add(double x, double y) { X0 = Math.Min(X0, x); Y0 = Math.Min(Y0, y); X1 = Math.Max(X1, x); Y1 = Math.Max(Y1, y); }
    }

    private ContentRewriter(PdfDocument doc, PdfDictionary? res, IdentityValues ids, Box? hide, ContentRewriteStats stats, IReadOnlyList<InlineReplacement>? inline)
    {
        _doc = doc; _res = res; _ids = ids; _hide = hide; _stats = stats; _inline = inline ?? [];
    }

    /// <summary>New samples (8-bit gray, top row first) for the inline image painted with <see cref="Transform"/>.</summary>
    public sealed record InlineReplacement(Matrix Transform, int Width, int Height, byte[] Gray);

    /// <summary>Rewrites <paramref name="content"/> (decoded bytes). <paramref name="hideBox"/>: page region whose fills are removed and painted over with gray <paramref name="blockGray"/>.</summary>
    public static byte[] Rewrite(PdfDocument doc, byte[] content, PdfDictionary? resources, IdentityValues ids, Box? hideBox, double blockGray, ContentRewriteStats stats,
        IReadOnlyList<InlineReplacement>? inlineImages = null)
    {
        var rw = new ContentRewriter(doc, resources, ids, hideBox, stats, inlineImages);
        var output = new MemoryStream(content.Length + 256);
        output.Write("q\n"u8);
        int depth = rw.Run(content, output);
        for (int i = 0; i < depth; i++) output.Write("\nQ"u8);
        output.Write("\nQ\n"u8);
        if (hideBox is { } b)
        {
            var s = $"q {PdfRewriter.Num(blockGray)} g {PdfRewriter.Num(b.X)} {PdfRewriter.Num(b.Y)} {PdfRewriter.Num(b.Width)} {PdfRewriter.Num(b.Height)} re f Q\n";
            output.Write(Encoding.ASCII.GetBytes(s));
        }
        return output.ToArray();
    }

    private int Run(byte[] content, MemoryStream output)
    {
        var lx = new PdfLexer(content, 0, _doc.Options.MaxDepth);
        var ops = new List<object?>(8);
        var stack = new Stack<State>();
        var gs = new State();
        var path = new List<Subpath>();
        bool clip = false;
        var items = new List<object>(); // byte[] copied or written as is, or Show (decided at the end, over the whole stream)
        int segStart = 0;
        long count = 0;
        var span = content;

        void Emit(byte[] bytes) => items.Add(bytes);
        byte[] Seg(int from, int to) => span.AsSpan(from, to - from).ToArray();

        while (true)
        {
            if ((++count & 1023) == 0) _doc.Options.CheckBudget?.Invoke();
            if (count > MaxOperators) throw new PdfLimitException(PdfIssueKind.TooManyObjects, "content stream too long to rewrite");
            var o = lx.ReadObject(allowRefs: false);
            if (o == PdfLexer.Eof)
            {
                if (segStart < content.Length) Emit(Seg(segStart, content.Length));
                break;
            }
            if (o is not PdfKeyword kw)
            {
                if (ops.Count >= 64) ops.Clear();
                ops.Add(o);
                continue;
            }
            int end = lx.Pos;
            string op = kw.Value;
            double Last(int k) => ops.Count - k >= 0 ? PdfValue.Number(ops[ops.Count - k]) ?? 0 : 0;
            switch (op)
            {
                case "q":
                    if (stack.Count < ContentInterpreter.MaxGStateDepth) stack.Push(gs.Clone());
                    Emit(Seg(segStart, end));
                    break;
                case "Q":
                    if (stack.Count > 0) { gs = stack.Pop(); Emit(Seg(segStart, end)); }
                    break; // an unmatched Q is dropped: it would pop our own wrapping q
                case "cm":
                    if (ops.Count >= 6) gs.Ctm = new Matrix(Last(6), Last(5), Last(4), Last(3), Last(2), Last(1)).Multiply(gs.Ctm);
                    Emit(Seg(segStart, end));
                    break;
                case "m":
                    {
                        var sp = new Subpath();
                        var (x, y) = gs.Ctm.Apply(Last(2), Last(1));
                        sp.Add(x, y);
                        sp.Bytes.Write(Seg(segStart, end));
                        if (path.Count < 1_000_000) path.Add(sp);
                        break;
                    }
                case "l": case "c": case "v": case "y": case "h":
                    {
                        if (path.Count == 0) path.Add(new Subpath());
                        var sp = path[^1];
                        if (op != "h")
                        {
                            var (x, y) = gs.Ctm.Apply(Last(2), Last(1));
                            sp.Add(x, y);
                            if (op != "l")
                            {
                                sp.Curved = true;
                                for (int k = 3; k <= Math.Min(ops.Count, 6); k += 2) { var p = gs.Ctm.Apply(Last(k + 1), Last(k)); sp.Add(p.X, p.Y); }
                            }
                        }
                        sp.Bytes.Write(Seg(segStart, end));
                        break;
                    }
                case "re":
                    {
                        var sp = new Subpath();
                        double x = Last(4), y = Last(3), w = Last(2), h = Last(1);
                        foreach (var (px, py) in new[] { (x, y), (x + w, y), (x + w, y + h), (x, y + h) })
                        { var p = gs.Ctm.Apply(px, py); sp.Add(p.X, p.Y); }
                        sp.Bytes.Write(Seg(segStart, end));
                        if (path.Count < 1_000_000) path.Add(sp);
                        break;
                    }
                case "W": case "W*":
                    clip = true;
                    path.Add(new Subpath());
                    path[^1].Bytes.Write(Seg(segStart, end));
                    break;
                case "f": case "F": case "f*": case "B": case "B*": case "b": case "b*": case "n": case "S": case "s":
                    {
                        bool fill = op is not ("n" or "S" or "s");
                        int kept = 0;
                        foreach (var sp in path)
                        {
                            bool drop = fill && !clip && _hide is { } hb && sp.Bytes.Length > 0 && sp.X1 >= sp.X0 && Inside(sp, hb);
                            if (fill && sp.Curved) _stats.CurvedFills++;
                            if (drop) { _stats.RemovedRects++; continue; }
                            kept++;
                            Emit(sp.Bytes.ToArray());
                        }
                        if (kept > 0 || !fill || clip) Emit(Seg(segStart, end));
                        path.Clear();
                        clip = false;
                        break;
                    }
                case "Tf":
                    if (ops.Count >= 2) { gs.Fs = Last(1); gs.Font = LoadFont(ops[^2] as PdfName); }
                    Emit(Seg(segStart, end));
                    break;
                case "Tc": gs.Tc = Last(1); Emit(Seg(segStart, end)); break;
                case "Tw": gs.Tw = Last(1); Emit(Seg(segStart, end)); break;
                case "Tz": gs.Th = Last(1) / 100.0; Emit(Seg(segStart, end)); break;
                case "Tj": case "TJ": case "'": case "\"":
                    {
                        if (op == "\"" && ops.Count >= 3) { gs.Tw = PdfValue.Number(ops[^3]) ?? 0; gs.Tc = PdfValue.Number(ops[^2]) ?? 0; }
                        IList<object?> shown = ops.Count > 0 && ops[^1] is PdfArray arr ? arr : ops.Count > 0 && ops[^1] is PdfString s ? [s] : [];
                        var (text, advance) = Measure(gs, shown);
                        var prefix = op switch
                        {
                            "'" => "T* ",
                            "\"" => $"{PdfRewriter.Num(gs.Tw)} Tw {PdfRewriter.Num(gs.Tc)} Tc T* ",
                            _ => "",
                        };
                        double scale = gs.Fs * gs.Th;
                        var blank = "\n" + prefix + (scale != 0 && advance != 0 ? $"[{PdfRewriter.Num(-advance * 1000 / scale)}] TJ" : "") + "\n";
                        var show = new Show { Original = Seg(segStart, end), Blank = Encoding.ASCII.GetBytes(blank), Text = text };
                        items.Add(show);
                        break;
                    }
                case "BI":
                    {
                        int after = SkipInlineImage(content, end);
                        lx.Pos = after;
                        var rep = _inline.FirstOrDefault(r => Same(r.Transform, gs.Ctm));
                        if (rep is null) Emit(Seg(segStart, after));
                        else
                        {
                            // the new samples as an ASCIIHex inline image (hex data cannot contain a false "EI")
                            var sb = new StringBuilder($"\nBI /W {rep.Width} /H {rep.Height} /CS /G /BPC 8 /F /AHx ID\n");
                            sb.Append(Convert.ToHexString(rep.Gray)).Append(">\nEI\n");
                            Emit(Encoding.ASCII.GetBytes(sb.ToString()));
                            _stats.RewrittenInlineImages++;
                        }
                        end = after;
                        break;
                    }
                default:
                    Emit(Seg(segStart, end));
                    break;
            }
            ops.Clear();
            segStart = end;
        }
        Flush(items, output);
        return stack.Count;
    }

    private static bool Same(Matrix a, Matrix b)
    {
        static bool N(double x, double y) => Math.Abs(x - y) <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));
        return N(a.A, b.A) && N(a.B, b.B) && N(a.C, b.C) && N(a.D, b.D) && N(a.E, b.E) && N(a.F, b.F);
    }

    private static bool Inside(Subpath sp, Box hb)
    {
        const double eps = 0.05;
        return sp.X0 >= hb.X - eps && sp.Y0 >= hb.Y - eps && sp.X1 <= hb.X + hb.Width + eps && sp.Y1 <= hb.Y + hb.Height + eps;
    }

    /// <summary>
    /// Decides which shows to blank, then writes everything. A show whose own text leaks is blanked; then, in one
    /// forward pass over the stream's shows (text split per word or per character, across BT…ET blocks), the
    /// smallest window of consecutive shows whose joined text leaks is blanked, and the pass goes on after it.
    /// </summary>
    private void Flush(List<object> items, MemoryStream output)
    {
        var shows = items.OfType<Show>().ToList();
        foreach (var s in shows) if (_ids.Leaks(s.Text)) s.Removed = true;
        for (int i = 0; i < shows.Count; i++)
        {
            if ((i & 255) == 0) _doc.Options.CheckBudget?.Invoke();
            if (shows[i].Removed) continue;
            int hit = -1;
            var c = new StringBuilder(); var sp = new StringBuilder();
            for (int k = i; k < shows.Count && k - i < MaxWindow; k++)
            {
                if (shows[k].Removed) break; // a blanked show already separates the text
                c.Append(shows[k].Text); sp.Append(shows[k].Text).Append(' ');
                if (k > i && (_ids.Leaks(c.ToString()) || _ids.Leaks(sp.ToString()))) { hit = k; break; }
            }
            if (hit < 0) continue;
            int from = i;
            while (from < hit && WindowLeaks(shows, from + 1, hit)) from++;
            for (int r = from; r <= hit; r++) shows[r].Removed = true;
            i = hit;
        }
        foreach (var item in items)
        {
            if (item is byte[] b) output.Write(b);
            else if (item is Show s)
            {
                if (s.Removed) { _stats.RemovedTextRuns++; output.Write(s.Blank); }
                else output.Write(s.Original);
            }
        }
    }

    private bool WindowLeaks(List<Show> shows, int from, int to)
    {
        var c = new StringBuilder(); var sp = new StringBuilder();
        for (int k = from; k <= to; k++) { c.Append(shows[k].Text); sp.Append(shows[k].Text).Append(' '); }
        return _ids.Leaks(c.ToString()) || _ids.Leaks(sp.ToString());
    }

    private (string Text, double Advance) Measure(State gs, IList<object?> items)
    {
        var font = gs.Font ?? PdfFont.Default;
        var sb = new StringBuilder();
        double adv = 0;
        foreach (var item in items)
        {
            if (item is PdfString s)
            {
                foreach (var g in font.Decode(s.Bytes))
                {
                    if (g.Text.Length == 0 || g.Text == "\uFFFD") _stats.UndecodableGlyphs++;
                    else _stats.DecodedGlyphs++;
                    sb.Append(g.Text);
                    adv += (g.Width * gs.Fs + gs.Tc + (g.Length == 1 && g.Code == 32 ? gs.Tw : 0)) * gs.Th;
                    if (sb.Length > 100_000) break;
                }
            }
            else if (PdfValue.Number(item) is double a)
            {
                adv += -a / 1000.0 * gs.Fs * gs.Th;
                if (a < -250 && sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
            }
        }
        return (sb.ToString(), adv);
    }

    private PdfFont LoadFont(PdfName? name)
    {
        if (name is null) return PdfFont.Default;
        var dict = _doc.ResolveDict(_doc.ResolveDict(_res?.Get("Font"))?.Get(name.Value));
        if (dict is null) return PdfFont.Default;
        if (_fonts.TryGetValue(dict, out var f)) return f;
        f = PdfFont.Load(dict, _doc);
        if (_fonts.Count < 4096) _fonts[dict] = f;
        return f;
    }

    /// <summary>Position just after the EI of an inline image whose BI ended at <paramref name="from"/>.</summary>
    private static int SkipInlineImage(byte[] c, int from)
    {
        int id = -1;
        for (int i = from; i + 1 < c.Length; i++)
        {
            if (c[i] == 'I' && c[i + 1] == 'D' && (i == 0 || PdfLexer.IsWhite(c[i - 1]) || PdfLexer.IsDelimiter(c[i - 1]))
                && (i + 2 >= c.Length || PdfLexer.IsWhite(c[i + 2])))
            { id = i + 3; break; }
        }
        if (id < 0) return c.Length;
        for (int i = id; i + 1 < c.Length; i++)
        {
            if (c[i] == 'E' && c[i + 1] == 'I' && PdfLexer.IsWhite(c[i - 1]) && (i + 2 >= c.Length || PdfLexer.IsWhite(c[i + 2]) || PdfLexer.IsDelimiter(c[i + 2])))
                return i + 2;
        }
        return c.Length;
    }
}
