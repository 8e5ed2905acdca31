using System.Text;

namespace CdaCheck.Core.Pdf;

/// <summary>A ToUnicode (or encoding) CMap: codespace ranges, bfchar and bfrange mappings (§9.10.3).</summary>
public sealed class CMap
{
    private readonly Dictionary<long, string> _map = new();
    /// <summary>Byte lengths allowed by the codespace ranges (first byte range → length).</summary>
    private readonly List<(int Len, byte Lo, byte Hi)> _codespace = new();
    private int _defaultLen = 0;

    public int Count => _map.Count;

    private static long Key(int len, uint code) => ((long)len << 32) | code;

    public bool TryGet(int len, uint code, out string text) => _map.TryGetValue(Key(len, code), out text!);

    /// <summary>Length in bytes of the code starting with <paramref name="first"/>.</summary>
    public int CodeLength(byte first)
    {
        foreach (var (len, lo, hi) in _codespace)
            if (first >= lo && first <= hi) return len;
        return _defaultLen > 0 ? _defaultLen : 1;
    }

    public bool HasCodespace => _codespace.Count > 0 || _defaultLen > 0;

    public static CMap Parse(byte[] data, Action? budget, int maxEntries = 200_000)
    {
        var cm = new CMap();
        var lx = new PdfLexer(data, 0, 8);
        var operands = new List<object?>();
        int guard = 0;
        while (true)
        {
            if ((++guard & 1023) == 0) budget?.Invoke();
            object? t;
            try { t = lx.ReadObject(allowRefs: false); }
            catch (PdfLimitException) { break; }
            if (t == PdfLexer.Eof) break;
            if (t is not PdfKeyword kw) { if (operands.Count < 64) operands.Add(t); continue; }
            switch (kw.Value)
            {
                case "begincodespacerange":
                    while (true)
                    {
                        var a = lx.ReadObject(false);
                        if (a is not PdfString lo) break;
                        if (lx.ReadObject(false) is not PdfString hi) break;
                        if (lo.Bytes.Length is >= 1 and <= 4 && hi.Bytes.Length == lo.Bytes.Length)
                            cm._codespace.Add((lo.Bytes.Length, lo.Bytes[0], hi.Bytes[0]));
                    }
                    break;
                case "beginbfchar":
                case "begincidchar":
                    {
                        bool cid = kw.Value == "begincidchar";
                        while (cm._map.Count < maxEntries)
                        {
                            var a = lx.ReadObject(false);
                            if (a is not PdfString src) break;
                            var dst = lx.ReadObject(false);
                            if (src.Bytes.Length is < 1 or > 4) continue;
                            var text = DestText(dst, cid);
                            if (text is not null) cm._map[Key(src.Bytes.Length, Code(src.Bytes))] = text;
                            if (cm._defaultLen == 0) cm._defaultLen = src.Bytes.Length;
                        }
                        break;
                    }
                case "beginbfrange":
                case "begincidrange":
                    {
                        bool cid = kw.Value == "begincidrange";
                        while (cm._map.Count < maxEntries)
                        {
                            var a = lx.ReadObject(false);
                            if (a is not PdfString lo) break;
                            if (lx.ReadObject(false) is not PdfString hi) break;
                            var dst = lx.ReadObject(false);
                            int len = lo.Bytes.Length;
                            if (len is < 1 or > 4 || hi.Bytes.Length != len) continue;
                            uint l = Code(lo.Bytes), h = Code(hi.Bytes);
                            if (h < l || h - l > 65535) continue;
                            if (cm._defaultLen == 0) cm._defaultLen = len;
                            for (uint c = l; c <= h && cm._map.Count < maxEntries; c++)
                            {
                                string? text = null;
                                if (dst is PdfArray arr) { if (c - l < arr.Count) text = DestText(arr[(int)(c - l)], cid); }
                                else if (dst is PdfString ds && !cid) text = Increment(ds.Bytes, c - l);
                                else if (PdfValue.Integer(dst) is long cidStart) text = ((char)(cidStart + (c - l))).ToString();
                                if (text is not null) cm._map[Key(len, c)] = text;
                            }
                        }
                        break;
                    }
            }
            operands.Clear();
        }
        return cm;
    }

