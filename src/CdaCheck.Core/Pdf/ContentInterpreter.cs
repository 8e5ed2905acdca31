using System.Text;

namespace CdaCheck.Core.Pdf;

/// <summary>
/// Runs a page's content stream (§8–9) far enough to know what it paints: filled axis-aligned rectangles
/// with their fill luminance, images (decoded to 8-bit gray) with their placement, and text runs with
/// their position and size. Form XObjects are followed (bounded depth, cycle-safe); every loop is bounded.
/// </summary>
public sealed class ContentInterpreter
{
    public const int MaxRects = 2_000_000;
    public const int MaxTexts = 500_000;
    public const int MaxImages = 10_000;
    public const int MaxGStateDepth = 256;
    public const int MaxPathPoints = 1_000_000;
    public const long MaxImagePixels = 64L * 1024 * 1024;
    /// <summary>Operators executed for one page, Form XObjects included (guards against forms that multiply each other).</summary>
    public const long MaxOperators = 50_000_000;

    private readonly PdfDocument _doc;
    private readonly PageContent _out;
    private readonly Action? _budget;
    private readonly int _maxFormDepth;
    private readonly Dictionary<PdfDictionary, PdfFont> _fonts = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _activeForms = new(ReferenceEqualityComparer.Instance);
    private readonly Stack<GState> _stack = new();
    private GState _gs;
    private Matrix _tm = Matrix.Identity, _tlm = Matrix.Identity;
    private int _pathPoints;
    private long _ops;
    private long _imageBytes;
    private readonly Dictionary<(PdfDictionary?, string), PdfColorSpace> _colorSpaces = new();

    private sealed class GState
    {
        public Matrix Ctm = Matrix.Identity;
        public PdfColorSpace FillCs = PdfColorSpace.Gray, StrokeCs = PdfColorSpace.Gray;
        public double[] Fill = [0], Stroke = [0];
        public PdfFont? Font;
        public double FontSize = 1, CharSpacing, WordSpacing, HScale = 1, Leading, Rise;
        /// <summary>A clipping path made of module shapes (a symbol drawn as a clip, then filled once), or null.</summary>
        public ModuleClip? Clip;

        public GState Clone() => (GState)MemberwiseClone();
    }

    /// <summary>
    /// The shapes of a clipping path that is a set of rectangles (a symbol's modules), in page coordinates: what a later
    /// fill paints inside them is recorded as those shapes.
    /// </summary>
    private sealed record ModuleClip(FilledRect[] Rects, FilledQuad[] Quads);

    /// <summary>Fewest rectangle-shaped subpaths for a clipping path to be taken as module shapes.</summary>
    private const int MinClipPieces = 8;
    /// <summary>Most shapes kept from one clipping path (hostile input bound).</summary>
    private const int MaxClipPieces = 65_536;
    /// <summary>Clip shapes examined on a page, all fills together (hostile input bound): beyond, clips are ignored.</summary>
    private const long MaxClipWork = 20_000_000;

    private bool _clipPending;
    private long _clipWork;
    private List<FilledRect> _rects;
    private List<FilledQuad> _quads;

    private ContentInterpreter(PdfDocument doc, PageContent output, Matrix initial)
    {
        _doc = doc;
        _out = output;
        _rects = output.Rects;
        _quads = output.Quads;
        _budget = doc.Options.CheckBudget;
        _maxFormDepth = Math.Min(doc.Options.MaxDepth, 32);
        _gs = new GState { Ctm = initial };
    }

    /// <summary>Scans one page into a <see cref="PageContent"/> (coordinates in the page's default user space).</summary>
    public static PageContent Scan(PdfDocument doc, PdfPage page)
    {
        var box = page.MediaBox;
        var pc = new PageContent
        {
            PageNumber = page.Number,
            Width = box[2] - box[0],
            Height = box[3] - box[1],
            X0 = box[0],
            Y0 = box[1],
            Rotate = page.Rotate,
        };
        var ci = new ContentInterpreter(doc, pc, Matrix.Identity);
        var contents = doc.Resolve(page.Dict.Get("Contents"));
        // contents deleted by an incremental update (free entry, or the null object): an empty page
        if (page.Dict.Get("Contents") is PdfRef cr && contents is null && doc.IsDeleted(cr.Num)) return pc;
        if (page.Dict.Get("Contents") is not null && contents is not (PdfStream or PdfArray))
            throw new PdfFormatException("the page /Contents is missing or unreadable");
        var data = ContentsOf(doc, contents);
        pc.Rects.Capacity = RectangleEstimate(data);
        ci.Run(data, page.Resources, 0);
        return pc;
    }

    /// <summary>Runs a content stream (bytes already decoded) into a page model; for tests and Form XObjects.</summary>
    public static PageContent ScanContent(PdfDocument doc, byte[] content, PdfDictionary? resources, double width = 612, double height = 792)
    {
        var pc = new PageContent { PageNumber = 1, Width = width, Height = height };
        new ContentInterpreter(doc, pc, Matrix.Identity).Run(content, resources, 0);
        return pc;
    }

    /// <summary>
    /// About how many rectangles a page paints, from its content length (a filled module "0 g x y w h re f" takes
    /// some 24 bytes), at most 2,048 (a list kept out of the large object heap): presizes the list.
    /// </summary>
    private static int RectangleEstimate(ReadOnlySpan<byte> content) => Math.Min(content.Length / 24, 2048);

    private static byte[] ContentsOf(PdfDocument doc, object? contents)
    {
        if (contents is PdfStream s) return doc.DecodeStream(s).Data;
        if (contents is PdfArray a)
        {
            var ms = new MemoryStream();
            foreach (var item in a.Take(10_000))
            {
                if (doc.Resolve(item) is not PdfStream part) continue;
                var d = doc.DecodeStream(part).Data;
                ms.Write(d);
                ms.WriteByte((byte)'\n');
                if (ms.Length > doc.Options.MaxDecompressedBytes)
                    throw new PdfLimitException(PdfIssueKind.DecompressionBomb, "page contents larger than the limit");
            }
            return ms.ToArray();
        }
        return [];
    }

    /// <summary>An operand: a number kept unboxed, or another object.</summary>
    private struct Operand
    {
        public byte Kind; // 0 integer, 1 real, 2 object
        public long Int;
        public double Real;
        public object? Obj;

        public readonly double Number
        {
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            get => Kind == 0 ? Int : Kind == 1 ? Real : PdfValue.Number(Obj) ?? 0;
        }
        public readonly bool IsNumber => Kind != 2 || Obj is long or double;
        public readonly object? Boxed => Kind switch { 0 => Int, 1 => Real, _ => Obj };
    }

