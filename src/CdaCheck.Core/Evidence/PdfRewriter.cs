using System.Globalization;
using System.Text;
using CdaCheck.Core.Pdf;

namespace CdaCheck.Core.Evidence;

/// <summary>
/// Writes an opened <see cref="PdfDocument"/> out again as a full rewrite: only the objects reachable from the
/// trailer's /Root and /Info are written (so replaced content streams and images are gone from the file, not
/// merely unreferenced), renumbered, uncompressed object syntax, a classic cross-reference table. Objects can be
/// replaced by number (<see cref="Overrides"/>); a <see cref="PdfStream"/> met as a direct value (e.g. a new page
/// /Contents) becomes a new indirect object. Stream data is copied as stored (filters kept).
/// </summary>
public sealed class PdfRewriter(PdfDocument doc)
{
    public const int MaxObjects = 500_000;
    public const int MaxNesting = 64;

    /// <summary>Replacements by original object number.</summary>
    public Dictionary<int, object?> Overrides { get; } = new();

    private readonly Dictionary<int, int> _renum = new();
    private readonly Dictionary<object, int> _direct = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<(int New, object? Obj, bool IsOld, int Old)> _queue = new();
    private int _next = 1;

    public byte[] Write(PdfDictionary? info)
    {
        var root = doc.Trailer.Get("Root") ?? throw new PdfFormatException("no /Root in the trailer");
        var ms = new MemoryStream();
        void W(string s) => ms.Write(Encoding.Latin1.GetBytes(s));
        W("%PDF-" + (doc.Version.Length == 3 ? doc.Version : "1.7") + "\n%\u00e2\u00e3\u00cf\u00d3\n");
        var trailer = new StringBuilder("<<");
        trailer.Append(" /Root ");
        Value(trailer, root, 0);
        if (info is not null) trailer.Append(" /Info ").Append(NumberForDirect(info)).Append(" 0 R");
        if (doc.Trailer.Get("ID") is PdfArray id) { trailer.Append(" /ID "); Value(trailer, id, 0); }
        var offsets = new SortedDictionary<int, long>();
        while (_queue.Count > 0)
        {
            doc.Options.CheckBudget?.Invoke();
            if (offsets.Count > MaxObjects) throw new PdfLimitException(PdfIssueKind.TooManyObjects, "too many objects to rewrite");
            var (num, obj, isOld, old) = _queue.Dequeue();
            if (isOld) obj = Overrides.TryGetValue(old, out var o) ? o : doc.GetObject(old);
            offsets[num] = ms.Position;
            W(num.ToString(CultureInfo.InvariantCulture) + " 0 obj\n");
            if (obj is PdfStream s)
            {
                var dict = new StringBuilder();
                var d = new PdfDictionary();
                foreach (var kv in s.Dict) if (kv.Key is not "Length") d[kv.Key] = kv.Value;
                d["Length"] = (long)s.Raw.Length;
                Value(dict, d, 0);
                W(dict.ToString());
                W("\nstream\n");
                ms.Write(s.Raw.Span);
                W("\nendstream");
            }
            else
            {
                var sb = new StringBuilder();
                Value(sb, obj, 0);
                W(sb.ToString());
            }
            W("\nendobj\n");
        }
        long xref = ms.Position;
        int size = _next;
        var x = new StringBuilder();
        x.Append("xref\n0 ").Append(size).Append('\n').Append("0000000000 65535 f \n");
        for (int i = 1; i < size; i++)
            x.Append(offsets.TryGetValue(i, out var off) ? off.ToString("D10", CultureInfo.InvariantCulture) + " 00000 n \n" : "0000000000 65535 f \n");
        trailer.Append(" /Size ").Append(size).Append(" >>");
        x.Append("trailer\n").Append(trailer).Append("\nstartxref\n").Append(xref).Append("\n%%EOF\n");
        W(x.ToString());
        return ms.ToArray();
    }

    private int NumberFor(PdfRef r)
    {
        if (_renum.TryGetValue(r.Num, out var n)) return n;
        n = _next++;
        _renum[r.Num] = n;
        _queue.Enqueue((n, null, true, r.Num));
        return n;
    }

    private int NumberForDirect(object o)
    {
        if (_direct.TryGetValue(o, out var n)) return n;
        n = _next++;
        _direct[o] = n;
        _queue.Enqueue((n, o, false, -1));
        return n;
    }

    private void Value(StringBuilder sb, object? o, int depth)
    {
        if (depth > MaxNesting) throw new PdfLimitException(PdfIssueKind.DepthExceeded, "objects nested too deeply to rewrite");
        switch (o)
        {
            case null: sb.Append("null"); break;
            case PdfNullToken: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(Num(d)); break;
            case PdfName n: Name(sb, n.Value); break;
            case PdfString s: String(sb, s.Bytes); break;
            case PdfRef r:
                // a reference to a missing object is written as null (a dangling reference would be a defect)
                if (!Overrides.ContainsKey(r.Num) && doc.GetObject(r.Num) is null && !_renum.ContainsKey(r.Num)) { sb.Append("null"); break; }
                sb.Append(NumberFor(r)).Append(" 0 R");
                break;
            case PdfStream st: sb.Append(NumberForDirect(st)).Append(" 0 R"); break;
            case PdfArray a:
                sb.Append('[');
                for (int k = 0; k < a.Count; k++) { if (k > 0) sb.Append(' '); Value(sb, a[k], depth + 1); }
                sb.Append(']');
                break;
            case PdfDictionary dict:
                sb.Append("<<");
                foreach (var kv in dict) { sb.Append(' '); Name(sb, kv.Key); sb.Append(' '); Value(sb, kv.Value, depth + 1); }
                sb.Append(" >>");
                break;
            default: sb.Append("null"); break;
        }
    }

    public static string Num(double d)
    {
        if (!double.IsFinite(d)) return "0";
        if (d == Math.Floor(d) && Math.Abs(d) < 1e15) return ((long)d).ToString(CultureInfo.InvariantCulture);
        return d.ToString("0.##########", CultureInfo.InvariantCulture);
    }

    public static void Name(StringBuilder sb, string name)
    {
        sb.Append('/');
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b > 32 && b < 127 && b != '#' && PdfLexer.IsRegular(b)) sb.Append((char)b);
            else sb.Append('#').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A literal string: printable ASCII as is (so raw-byte searches see the text), others as octal escapes.</summary>
    public static void String(StringBuilder sb, byte[] bytes)
    {
        sb.Append('(');
        foreach (var b in bytes)
        {
            if (b is (byte)'(' or (byte)')' or (byte)'\\') sb.Append('\\').Append((char)b);
            else if (b >= 32 && b < 127) sb.Append((char)b);
            else sb.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
        }
        sb.Append(')');
    }
}