    private static uint Code(byte[] b)
    {
        uint v = 0;
        foreach (var x in b) v = (v << 8) | x;
        return v;
    }

    private static string? DestText(object? dst, bool cid) => dst switch
    {
        PdfString s => Utf16(s.Bytes),
        PdfName n => PdfEncodings.GlyphToUnicode(n.Value),
        long l when cid => ((char)l).ToString(),
        _ => null,
    };

    private static string Utf16(byte[] b)
    {
        if (b.Length == 1) return ((char)b[0]).ToString();
        var s = Encoding.BigEndianUnicode.GetString(b, 0, b.Length & ~1);
        // drop lone surrogates (malformed CMaps)
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(s[i]).Append(s[i + 1]); i++; }
            else if (!char.IsSurrogate(s[i])) sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private static string Increment(byte[] start, uint delta)
    {
        var b = (byte[])start.Clone();
        if (b.Length == 0) return "";
        // add delta to the last two bytes (one UTF-16 unit), as bfrange does
        int last = b.Length - 1;
        uint v = b.Length >= 2 ? (uint)((b[last - 1] << 8) | b[last]) : b[last];
        v += delta;
        if (b.Length >= 2) { b[last - 1] = (byte)(v >> 8); b[last] = (byte)v; }
        else b[last] = (byte)v;
        return Utf16(b);
    }
}

/// <summary>A font as far as text extraction needs it: how bytes split into codes, code → Unicode, glyph widths.</summary>
public sealed class PdfFont
{
    private char[]? _encoding;
    private readonly string?[] _differences = new string?[256];
    private CMap? _toUnicode;
    private CMap? _encodingCMap;
    private readonly Dictionary<int, double> _widths = new();
    private double _defaultWidth = 500;
    private double _widthScale = 0.001;

    /// <summary>True for Type0 (composite) fonts.</summary>
    public bool Composite { get; private set; }
    public string? BaseFont { get; private set; }

    public static PdfFont Default { get; } = new() { _encoding = PdfEncodings.WinAnsi };

    public static PdfFont Load(PdfDictionary dict, PdfDocument doc)
    {
        var f = new PdfFont();
        var subtype = PdfValue.Name(doc.Resolve(dict.Get("Subtype")));
        f.BaseFont = PdfValue.Name(doc.Resolve(dict.Get("BaseFont")));
        if (doc.Resolve(dict.Get("ToUnicode")) is PdfStream tu)
        {
            try { f._toUnicode = CMap.Parse(doc.DecodeStream(tu).Data, doc.Options.CheckBudget); }
            catch (PdfFormatException) { }
        }
        if (subtype == "Type0")
        {
            f.Composite = true;
            var enc = doc.Resolve(dict.Get("Encoding"));
            if (enc is PdfStream es)
            {
                try { f._encodingCMap = CMap.Parse(doc.DecodeStream(es).Data, doc.Options.CheckBudget); }
                catch (PdfFormatException) { }
            }
            var desc = doc.Resolve(dict.Get("DescendantFonts")) is PdfArray da && da.Count > 0 ? doc.ResolveDict(da[0]) : null;
            if (desc is not null)
            {
                f._defaultWidth = PdfValue.Number(doc.Resolve(desc.Get("DW"))) ?? 1000;
                if (doc.Resolve(desc.Get("W")) is PdfArray w) f.ReadCidWidths(w, doc);
            }
            else f._defaultWidth = 1000;
            return f;
        }
        // simple fonts
        var encObj = doc.Resolve(dict.Get("Encoding"));
        bool symbolic = f.BaseFont is { } bf && (bf.Contains("Symbol") || bf.Contains("Dingbats"));
        char[]? baseEnc = subtype == "TrueType" || symbolic ? PdfEncodings.WinAnsi : PdfEncodings.Standard;
        if (encObj is PdfName en) baseEnc = PdfEncodings.ByName(en.Value) ?? baseEnc;
        else if (encObj is PdfDictionary ed)
        {
            baseEnc = PdfEncodings.ByName(PdfValue.Name(doc.Resolve(ed.Get("BaseEncoding")))) ?? baseEnc;
            if (doc.Resolve(ed.Get("Differences")) is PdfArray diff)
            {
                int code = 0;
                foreach (var item in diff.Take(4096))
                {
                    var v = doc.Resolve(item);
                    if (PdfValue.Integer(v) is long c) code = (int)c;
                    else if (v is PdfName gn)
                    {
                        if (code is >= 0 and < 256) f._differences[code] = PdfEncodings.GlyphToUnicode(gn.Value);
                        code++;
                    }
                }
            }
        }
        f._encoding = baseEnc;
        if (subtype == "Type3" && doc.Resolve(dict.Get("FontMatrix")) is PdfArray fm && fm.Count > 0)
            f._widthScale = PdfValue.Number(doc.Resolve(fm[0])) ?? 0.001;
        int first = (int)(PdfValue.Integer(doc.Resolve(dict.Get("FirstChar"))) ?? 0);
        if (doc.Resolve(dict.Get("Widths")) is PdfArray widths)
            for (int i = 0; i < widths.Count && i < 256; i++)
                if (PdfValue.Number(doc.Resolve(widths[i])) is double wv) f._widths[first + i] = wv;
        if (doc.ResolveDict(dict.Get("FontDescriptor")) is { } fd && PdfValue.Number(doc.Resolve(fd.Get("MissingWidth"))) is double mw && mw > 0)
            f._defaultWidth = mw;
        else if (f._widths.Count == 0) f._defaultWidth = 556; // standard 14 fonts: a typical Helvetica advance
        return f;
    }