    /// <summary>The operands of the operator being run (at most 64: no operator takes more).</summary>
    private sealed class Operands
    {
        public readonly Operand[] Items = new Operand[64];
        public int Count;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)] public double N(int i) => i >= 0 && i < Count ? Items[i].Number : 0;
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)] public double Last(int k) => N(Count - k);
        /// <summary>The last operand as an object (null when absent or a number).</summary>
        public object? LastObj(int k = 1) => Count - k >= 0 && Items[Count - k].Kind == 2 ? Items[Count - k].Obj : null;
    }

    private enum Op : byte
    {
        Unknown, q, Q, cm, g, G, rg, RG, k, K, cs, CS, sc, SC, m, l, c, vy, h, re, Fill, NoPaint, Clip,
        BT, ET, Tf, Tc, Tw, Tz, TL, Ts, Tr, Td, TD, Tm, TStar, Tj, Quote, DoubleQuote, TJ, Do, BI,
    }

    /// <summary>The operator named by these bytes (no string made).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static Op Classify(ReadOnlySpan<byte> k)
    {
        switch (k.Length)
        {
            case 1:
                switch (k[0])
                {
                    case (byte)'q': return Op.q;
                    case (byte)'Q': return Op.Q;
                    case (byte)'g': return Op.g;
                    case (byte)'G': return Op.G;
                    case (byte)'k': return Op.k;
                    case (byte)'K': return Op.K;
                    case (byte)'m': return Op.m;
                    case (byte)'l': return Op.l;
                    case (byte)'c': return Op.c;
                    case (byte)'v': case (byte)'y': return Op.vy;
                    case (byte)'h': return Op.h;
                    case (byte)'f': case (byte)'F': case (byte)'B': case (byte)'b': return Op.Fill;
                    case (byte)'n': case (byte)'S': case (byte)'s': return Op.NoPaint;
                    case (byte)'W': return Op.Clip;
                    case (byte)'\'': return Op.Quote;
                    case (byte)'"': return Op.DoubleQuote;
                }
                return Op.Unknown;
            case 2:
                switch ((k[0] << 8) | k[1])
                {
                    case ('c' << 8) | 'm': return Op.cm;
                    case ('r' << 8) | 'g': return Op.rg;
                    case ('R' << 8) | 'G': return Op.RG;
                    case ('c' << 8) | 's': return Op.cs;
                    case ('C' << 8) | 'S': return Op.CS;
                    case ('s' << 8) | 'c': return Op.sc;
                    case ('S' << 8) | 'C': return Op.SC;
                    case ('r' << 8) | 'e': return Op.re;
                    case ('f' << 8) | '*': case ('B' << 8) | '*': case ('b' << 8) | '*': return Op.Fill;
                    case ('W' << 8) | '*': return Op.Clip;
                    case ('B' << 8) | 'T': return Op.BT;
                    case ('E' << 8) | 'T': return Op.ET;
                    case ('T' << 8) | 'f': return Op.Tf;
                    case ('T' << 8) | 'c': return Op.Tc;
                    case ('T' << 8) | 'w': return Op.Tw;
                    case ('T' << 8) | 'z': return Op.Tz;
                    case ('T' << 8) | 'L': return Op.TL;
                    case ('T' << 8) | 's': return Op.Ts;
                    case ('T' << 8) | 'r': return Op.Tr;
                    case ('T' << 8) | 'd': return Op.Td;
                    case ('T' << 8) | 'D': return Op.TD;
                    case ('T' << 8) | 'm': return Op.Tm;
                    case ('T' << 8) | '*': return Op.TStar;
                    case ('T' << 8) | 'j': return Op.Tj;
                    case ('T' << 8) | 'J': return Op.TJ;
                    case ('D' << 8) | 'o': return Op.Do;
                    case ('B' << 8) | 'I': return Op.BI;
                }
                return Op.Unknown;
            case 3:
                if (k.SequenceEqual("scn"u8)) return Op.sc;
                if (k.SequenceEqual("SCN"u8)) return Op.SC;
                return Op.Unknown;
        }
        return Op.Unknown;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Run(byte[] content, PdfDictionary? resources, int depth)
    {
        var lx = new PdfLexer(content, 0, _doc.Options.MaxDepth);
        var ops = new Operands();
        while (true)
        {
            if ((++_ops & 1023) == 0)
            {
                _budget?.Invoke();
                if (_ops > MaxOperators) throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {MaxOperators} content operators on a page");
            }
            var kind = lx.NextContentToken(out long iv, out double rv, out object? ov, out int opStart, out int opLen);
            if (kind == PdfLexer.ContentToken.Eof) break;
            if (kind != PdfLexer.ContentToken.Operator)
            {
                if (ops.Count >= 64) ops.Count = 0; // garbage: no operator takes that many operands
                // only the field of the kind is written (the others are never read for that kind)
                ref var slot = ref ops.Items[ops.Count++];
                if (kind == PdfLexer.ContentToken.Integer) { slot.Kind = 0; slot.Int = iv; }
                else if (kind == PdfLexer.ContentToken.Real) { slot.Kind = 1; slot.Real = rv; }
                else { slot.Kind = 2; slot.Obj = ov; }
                continue;
            }
            var op = opLen == 0 ? Op.Unknown : Classify(lx.Span.Slice(opStart, opLen));
            if (op != Op.Unknown)
            {
                try
                {
                    Execute(op, ops, resources, lx, depth);
                }
                catch (PdfFormatException) { /* a bad operand list: skip the operator, as viewers do */ }
                catch (InvalidCastException) { }
            }
            ops.Count = 0;
        }
    }

    private static readonly double[] Gray0 = [0], Gray1 = [1];

    /// <summary>A one-component colour; black and white share an array (colour arrays are never written to).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)] private static double[] OneComponent(double v) =>
        v == 0 && !double.IsNegative(v) ? Gray0 : v == 1 ? Gray1 : [v];

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Execute(Op op, Operands ops, PdfDictionary? res, PdfLexer lx, int depth)
    {
        switch (op)
        {
            // graphics state
            case Op.q:
                if (_stack.Count < MaxGStateDepth) _stack.Push(_gs.Clone());
                else throw new PdfLimitException(PdfIssueKind.DepthExceeded, $"graphics state nested deeper than {MaxGStateDepth}");
                break;
            case Op.Q: if (_stack.Count > 0) _gs = _stack.Pop(); break;
            case Op.cm:
                if (ops.Count >= 6)
                    _gs.Ctm = new Matrix(ops.Last(6), ops.Last(5), ops.Last(4), ops.Last(3), ops.Last(2), ops.Last(1)).Multiply(_gs.Ctm);
                break;

            // colour
            case Op.g: _gs.FillCs = PdfColorSpace.Gray; _gs.Fill = OneComponent(ops.Last(1)); break;
            case Op.G: _gs.StrokeCs = PdfColorSpace.Gray; _gs.Stroke = OneComponent(ops.Last(1)); break;
            case Op.rg: _gs.FillCs = PdfColorSpace.Rgb; _gs.Fill = [ops.Last(3), ops.Last(2), ops.Last(1)]; break;
            case Op.RG: _gs.StrokeCs = PdfColorSpace.Rgb; _gs.Stroke = [ops.Last(3), ops.Last(2), ops.Last(1)]; break;
            case Op.k: _gs.FillCs = PdfColorSpace.Cmyk; _gs.Fill = [ops.Last(4), ops.Last(3), ops.Last(2), ops.Last(1)]; break;
            case Op.K: _gs.StrokeCs = PdfColorSpace.Cmyk; _gs.Stroke = [ops.Last(4), ops.Last(3), ops.Last(2), ops.Last(1)]; break;
            case Op.cs:
                if (ops.Count > 0) { _gs.FillCs = ColorSpace(ops.Items[ops.Count - 1].Boxed, res); _gs.Fill = _gs.FillCs.Initial(); }
                break;
            case Op.CS:
                if (ops.Count > 0) { _gs.StrokeCs = ColorSpace(ops.Items[ops.Count - 1].Boxed, res); _gs.Stroke = _gs.StrokeCs.Initial(); }
                break;
            case Op.sc: _gs.Fill = Numbers(ops); break;
            case Op.SC: _gs.Stroke = Numbers(ops); break;

            // path construction
            case Op.m: NewSubpath(false); AddToLast(ops.Last(2), ops.Last(1)); _pathPoints++; break;
            case Op.l: AddPoint(ops.Last(2), ops.Last(1), false); break;
            case Op.c: case Op.vy: AddPoint(ops.Last(2), ops.Last(1), true); break;
            case Op.h: break; // closing adds no corner; rectangles are recognised from their 4 corners
            case Op.re:
                {
                    double x = ops.Last(4), y = ops.Last(3), w = ops.Last(2), h = ops.Last(1);
                    NewSubpath(true);
                    AddToLast(x, y); AddToLast(x + w, y); AddToLast(x + w, y + h); AddToLast(x, y + h);
                    _pathPoints += 4;
                    break;
                }

            // path painting
            case Op.Fill: FillPath(); ApplyPendingClip(); ClearPath(); break;
            case Op.NoPaint: ApplyPendingClip(); ClearPath(); break;
            case Op.Clip: _clipPending = true; break;

            // text
            case Op.BT: _tm = _tlm = Matrix.Identity; break;
            case Op.ET: break;
            case Op.Tf:
                if (ops.Count >= 2)
                {
                    _gs.FontSize = ops.Last(1);
                    _gs.Font = LoadFont(ops.LastObj(2) as PdfName, res);
                }
                break;
            case Op.Tc: _gs.CharSpacing = ops.Last(1); break;
            case Op.Tw: _gs.WordSpacing = ops.Last(1); break;
            case Op.Tz: _gs.HScale = ops.Last(1) / 100.0; break;
            case Op.TL: _gs.Leading = ops.Last(1); break;
            case Op.Ts: _gs.Rise = ops.Last(1); break;
            case Op.Tr: break;
            case Op.Td: MoveText(ops.Last(2), ops.Last(1)); break;
            case Op.TD: _gs.Leading = -ops.Last(1); MoveText(ops.Last(2), ops.Last(1)); break;
            case Op.Tm:
                if (ops.Count >= 6)
                    _tm = _tlm = new Matrix(ops.Last(6), ops.Last(5), ops.Last(4), ops.Last(3), ops.Last(2), ops.Last(1));
                break;
            case Op.TStar: MoveText(0, -_gs.Leading); break;
            case Op.Tj: if (ops.LastObj() is PdfString s1) ShowText([s1]); break;
            case Op.Quote: MoveText(0, -_gs.Leading); if (ops.LastObj() is PdfString s2) ShowText([s2]); break;
            case Op.DoubleQuote:
                if (ops.Count >= 3)
                {
                    _gs.WordSpacing = ops.N(ops.Count - 3); _gs.CharSpacing = ops.N(ops.Count - 2);
                    MoveText(0, -_gs.Leading);
                    if (ops.LastObj() is PdfString s3) ShowText([s3]);
                }
                break;
            case Op.TJ: if (ops.LastObj() is PdfArray arr) ShowText(arr); break;

            // XObjects and inline images
            case Op.Do: if (ops.LastObj() is PdfName xn) DoXObject(xn.Value, res, depth); break;
            case Op.BI: InlineImage(lx, res); break;
        }
    }

    private PdfColorSpace ColorSpace(object? operand, PdfDictionary? res)
    {
        if (operand is not PdfName n) return PdfColorSpace.Resolve(operand, res, _doc);
        if (_colorSpaces.TryGetValue((res, n.Value), out var cs)) return cs;
        cs = PdfColorSpace.Resolve(n, res, _doc);
        if (_colorSpaces.Count < 1024) _colorSpaces[(res, n.Value)] = cs;
        return cs;
    }

    private static double[] Numbers(Operands ops)
    {
        int n = 0;
        for (int j = 0; j < ops.Count; j++) if (ops.Items[j].IsNumber) n++;
        var r = new double[Math.Max(n, 1)];
        int i = 0;
        for (int j = 0; j < ops.Count; j++) if (ops.Items[j].IsNumber) r[i++] = ops.Items[j].Number;
        return r;
    }

    // ------------------------------------------------------------------ paths
    // The current path: subpaths in order, their points stored one after the other (only the last subpath grows).

    private struct Subpath
    {
        public int Start, Count;
        public bool Curved, IsRe;
    }

    private Subpath[] _subs = new Subpath[16];
    private int _nSubs;
    private (double X, double Y)[] _pts = new (double, double)[64];
    private int _nPts;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void NewSubpath(bool isRe)
    {
        if (_pathPoints > MaxPathPoints) throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"a path with more than {MaxPathPoints} points");
        if (_nSubs == _subs.Length) Array.Resize(ref _subs, _subs.Length * 2);
        _subs[_nSubs++] = new Subpath { Start = _nPts, IsRe = isRe };
    }

    /// <summary>Points kept per subpath: a longer outline (more than a row of a 144×144 symbol merged with its boundaries) is not a module shape.</summary>
    public const int MaxSubpathPoints = 320;

    /// <summary>Adds a point to the last subpath (at most <see cref="MaxSubpathPoints"/> kept: more make it no module shape).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void AddToLast(double x, double y)
    {
        ref var sp = ref _subs[_nSubs - 1];
        if (sp.Count >= MaxSubpathPoints) { sp.Curved = true; return; }
        if (_nPts == _pts.Length) Array.Resize(ref _pts, _pts.Length * 2);
        _pts[_nPts++] = (x, y);
        sp.Count++;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void AddPoint(double x, double y, bool curve)
    {
        if (_nSubs == 0 || _subs[_nSubs - 1].IsRe) NewSubpath(false);
        if (curve) _subs[_nSubs - 1].Curved = true;
        AddToLast(x, y);
        _pathPoints++;
    }

    private void ClearPath() { _nSubs = 0; _nPts = 0; _pathPoints = 0; }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void FillPath()
    {
        if (_nSubs == 0) return;
        double lum = _gs.FillCs.Luminance(_gs.Fill);
        if (_gs.Clip is { } clip && _clipWork < MaxClipWork) { FillClipped(clip, lum); return; }
        EmitShapes(lum);
    }

    /// <summary>
    /// A fill under a clip of module shapes: what is painted is the shapes whose centre lies within the filled path's
    /// bounding box (a producer that draws the symbol as a clip fills one rectangle over it).
    /// </summary>
    private void FillClipped(ModuleClip clip, double lum)
    {
        var m = _gs.Ctm;
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        for (int i = 0; i < _nPts; i++)
        {
            var (px, py) = _pts[i];
            double x = m.A * px + m.C * py + m.E, y = m.B * px + m.D * py + m.F;
            x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
        }
        _clipWork += clip.Rects.Length + clip.Quads.Length;
        foreach (var r in clip.Rects)
        {
            double cx = r.X + r.Width / 2, cy = r.Y + r.Height / 2;
            if (cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1) AddRect(r.X, r.Y, r.Width, r.Height, lum);
        }
        foreach (var q in clip.Quads)
        {
            double cx = (q.Ax + q.Cx) / 2, cy = (q.Ay + q.Cy) / 2;
            if (!(cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1)) continue;
            if (_quads.Count >= MaxRects) throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {MaxRects} filled rectangles on a page");
            _quads.Add(q with { Luminance = lum });
        }
    }

    /// <summary>
    /// After a painting operator that followed W or W*: the current path becomes the clip. A path of rectangle-shaped
    /// subpaths (module shapes) is kept as a <see cref="ModuleClip"/>; any other clip (a page or cell rectangle, a curve)
    /// leaves a module clip in place (the intersection keeps the modules inside it).
    /// </summary>
    private void ApplyPendingClip()
    {
        if (!_clipPending) return;
        _clipPending = false;
        if (_nSubs < MinClipPieces || _clipWork >= MaxClipWork) return;
        var (rects, quads) = (_rects, _quads);
        var clipRects = new List<FilledRect>();
        var clipQuads = new List<FilledQuad>();
        _rects = clipRects; _quads = clipQuads;
        try { EmitShapes(0); }
        catch (PdfLimitException) { return; }
        finally { _rects = rects; _quads = quads; }
        int n = clipRects.Count + clipQuads.Count;
        _clipWork += n;
        if (n >= MinClipPieces && n <= MaxClipPieces) _gs.Clip = new ModuleClip([.. clipRects], [.. clipQuads]);
    }

    /// <summary>The current path's subpaths that are rectangles (or rectilinear outlines), recorded with luminance <paramref name="lum"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void EmitShapes(double lum)
    {
        var m = _gs.Ctm;
        var rects = _rects;
        for (int si = 0; si < _nSubs; si++)
        {
            ref readonly var sp = ref _subs[si];
            if (sp.Curved) continue;
            var pts = _pts.AsSpan(sp.Start, sp.Count);
            int n = pts.Length;
            // a closing point equal to the first is not a corner
            while (n > 4 && Near(pts[n - 1], pts[0])) n--;
            if (n != 4)
            {
                if (n >= 4) FillPolygon(pts[..n], m, lum);
                continue;
            }
            // the 4 corners in user space after the CTM (Matrix.Apply, written out)
            double ax = m.A * pts[0].X + m.C * pts[0].Y + m.E, ay = m.B * pts[0].X + m.D * pts[0].Y + m.F;
            double bx = m.A * pts[1].X + m.C * pts[1].Y + m.E, by = m.B * pts[1].X + m.D * pts[1].Y + m.F;
            double cx = m.A * pts[2].X + m.C * pts[2].Y + m.E, cy = m.B * pts[2].X + m.D * pts[2].Y + m.F;
            double dx = m.A * pts[3].X + m.C * pts[3].Y + m.E, dy = m.B * pts[3].X + m.D * pts[3].Y + m.F;
            // edges axis-aligned
            if (!AxisEdge(ax, ay, bx, by) || !AxisEdge(bx, by, cx, cy) || !AxisEdge(cx, cy, dx, dy) || !AxisEdge(dx, dy, ax, ay))
            {
                AddQuad(ax, ay, bx, by, cx, cy, dx, dy, lum);
                continue;
            }
            double x0 = Math.Min(Math.Min(ax, bx), Math.Min(cx, dx));
            double x1 = Math.Max(Math.Max(ax, bx), Math.Max(cx, dx));
            double y0 = Math.Min(Math.Min(ay, by), Math.Min(cy, dy));
            double y1 = Math.Max(Math.Max(ay, by), Math.Max(cy, dy));
            if (x1 - x0 <= 0 || y1 - y0 <= 0) continue;
            if (rects.Count >= MaxRects) throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {MaxRects} filled rectangles on a page");
            rects.Add(new FilledRect(x0, y0, x1 - x0, y1 - y0, lum));
        }
    }

    /// <summary>
    /// A closed subpath of more than 4 points (LibreOffice modules with repeated points, merged runs of modules,
    /// rotated runs): repeated and collinear points removed; 4 corners left make a rectangle (axis-aligned or not),
    /// an axis-aligned rectilinear outline is cut into horizontal slabs (even-odd, as f* fills it).
    /// </summary>
    private void FillPolygon(ReadOnlySpan<(double X, double Y)> src, in Matrix m, double lum)
    {
        Span<(double X, double Y)> p = stackalloc (double X, double Y)[src.Length];
        int n = 0;
        // page coordinates; repeated points dropped
        foreach (var q in src)
        {
            var t = (X: m.A * q.X + m.C * q.Y + m.E, Y: m.B * q.X + m.D * q.Y + m.F);
            if (n > 0 && Math.Abs(t.X - p[n - 1].X) < 1e-6 && Math.Abs(t.Y - p[n - 1].Y) < 1e-6) continue;
            p[n++] = t;
        }
        while (n > 1 && Math.Abs(p[n - 1].X - p[0].X) < 1e-6 && Math.Abs(p[n - 1].Y - p[0].Y) < 1e-6) n--;
        // collinear points dropped (until none is left). LibreOffice starts a rotated module's outline in the middle of
        // a side, on its internal grid of 1/100 mm (0.028 pt): that point lies up to ~0.02 pt off the side it splits.
        // A point is dropped when it lies within CollinearTolerance of the line through its neighbours and within a
        // tenth of its shorter side (a real corner lies at least 0.7 × its shorter side away from that line).
        for (bool changed = true; changed && n > 4;)
        {
            changed = false;
            for (int i = 0; i < n && n > 4; i++)
            {
                var a = p[(i + n - 1) % n]; var b = p[i]; var c = p[(i + 1) % n];
                double cross = (b.X - a.X) * (c.Y - b.Y) - (b.Y - a.Y) * (c.X - b.X);
                double ac = Math.Sqrt((c.X - a.X) * (c.X - a.X) + (c.Y - a.Y) * (c.Y - a.Y));
                double shorter = Math.Min(Math.Sqrt((b.X - a.X) * (b.X - a.X) + (b.Y - a.Y) * (b.Y - a.Y)), Math.Sqrt((c.X - b.X) * (c.X - b.X) + (c.Y - b.Y) * (c.Y - b.Y)));
                double dist = Math.Abs(cross) / (ac + 1e-12);
                if (dist > 1e-6 && (dist > CollinearTolerance || dist > 0.1 * shorter)) continue;
                for (int k = i; k < n - 1; k++) p[k] = p[k + 1];
                n--; changed = true; i--;
            }
        }
        if (n < 4) return;
        if (n == 4)
        {
            if (AxisEdge(p[0].X, p[0].Y, p[1].X, p[1].Y) && AxisEdge(p[1].X, p[1].Y, p[2].X, p[2].Y) && AxisEdge(p[2].X, p[2].Y, p[3].X, p[3].Y) && AxisEdge(p[3].X, p[3].Y, p[0].X, p[0].Y))
            {
                double x0 = Math.Min(Math.Min(p[0].X, p[1].X), Math.Min(p[2].X, p[3].X)), x1 = Math.Max(Math.Max(p[0].X, p[1].X), Math.Max(p[2].X, p[3].X));
                double y0 = Math.Min(Math.Min(p[0].Y, p[1].Y), Math.Min(p[2].Y, p[3].Y)), y1 = Math.Max(Math.Max(p[0].Y, p[1].Y), Math.Max(p[2].Y, p[3].Y));
                AddRect(x0, y0, x1 - x0, y1 - y0, lum);
            }
            else AddQuad(p[0].X, p[0].Y, p[1].X, p[1].Y, p[2].X, p[2].Y, p[3].X, p[3].Y, lum);
            return;
        }
        // rectilinear outline: every edge horizontal or vertical
        for (int i = 0; i < n; i++)
            if (!AxisEdge(p[i].X, p[i].Y, p[(i + 1) % n].X, p[(i + 1) % n].Y)) return;
        Span<double> ys = stackalloc double[n];
        for (int i = 0; i < n; i++) ys[i] = p[i].Y;
        ys.Sort();
        Span<double> xs = stackalloc double[n];
        for (int s = 0; s + 1 < n; s++)
        {
            double ya = ys[s], yb = ys[s + 1];
            if (yb - ya < 1e-6) continue;
            double ym = (ya + yb) / 2;
            int k = 0;
            for (int i = 0; i < n; i++)
            {
                var a = p[i]; var b = p[(i + 1) % n];
                if (Math.Abs(a.X - b.X) > 1e-6) continue; // vertical edges only
                if (ym > Math.Min(a.Y, b.Y) && ym < Math.Max(a.Y, b.Y)) xs[k++] = a.X;
            }
            var cut = xs[..k];
            cut.Sort();
            for (int i = 0; i + 1 < k; i += 2) AddRect(cut[i], ya, cut[i + 1] - cut[i], yb - ya, lum);
        }
    }

    /// <summary>Distance (points) from the line through its neighbours under which an outline's point is not a corner.</summary>
    private const double CollinearTolerance = 0.06;

    private void AddRect(double x, double y, double w, double h, double lum)
    {
        if (w <= 0 || h <= 0) return;
        if (_rects.Count >= MaxRects) throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {MaxRects} filled rectangles on a page");
        _rects.Add(new FilledRect(x, y, w, h, lum));
    }

    /// <summary>A 4-corner subpath that is a rectangle (right angles) but not axis-aligned.</summary>
    private void AddQuad(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy, double lum)
    {
        double ux = bx - ax, uy = by - ay, vx = dx - ax, vy = dy - ay;
        double lu = Math.Sqrt(ux * ux + uy * uy), lv = Math.Sqrt(vx * vx + vy * vy);
        if (lu < 1e-6 || lv < 1e-6 || !double.IsFinite(lu) || !double.IsFinite(lv)) return;
        // right angles and parallel sides, within what rounding coordinates to 0.05 pt does to a small module
        if (Math.Abs(ux * vx + uy * vy) > 0.08 * lu * lv) return;
        if (Math.Abs(ax + cx - bx - dx) > 0.08 * (lu + lv) || Math.Abs(ay + cy - by - dy) > 0.08 * (lu + lv)) return;
        if (_quads.Count >= MaxRects) throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {MaxRects} filled rectangles on a page");
        _quads.Add(new FilledQuad(ax, ay, bx, by, cx, cy, dx, dy, lum));
    }

    /// <summary>An edge that is horizontal or vertical (not both: not a point).</summary>
    private static bool AxisEdge(double ax, double ay, double bx, double by) =>
        (Math.Abs(ay - by) < 1e-6) ^ (Math.Abs(ax - bx) < 1e-6);

    /// <summary>Appends saved subpaths after the current ones (the path around a Form XObject).</summary>
    private void AppendPath(Subpath[] subs, (double X, double Y)[] pts)
    {
        int baseIndex = _nPts;
        foreach (var sp in subs)
        {
            if (_nSubs == _subs.Length) Array.Resize(ref _subs, _subs.Length * 2);
            _subs[_nSubs++] = sp with { Start = sp.Start + baseIndex };
        }
        while (_nPts + pts.Length > _pts.Length) Array.Resize(ref _pts, _pts.Length * 2);
        pts.CopyTo(_pts.AsSpan(_nPts));
        _nPts += pts.Length;
    }

    private static bool Near((double X, double Y) a, (double X, double Y) b) => Math.Abs(a.X - b.X) < 1e-9 && Math.Abs(a.Y - b.Y) < 1e-9;

    // ------------------------------------------------------------------ text

    private PdfFont LoadFont(PdfName? name, PdfDictionary? res)
    {
        if (name is null) return PdfFont.Default;
        var dict = _doc.ResolveDict(_doc.ResolveDict(res?.Get("Font"))?.Get(name.Value));
        if (dict is null) return PdfFont.Default;
        if (_fonts.TryGetValue(dict, out var f)) return f;
        f = PdfFont.Load(dict, _doc);
        if (_fonts.Count < 4096) _fonts[dict] = f;
        return f;
    }

    private void MoveText(double tx, double ty)
    {
        _tlm = new Matrix(1, 0, 0, 1, tx, ty).Multiply(_tlm);
        _tm = _tlm;
    }

    private void ShowText(IList<object?> items)
    {
        var font = _gs.Font ?? PdfFont.Default;
        double fs = _gs.FontSize, th = _gs.HScale;
        var start = new Matrix(1, 0, 0, 1, 0, _gs.Rise).Multiply(_tm).Multiply(_gs.Ctm);
        var sb = new StringBuilder();
        foreach (var item in items)
        {
            if (item is PdfString s)
            {
                foreach (var g in font.Decode(s.Bytes))
                {
                    sb.Append(g.Text);
                    double tx = (g.Width * fs + _gs.CharSpacing + (g.Length == 1 && g.Code == 32 ? _gs.WordSpacing : 0)) * th;
                    _tm = new Matrix(1, 0, 0, 1, tx, 0).Multiply(_tm);
                }
            }
            else if (PdfValue.Number(item) is double adj)
            {
                double tx = -adj / 1000.0 * fs * th;
                _tm = new Matrix(1, 0, 0, 1, tx, 0).Multiply(_tm);
                if (adj < -250 && sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
            }
            if (sb.Length > 100_000) break;
        }
        if (sb.Length == 0) return;
        if (_out.Texts.Count >= MaxTexts) throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {MaxTexts} text runs on a page");
        double size = fs * Math.Sqrt(start.C * start.C + start.D * start.D);
        var end = new Matrix(1, 0, 0, 1, 0, _gs.Rise).Multiply(_tm).Multiply(_gs.Ctm);
        _out.Texts.Add(new TextRun(sb.ToString(), start.E, start.F, size, end.E, end.F));
    }

    // ------------------------------------------------------------------ XObjects and images

    private void DoXObject(string name, PdfDictionary? res, int depth)
    {
        var xobj = _doc.Resolve(_doc.ResolveDict(res?.Get("XObject"))?.Get(name));
        if (xobj is not PdfStream s) return;
        var subtype = PdfValue.Name(_doc.Resolve(s.Dict.Get("Subtype")));
        if (subtype == "Form")
        {
            if (depth + 1 > _maxFormDepth)
                throw new PdfLimitException(PdfIssueKind.DepthExceeded, $"Form XObjects nested deeper than {_maxFormDepth}");
            if (!_activeForms.Add(s))
            {
                _doc.AddIssue(new PdfIssue(PdfIssueKind.DepthExceeded, $"Form XObject {name} draws itself (cycle)", s.ObjectNumber));
                return;
            }
            try
            {
                var saved = _gs.Clone();
                int stackDepth = _stack.Count;
                if (_doc.Resolve(s.Dict.Get("Matrix")) is PdfArray m && m.Count >= 6)
                {
                    var fm = new Matrix(Num(m[0]), Num(m[1]), Num(m[2]), Num(m[3]), Num(m[4]), Num(m[5]));
                    _gs.Ctm = fm.Multiply(_gs.Ctm);
                }
                var formRes = _doc.ResolveDict(s.Dict.Get("Resources")) ?? res;
                var savedSubs = _subs.AsSpan(0, _nSubs).ToArray();
                var savedPts = _pts.AsSpan(0, _nPts).ToArray();
                ClearPath();
                var data = _doc.DecodeStream(s).Data;
                Run(data, formRes, depth + 1);
                while (_stack.Count > stackDepth) _stack.Pop();
                _gs = saved;
                AppendPath(savedSubs, savedPts);
            }
            finally { _activeForms.Remove(s); }
            return;
        }
        if (subtype == "Image")
        {
            PlaceImage(s.Dict, () => _doc.DecodeStream(s), res, name, s.ObjectNumber, s, name);
        }
    }

    private double Num(object? o) => PdfValue.Number(_doc.Resolve(o)) ?? 0;

    private void AddImage(PlacedImage img)
    {
        if (_out.Images.Count >= MaxImages) throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {MaxImages} images on a page");
        _out.Images.Add(img);
    }

    private static readonly Dictionary<string, string> InlineKeys = new(StringComparer.Ordinal)
    {
        ["W"] = "Width", ["H"] = "Height", ["BPC"] = "BitsPerComponent", ["CS"] = "ColorSpace", ["D"] = "Decode",
        ["DP"] = "DecodeParms", ["F"] = "Filter", ["IM"] = "ImageMask", ["I"] = "Interpolate", ["L"] = "Length",
    };

    private static readonly Dictionary<string, string> InlineNames = new(StringComparer.Ordinal)
    {
        ["G"] = "DeviceGray", ["RGB"] = "DeviceRGB", ["CMYK"] = "DeviceCMYK", ["I"] = "Indexed",
        ["AHx"] = "ASCIIHexDecode", ["A85"] = "ASCII85Decode", ["LZW"] = "LZWDecode", ["Fl"] = "FlateDecode",
        ["RL"] = "RunLengthDecode", ["CCF"] = "CCITTFaxDecode", ["DCT"] = "DCTDecode",
    };

    private static object? Expand(object? v) => v switch
    {
        PdfName n when InlineNames.TryGetValue(n.Value, out var full) => PdfName.Of(full),
        PdfArray a => new PdfArray(a.Select(Expand)),
        _ => v,
    };

    private void InlineImage(PdfLexer lx, PdfDictionary? res)
    {
        var dict = new PdfDictionary();
        for (int guard = 0; guard < 256; guard++)
        {
            var k = lx.ReadObject(false);
            if (k == PdfLexer.Eof) return;
            if (k is PdfKeyword { Value: "ID" }) break;
            if (k is not PdfName kn) continue;
            var v = lx.ReadObject(false);
            string key = InlineKeys.TryGetValue(kn.Value, out var full) ? full : kn.Value;
            dict[key] = key is "ColorSpace" or "Filter" ? Expand(v) : v;
        }
        var span = lx.Span;
        int start = lx.Pos;
        if (start < span.Length && PdfLexer.IsWhite(span[start])) start++;
        int end = -1;
        // unfiltered: the size is known; check "EI" follows
        if (dict.Get("Filter") is null)
        {
            var cs = PdfColorSpace.Resolve(dict.Get("ColorSpace") ?? PdfName.Of("DeviceGray"), res, _doc);
            bool mask = dict.Get("ImageMask") is true;
            long w = PdfValue.Integer(dict.Get("Width")) ?? 0, h = PdfValue.Integer(dict.Get("Height")) ?? 0;
            long bpc = mask ? 1 : PdfValue.Integer(dict.Get("BitsPerComponent")) ?? 8;
            int nComp = mask ? 1 : Math.Max(1, cs.Components);
            long len = PdfValue.CheckedProduct(w, nComp, bpc) is long bits && bits <= long.MaxValue - 7 && PdfValue.CheckedProduct((bits + 7) / 8, h) is long l ? l : -1;
            if (len >= 0 && len <= span.Length - start)
            {
                int q = (int)(start + len);
                while (q < span.Length && PdfLexer.IsWhite(span[q])) q++;
                if (span[q..].StartsWith("EI"u8)) { end = (int)(start + len); lx.Pos = q + 2; }
            }
        }
        if (end < 0)
        {
            int p = start;
            while (true)
            {
                int i = span[p..].IndexOf("EI"u8);
                if (i < 0) { end = span.Length; lx.Pos = span.Length; break; }
                int at = p + i;
                bool before = at > start && PdfLexer.IsWhite(span[at - 1]);
                bool after = at + 2 >= span.Length || PdfLexer.IsWhite(span[at + 2]);
                if (before && after) { end = at - 1; lx.Pos = at + 2; break; }
                p = at + 2;
            }
        }
        var data = lx.Memory[start..Math.Max(start, end)];
        PlaceImage(dict, () => PdfFilters.Decode(data, dict.Get("Filter"), dict.Get("DecodeParms"), _doc.Options.MaxDecompressedBytes, _doc.Resolve), res, "inline", -1, null, null);
    }

    /// <summary>How an image's samples become gray: everything read from its dictionary and the graphics state.</summary>
    private sealed record ImageFormat(int W, int H, PdfColorSpace Cs, int Bpc, bool Mask, double[] DMin, double[] DMax, byte MaskPaint, int[]? ColorKey = null);

    /// <summary>
    /// Places an image on the page. Samples of an XObject image (<paramref name="deferrable"/>) are decoded when first
    /// read if <see cref="PdfDocument.TryDefer"/> allows it (decoding later then reports nothing and cannot fail);
    /// otherwise, and for inline images, they are decoded now.
    /// </summary>
    private void PlaceImage(PdfDictionary dict, Func<PdfFilters.DecodeResult> decode, PdfDictionary? res, string name, int objNum, PdfStream? deferrable, string? placedName)
    {
        long wl = PdfValue.Integer(_doc.Resolve(dict.Get("Width"))) ?? 0, hl = PdfValue.Integer(_doc.Resolve(dict.Get("Height"))) ?? 0;
        if (wl <= 0 || hl <= 0) return;
        // every factor bounded before multiplying: /Width 2^32 × /Height 2^32 must not wrap to 0
        long limit = Math.Min(MaxImagePixels, _doc.Options.MaxDecompressedBytes);
        if (PdfValue.CheckedProduct(wl, hl) is not long pixels || pixels > limit)
        {
            _doc.AddIssue(new PdfIssue(PdfIssueKind.ImageTooLarge, $"image {name} declares {wl} × {hl} pixels", objNum));
            return;
        }
        int w = (int)wl, h = (int)hl;
        _imageBytes += wl * hl;
        if (_imageBytes > _doc.Options.MaxDecompressedBytes)
            throw new PdfLimitException(PdfIssueKind.DecompressionBomb, $"images of the page decode to more than {_doc.Options.MaxDecompressedBytes} bytes");
        if (IsDct(dict))
        {
            PlaceJpeg(dict, decode, res, name, objNum, deferrable, placedName);
            return;
        }
        var alpha = Alpha(dict);
        byte[]? gray = null;
        PdfDocument.Deferred? deferred = null;
        ImageFormat? format = null;
        if (deferrable is not null)
        {
            // decoding now or later gives the same bytes and reports nothing: it commutes with reading the format
            deferred = _doc.TryDefer(deferrable, r => gray = ToGray(format!, r.Data));
        }
        if (deferred is null)
        {
            var r = decode();
            if (r.StoppedAt is not null)
            {
                if (r.Supported) _doc.AddIssue(new PdfIssue(PdfIssueKind.ImageCodecSkipped, $"{r.StoppedAt} image {name}", objNum));
                return;
            }
            format = Format(dict, res, w, h);
            if (format is null) return;
            var g = ToGray(format, r.Data);
            AddImage(new PlacedImage(w, h, alpha is null ? g : Composite(g, alpha(w, h)), _gs.Ctm, placedName));
            return;
        }
        format = Format(dict, res, w, h);
        if (format is null)
        {
            deferred.Materialize(); // not placed, but decoded as before (the document's decoded total counts it)
            return;
        }
        var d = deferred;
        d.SizeHint = ((long)w * format.DMin.Length * format.Bpc + 7) / 8 * h;
        AddImage(new PlacedImage(w, h, () =>
        {
            d.Materialize();
            var g = gray ?? WhiteImage(w, h); // only when the decoding was interrupted (budget)
            return alpha is null ? g : Composite(g, alpha(w, h));
        }, _gs.Ctm, placedName));
    }

    private bool IsDct(PdfDictionary dict)
    {
        var f = _doc.Resolve(dict.Get("Filter"));
        string? last = f switch
        {
            PdfName n => n.Value,
            PdfArray a when a.Count > 0 => PdfValue.Name(_doc.Resolve(a[^1])),
            _ => null,
        };
        return last is "DCTDecode" or "DCT";
    }

    /// <summary>Images over this many pixels are decoded at half scale (a 300 dpi A4 scan becomes 150 dpi).</summary>
    public const long JpegHalfScalePixels = 6L * 1024 * 1024;

    /// <summary>
    /// A DCT (JPEG) image: the frame header is read now (an unsupported or broken JPEG is reported as before, PDF-010),
    /// the samples when first read (a photo is never decoded when the DataMatrix search stops before it).
    /// </summary>
    private void PlaceJpeg(PdfDictionary dict, Func<PdfFilters.DecodeResult> decode, PdfDictionary? res, string name, int objNum, PdfStream? deferrable, string? placedName)
    {
        ReadOnlyMemory<byte> jpeg;
        if (deferrable is not null && _doc.Resolve(dict.Get("Filter")) is PdfName) jpeg = deferrable.Raw; // DCT alone: the raw bytes, nothing to decode now
        else
        {
            var r = decode();
            if (r.StoppedAt is not ("DCTDecode" or "DCT"))
            {
                if (r.StoppedAt is not null && r.Supported) _doc.AddIssue(new PdfIssue(PdfIssueKind.ImageCodecSkipped, $"{r.StoppedAt} image {name}", objNum));
                return;
            }
            jpeg = r.Data;
        }
        var hdr = Imaging.Jpeg.ReadHeader(jpeg.Span, out var why);
        if (hdr is null)
        {
            _doc.AddIssue(new PdfIssue(PdfIssueKind.ImageCodecSkipped, $"DCTDecode image {name} ({why})", objNum));
            return;
        }
        long px = (long)hdr.Width * hdr.Height;
        if (px > MaxImagePixels || px * hdr.Components > _doc.Options.MaxDecompressedBytes)
        {
            _doc.AddIssue(new PdfIssue(PdfIssueKind.DecompressionBomb, $"image {name} of {hdr.Width}x{hdr.Height} pixels not decoded", objNum));
            return;
        }
        var format = Format(dict, res, hdr.Width, hdr.Height, jpegComponents: hdr.Components);
        if (format is null) return;
        int scale = px > JpegHalfScalePixels ? 2 : 1;
        int ow = (hdr.Width + scale - 1) / scale, oh = (hdr.Height + scale - 1) / scale;
        var parms = _doc.Resolve(dict.Get("DecodeParms"));
        if (parms is PdfArray pa && pa.Count > 0) parms = _doc.Resolve(pa[^1]);
        int? ct = parms is PdfDictionary pd && PdfValue.Integer(_doc.Resolve(pd.Get("ColorTransform"))) is long ctv ? (int)ctv : null;
        bool defaultDecode = true;
        for (int k = 0; k < format.DMin.Length; k++) defaultDecode &= format.DMin[k] == 0 && format.DMax[k] == 1;
        var fam = format.Cs.Kind;
        bool mismatch = format.DMin.Length != hdr.Components;
        bool luma = mismatch || defaultDecode && format.ColorKey is null
            && (fam == PdfColorSpace.Family.Gray && hdr.Components == 1 || fam == PdfColorSpace.Family.Rgb && hdr.Components == 3);
        var alpha = Alpha(dict);
        long maxSamples = _doc.Options.MaxDecompressedBytes;
        var budget = _budget;
        AddImage(new PlacedImage(ow, oh, () =>
        {
            var samples = Imaging.Jpeg.Decode(jpeg.Span, hdr, scale, luma ? Imaging.Jpeg.JpegOutput.Luma : Imaging.Jpeg.JpegOutput.Samples, ct, budget,
                maxSamples, out int jw, out int jh, out _);
            byte[] g = samples is null || jw != ow || jh != oh ? WhiteImage(ow, oh)
                : luma ? samples : ToGray(format with { W = ow, H = oh, Bpc = 8 }, samples);
            return alpha is null ? g : Composite(g, alpha(ow, oh));
        }, _gs.Ctm, placedName));
    }

    /// <summary>
    /// The image's soft mask (/SMask) or explicit mask (/Mask stream) as opacity 0…255 at a given size (nearest
    /// sampling), read when called; null when the image has neither.
    /// </summary>
    private Func<int, int, byte[]?>? Alpha(PdfDictionary dict)
    {
        bool soft = true;
        if (_doc.Resolve(dict.Get("SMask")) is not PdfStream m)
        {
            soft = false;
            if (_doc.Resolve(dict.Get("Mask")) is not PdfStream m2) return null;
            m = m2;
        }
        long mw = PdfValue.Integer(_doc.Resolve(m.Dict.Get("Width"))) ?? 0, mh = PdfValue.Integer(_doc.Resolve(m.Dict.Get("Height"))) ?? 0;
        if (mw <= 0 || mh <= 0 || mw * mh > MaxImagePixels || mw * mh > _doc.Options.MaxDecompressedBytes) return null;
        var mask = m;
        return (w, h) =>
        {
            int aw = (int)mw, ah = (int)mh;
            byte[]? a = null;
            var r = _doc.DecodeStream(mask);
            if (r.StoppedAt is "DCTDecode" or "DCT" && soft)
            {
                a = Imaging.Jpeg.Decode(r.Data, 1, Imaging.Jpeg.JpegOutput.Luma, null, _budget, _doc.Options.MaxDecompressedBytes, out aw, out ah, out _);
            }
            else if (r.StoppedAt is null)
            {
                var f = soft ? Format(mask.Dict, null, aw, ah, forceGray: true) : Format(mask.Dict, null, aw, ah, stencil: true);
                if (f is not null)
                {
                    a = ToGray(f with { MaskPaint = 0 }, r.Data);
                    if (!soft) a = a.Select(v => (byte)(255 - v)).ToArray(); // stencil: painted (0) = opaque
                }
            }
            if (a is null) return null;
            if (aw == w && ah == h) return a;
            var o = new byte[(long)w * h];
            for (int y = 0; y < h; y++)
            {
                int sy = (int)((long)y * ah / h) * aw;
                for (int x = 0; x < w; x++) o[(long)y * w + x] = a[sy + (int)((long)x * aw / w)];
            }
            return o;
        };
    }

    /// <summary>The image over a white page through its opacity (a viewer's compositing, before binarising).</summary>
    private static byte[] Composite(byte[] gray, byte[]? alpha)
    {
        if (alpha is null || alpha.Length != gray.Length) return gray;
        var o = new byte[gray.Length]; // the gray array may be the decoded stream's (shared): never written
        for (int i = 0; i < o.Length; i++)
        {
            int a = alpha[i];
            o[i] = (byte)((gray[i] * a + 255 * (255 - a) + 127) / 255);
        }
        return o;
    }

    private static byte[] WhiteImage(int w, int h)
    {
        var g = new byte[(long)w * h];
        g.AsSpan().Fill(255);
        return g;
    }

    /// <summary>The sample format of an image; null when it is not painted as gray samples (pattern space, bad depth).</summary>
    private ImageFormat? Format(PdfDictionary dict, PdfDictionary? res, int w, int h, int jpegComponents = 0, bool forceGray = false, bool stencil = false)
    {
        bool mask = stencil || !forceGray && _doc.Resolve(dict.Get("ImageMask")) is true;
        var cs = mask || forceGray ? PdfColorSpace.Gray : PdfColorSpace.Resolve(dict.Get("ColorSpace") ?? PdfName.Of("DeviceGray"), res, _doc);
        if (jpegComponents > 0 && dict.Get("ColorSpace") is null)
            cs = jpegComponents switch { 3 => PdfColorSpace.Rgb, 4 => PdfColorSpace.Cmyk, _ => PdfColorSpace.Gray };
        if (cs.Kind == PdfColorSpace.Family.Pattern) return null;
        int bpc = jpegComponents > 0 ? 8 : mask ? 1 : (int)(PdfValue.Integer(_doc.Resolve(dict.Get("BitsPerComponent"))) ?? 8);
        if (bpc is not (1 or 2 or 4 or 8 or 16)) return null;
        int nComp = Math.Max(1, cs.Components);
        int maxV = (1 << bpc) - 1;
        // decode ranges
        var decodeArr = _doc.Resolve(dict.Get("Decode")) as PdfArray;
        var dmin = new double[nComp];
        var dmax = new double[nComp];
        for (int k = 0; k < nComp; k++)
        {
            if (cs.Kind == PdfColorSpace.Family.Indexed) { dmin[k] = 0; dmax[k] = maxV; }
            else if (cs.Kind == PdfColorSpace.Family.Lab && k == 0) { dmin[k] = 0; dmax[k] = 100; }
            else { dmin[k] = 0; dmax[k] = 1; }
            if (decodeArr is not null && decodeArr.Count >= 2 * (k + 1))
            {
                dmin[k] = Num(decodeArr[2 * k]);
                dmax[k] = Num(decodeArr[2 * k + 1]);
            }
        }
        byte maskPaint = (byte)Math.Round(Math.Clamp(_gs.FillCs.Luminance(_gs.Fill), 0, 1) * 255);
        // colour-key masking (/Mask [min max …] in sample values): those pixels are not painted
        int[]? key = null;
        if (!mask && _doc.Resolve(dict.Get("Mask")) is PdfArray ka && ka.Count >= 2 * nComp)
        {
            key = new int[2 * nComp];
            for (int i = 0; i < key.Length; i++) key[i] = (int)(PdfValue.Integer(_doc.Resolve(ka[i])) ?? -1);
        }
        return new ImageFormat(w, h, cs, bpc, mask, dmin, dmax, maskPaint, key);
    }

    /// <summary>Decodes image samples to 8-bit gray (0 black … 255 white), top row first.</summary>
    private byte[] ToGray(ImageFormat f, byte[] data)
    {
        int w = f.W, h = f.H, bpc = f.Bpc;
        var cs = f.Cs;
        bool mask = f.Mask;
        var dmin = f.DMin;
        var dmax = f.DMax;
        int nComp = dmin.Length;
        long rowBytes = ((long)w * nComp * bpc + 7) / 8;
        int maxV = (1 << bpc) - 1;
        bool defaultDecode0 = true;
        for (int k = 0; k < nComp; k++) defaultDecode0 &= dmin[k] == 0 && dmax[k] == 1;
        var key = f.ColorKey;
        if (key is not null) defaultDecode0 = false; // the general path checks the key
        // 8-bit gray samples are already what the locators read: share the decoded array (read-only) instead of copying it
        if (bpc == 8 && defaultDecode0 && cs.Kind == PdfColorSpace.Family.Gray && !mask && data.LongLength == (long)w * h)
            return data;
        var gray = new byte[(long)w * h];
        byte maskPaint = f.MaskPaint;
        // single-component images: a lookup table from sample to gray
        byte[]? lut = null;
        if (nComp == 1)
        {
            int levels = bpc == 16 ? 256 : maxV + 1;
            lut = new byte[levels];
            for (int s = 0; s < levels; s++)
            {
                double sv = bpc == 16 ? s * 257 : s;
                double v = dmin[0] + sv * (dmax[0] - dmin[0]) / maxV;
                if (mask) lut[s] = v < 0.5 ? maskPaint : (byte)255; // sample decoded to 0 paints
                else
                {
                    double lum = cs.Kind == PdfColorSpace.Family.Indexed ? cs.IndexLuminance((int)Math.Round(v)) : cs.Luminance([v]);
                    lut[s] = (byte)Math.Round(Math.Clamp(lum, 0, 1) * 255);
                }
            }
        }
        bool defaultDecode = key is null;
        for (int k = 0; k < nComp; k++) defaultDecode &= dmin[k] == 0 && dmax[k] == 1;
        if (bpc == 8 && defaultDecode && cs.Kind == PdfColorSpace.Family.Rgb)
        {
            // fast path: 8-bit RGB, integer luminance (0.299, 0.587, 0.114 in 1/256ths)
            long need = (long)w * h * 3;
            for (long i = 0, o = 0; o < gray.LongLength; i += 3, o++)
            {
                if ((o & 0xFFFF) == 0) _budget?.Invoke();
                gray[o] = i + 2 < data.LongLength && i + 2 < need ? (byte)((77 * data[i] + 150 * data[i + 1] + 29 * data[i + 2] + 128) >> 8) : (byte)255;
            }
            return gray;
        }
        if (bpc == 8 && defaultDecode && cs.Kind == PdfColorSpace.Family.Gray && !mask)
        {
            int n = (int)Math.Min(gray.LongLength, data.LongLength);
            data.AsSpan(0, n).CopyTo(gray);
            gray.AsSpan(n).Fill(255);
            return gray;
        }
        Span<double> comps = stackalloc double[nComp];
        long sincePixels = 0;
        for (int y = 0; y < h; y++)
        {
            sincePixels += w;
            if (sincePixels >= 0x10000) { sincePixels = 0; _budget?.Invoke(); }
            long rowStart = y * rowBytes;
            if (rowStart >= data.Length) { gray.AsSpan(y * w).Fill(255); break; }
            var row = data.AsSpan((int)rowStart, (int)Math.Min(rowBytes, data.Length - rowStart));
            for (int x = 0; x < w; x++)
            {
                if (lut is not null)
                {
                    int s = Sample(row, x, bpc);
                    gray[(long)y * w + x] = s < 0 || key is not null && s >= key[0] && s <= key[1] ? (byte)255 : lut[bpc == 16 ? s >> 8 : s];
                    continue;
                }
                bool missing = false, keyed = key is not null;
                for (int k = 0; k < nComp; k++)
                {
                    int s = Sample(row, x * nComp + k, bpc);
                    if (s < 0) { missing = true; break; }
                    if (keyed && (s < key![2 * k] || s > key[2 * k + 1])) keyed = false;
                    comps[k] = dmin[k] + s * (dmax[k] - dmin[k]) / maxV;
                }
                gray[(long)y * w + x] = missing || keyed ? (byte)255 : (byte)Math.Round(Math.Clamp(cs.Luminance(comps), 0, 1) * 255);
            }
        }
        return gray;
    }

    private static int Sample(ReadOnlySpan<byte> row, int index, int bpc)
    {
        switch (bpc)
        {
            case 8: return index < row.Length ? row[index] : -1;
            case 16: return 2 * index + 1 < row.Length ? (row[2 * index] << 8) | row[2 * index + 1] : -1;
            default:
                long bit = (long)index * bpc;
                if ((bit >> 3) >= row.Length) return -1;
                return PdfFilters.GetBits(row, index, bpc);
        }
    }
}