    private void ReadCidWidths(PdfArray w, PdfDocument doc)
    {
        int i = 0;
        while (i < w.Count && _widths.Count < 100_000)
        {
            var a = PdfValue.Integer(doc.Resolve(w[i]));
            if (a is null) { i++; continue; }
            if (i + 1 < w.Count && doc.Resolve(w[i + 1]) is PdfArray list)
            {
                for (int k = 0; k < list.Count && _widths.Count < 100_000; k++)
                    if (PdfValue.Number(doc.Resolve(list[k])) is double wv) _widths[(int)a.Value + k] = wv;
                i += 2;
            }
            else if (i + 2 < w.Count)
            {
                var b = PdfValue.Integer(doc.Resolve(w[i + 1]));
                var wv = PdfValue.Number(doc.Resolve(w[i + 2]));
                if (b is not null && wv is not null && b - a < 65536)
                    for (long c = a.Value; c <= b && _widths.Count < 100_000; c++) _widths[(int)c] = wv.Value;
                i += 3;
            }
            else break;
        }
    }

    /// <summary>One code of a string: its bytes as an integer, its length, its text and its advance in text space units (glyph width / 1000, or × FontMatrix for Type3).</summary>
    public readonly record struct Glyph(uint Code, int Length, string Text, double Width);

    public IEnumerable<Glyph> Decode(byte[] bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            int len;
            if (Composite)
                len = _encodingCMap is { HasCodespace: true } ecm ? ecm.CodeLength(bytes[i]) : 2;
            else len = 1;
            if (i + len > bytes.Length) len = bytes.Length - i;
            uint code = 0;
            for (int k = 0; k < len; k++) code = (code << 8) | bytes[i + k];
            i += len;
            string text;
            if (_toUnicode is not null && _toUnicode.TryGet(len, code, out var t)) text = t;
            else if (!Composite && code < 256)
            {
                text = _differences[code] ?? (_encoding is not null && _encoding[code] != '\0' ? _encoding[code].ToString() : "");
            }
            else if (Composite && len == 1 && _toUnicode is null) text = PdfEncodings.WinAnsi[code].ToString(); // one-byte identity CMaps (Ghostscript): codes are the source's WinAnsi bytes
            else text = "";
            // width: by CID for composite fonts (Identity mapping assumed), by code for simple fonts
            double w = _widths.TryGetValue((int)code, out var ww) ? ww : _defaultWidth;
            yield return new Glyph(code, len, text, w * _widthScale);
        }
    }
}
