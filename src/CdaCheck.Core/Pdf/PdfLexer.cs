using System.Text;

namespace CdaCheck.Core.Pdf;

/// <summary>A malformed structure in a PDF (recoverable by the caller: recovery scan, skip the object…).</summary>
public sealed class PdfFormatException(string message, long offset = -1) : Exception(message)
{
    public long Offset { get; } = offset;
}

/// <summary>A configured limit was hit while reading a PDF (hostile or pathological input).</summary>
public sealed class PdfLimitException(PdfIssueKind kind, string detail) : Exception(detail)
{
    public PdfIssueKind Kind { get; } = kind;
    public string Detail { get; } = detail;
}

/// <summary>
/// Tokenizer and object parser over a byte buffer (ISO 32000-1 §7.2–7.3). Used for the file
/// structure and, without reference lookahead, for content streams. Nesting is bounded by
/// <see cref="MaxDepth"/>; every loop advances the position.
/// </summary>
public sealed class PdfLexer
{
    public static readonly object ArrayOpen = new();
    public static readonly object ArrayClose = new();
    public static readonly object DictOpen = new();
    public static readonly object DictClose = new();
    public static readonly object Eof = new();
    // boxed once: content streams are mostly small integers
    private static readonly object[] SmallInts = Enumerable.Range(0, 1024).Select(i => (object)(long)i).ToArray();
    private static readonly System.Buffers.SearchValues<byte> StringSpecials = System.Buffers.SearchValues.Create("()\\\r"u8);

    private readonly ReadOnlyMemory<byte> _mem;
    // the same bytes as an array: spans over an array are cheaper to make than ReadOnlyMemory.Span
    private readonly byte[] _arr;
    private readonly int _base;
    private ReadOnlySpan<byte> S => new(_arr, _base, _end);
    private readonly int _end;

    public PdfLexer(ReadOnlyMemory<byte> data, int start = 0, int maxDepth = 64)
    {
        _mem = data;
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var seg) && seg.Array is not null)
        {
            _arr = seg.Array;
            _base = seg.Offset;
        }
        else
        {
            _arr = data.ToArray();
            _base = 0;
        }
        _end = data.Length;
        Pos = start;
        MaxDepth = maxDepth;
    }

    public int Pos { get; set; }
    public int Length => _end;
    public int MaxDepth { get; }
    public ReadOnlySpan<byte> Span => S;
    public ReadOnlyMemory<byte> Memory => _mem;

    public static bool IsWhite(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;
    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';
    public static bool IsRegular(byte b) => !IsWhite(b) && !IsDelimiter(b);

    public void SkipWhite()
    {
        var s = S;
        while (Pos < _end)
        {
            byte b = s[Pos];
            if (IsWhite(b)) { Pos++; continue; }
            if (b == '%')
            {
                while (Pos < _end && s[Pos] != '\n' && s[Pos] != '\r') Pos++;
                continue;
            }
            break;
        }
    }

    /// <summary>Next token: a value (long, double, bool, null via <see cref="PdfNullToken"/>, PdfName, PdfString), a keyword, a delimiter sentinel or <see cref="Eof"/>.</summary>
    public object NextToken()
    {
        SkipWhite();
        if (Pos >= _end) return Eof;
        var s = S;
        byte b = s[Pos];
        switch (b)
        {
            case (byte)'[': Pos++; return ArrayOpen;
            case (byte)']': Pos++; return ArrayClose;
            case (byte)'{': case (byte)'}': Pos++; return PdfKeyword.Of(((char)b).ToString());
            case (byte)'/': return ReadName();
            case (byte)'(': return ReadLiteralString();
            case (byte)'<':
                if (Pos + 1 < _end && s[Pos + 1] == '<') { Pos += 2; return DictOpen; }
                return ReadHexString();
            case (byte)'>':
                if (Pos + 1 < _end && s[Pos + 1] == '>') { Pos += 2; return DictClose; }
                Pos++; return PdfKeyword.Of(">");
            case (byte)')': Pos++; return PdfKeyword.Of(")");
        }
        if (b is (byte)'+' or (byte)'-' or (byte)'.' || (b >= '0' && b <= '9'))
            return ReadNumber();
        int start = Pos;
        while (Pos < _end && IsRegular(s[Pos])) Pos++;
        if (Pos == start) { Pos++; return PdfKeyword.Of("?"); }
        var span = s[start..Pos];
        if (span.SequenceEqual("true"u8)) return true;
        if (span.SequenceEqual("false"u8)) return false;
        if (span.SequenceEqual("null"u8)) return PdfNullToken.Instance;
        return PdfKeyword.Of(span);
    }

    private object ReadNumber()
    {
        int start = Pos;
        var kind = ReadNumberCore(out long value, out double real);
        if (kind == ContentToken.Real) return real;
        if (kind == ContentToken.Operator) return PdfKeyword.Of(S[start..Pos]);
        return value is >= 0 and < 1024 ? SmallInts[value] : value;
    }

    /// <summary>A number at <see cref="Pos"/>, unboxed: Integer (<paramref name="value"/>), Real (<paramref name="real"/>), or Operator when it is not a number after all (e.g. "1a").</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ContentToken ReadNumberCore(out long value, out double real)
    {
        var s = S;
        value = 0; real = 0;
        bool neg = false;
        // Lenient: any run of sign characters; "--5" reads as 5 negated once (as Acrobat does).
        while (Pos < _end && (s[Pos] == '+' || s[Pos] == '-')) { if (s[Pos] == '-') neg = true; Pos++; }
        long ip = 0; int digits = 0;
        while (Pos < _end && s[Pos] >= '0' && s[Pos] <= '9')
        {
            if (digits < 18) ip = ip * 10 + (s[Pos] - '0');
            digits++; Pos++;
        }
        if (Pos < _end && s[Pos] == '.')
        {
            Pos++;
            double frac = 0, scale = 1; int fd = 0;
            while (Pos < _end && s[Pos] >= '0' && s[Pos] <= '9')
            {
                if (fd < 15) { frac = frac * 10 + (s[Pos] - '0'); scale *= 10; fd++; }
                Pos++;
            }
            // tolerate junk like "1.2.3" by skipping remaining regular chars
            while (Pos < _end && IsRegular(s[Pos])) Pos++;
            double v = ip + frac / scale;
            real = neg ? -v : v;
            return ContentToken.Real;
        }
        if (Pos < _end && IsRegular(s[Pos]))
        {
            // not a number after all (e.g. "1a"): read it as a keyword
            while (Pos < _end && IsRegular(s[Pos])) Pos++;
            return ContentToken.Operator;
        }
        value = digits == 0 ? 0 : neg ? -ip : ip;
        return ContentToken.Integer;
    }

    /// <summary>Kinds of <see cref="NextContentToken"/>.</summary>
    public enum ContentToken : byte { Eof, Integer, Real, Operator, Value }

    private static readonly object BoxedTrue = true, BoxedFalse = false;

    /// <summary>
    /// The next token of a content stream as <see cref="ReadObject"/> (without references) reads it, but without
    /// allocating for numbers and operators: an Integer or Real operand, an Operator (its bytes at
    /// <paramref name="opStart"/>, <paramref name="opLength"/> in <see cref="Span"/>; length 0 for a stray delimiter
    /// keyword, which is no operator), any other operand as a Value, or Eof.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public ContentToken NextContentToken(out long integer, out double real, out object? value, out int opStart, out int opLength)
    {
        integer = 0; real = 0; value = null; opStart = 0; opLength = 0;
        // the hot path of content streams (white space, numbers, operators) with the position in a local
        var s = S;
        int p = Pos, end = s.Length;
        while (true)
        {
            if ((uint)p >= (uint)end) { Pos = p; return ContentToken.Eof; }
            byte c = s[p];
            if (CharClass[c] == White) { p++; continue; }
            if (c == '%')
            {
                while (p < end && s[p] != '\n' && s[p] != '\r') p++;
                continue;
            }
            break;
        }
        byte b = s[p];
        if (b - (uint)'0' <= 9)
        {
            // unsigned integer or real: the common case, same arithmetic as ReadNumberCore
            int start = p;
            long ip = 0; int digits = 0;
            while (p < end && s[p] - (uint)'0' <= 9)
            {
                if (digits < 18) ip = ip * 10 + (s[p] - '0');
                digits++; p++;
            }
            if (p >= end || CharClass[s[p]] != Regular) { Pos = p; integer = ip; return ContentToken.Integer; }
            if (s[p] == '.')
            {
                p++;
                double frac = 0, scale = 1; int fd = 0;
                while (p < end && s[p] - (uint)'0' <= 9)
                {
                    if (fd < 15) { frac = frac * 10 + (s[p] - '0'); scale *= 10; fd++; }
                    p++;
                }
                if (p >= end || CharClass[s[p]] != Regular) { Pos = p; real = ip + frac / scale; return ContentToken.Real; }
            }
            Pos = start; // junk after the number ("1.2.3", "1a"): the general reader
            var k = ReadNumberCore(out integer, out real);
            if (k == ContentToken.Operator) { opStart = start; opLength = Pos - start; }
            return k;
        }
        Pos = p;
        if (b is (byte)'+' or (byte)'-' or (byte)'.')
        {
            int start = Pos;
            var k = ReadNumberCore(out integer, out real);
            if (k == ContentToken.Operator) { opStart = start; opLength = Pos - start; }
            return k;
        }
        if (CharClass[b] == Regular)
        {
            int start = p;
            while (p < end && CharClass[s[p]] == Regular) p++;
            Pos = p;
            var span = s[start..p];
            if (span.Length is 4 or 5)
            {
                if (span.SequenceEqual("true"u8)) { value = BoxedTrue; return ContentToken.Value; }
                if (span.SequenceEqual("false"u8)) { value = BoxedFalse; return ContentToken.Value; }
                if (span.SequenceEqual("null"u8)) return ContentToken.Value;
            }
            opStart = start; opLength = p - start;
            return ContentToken.Operator;
        }
        // delimiters: names, strings, arrays, dictionaries, stray closers
        var o = ReadObject(allowRefs: false);
        if (o == Eof) return ContentToken.Eof;
        if (o is PdfKeyword) return ContentToken.Operator;
        value = o;
        return ContentToken.Value;
    }

    private const byte Regular = 0, White = 1, Delimiter = 2;
    private static readonly byte[] CharClass = BuildCharClass();

    private static byte[] BuildCharClass()
    {
        var t = new byte[256];
        for (int i = 0; i < 256; i++) t[i] = IsWhite((byte)i) ? White : IsDelimiter((byte)i) ? Delimiter : Regular;
        return t;
    }

    private PdfName ReadName()
    {
        var s = S;
        Pos++; // '/'
        int start = Pos;
        bool escaped = false;
        while (Pos < _end && IsRegular(s[Pos])) { if (s[Pos] == '#') escaped = true; Pos++; }
        var span = s[start..Pos];
        if (!escaped) return PdfName.Of(span);
        var buf = new List<byte>(span.Length);
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] == '#' && i + 2 < span.Length && Hex(span[i + 1]) >= 0 && Hex(span[i + 2]) >= 0)
            {
                buf.Add((byte)(Hex(span[i + 1]) * 16 + Hex(span[i + 2])));
                i += 2;
            }
            else buf.Add(span[i]);
        }
        return PdfName.Of(Encoding.Latin1.GetString(buf.ToArray()));
    }

    public static int Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private PdfString ReadLiteralString()
    {
        var s = S;
        Pos++; // '('
        int simpleEnd = s[Pos.._end].IndexOfAny(StringSpecials);
        if (simpleEnd >= 0 && s[Pos + simpleEnd] == ')')
        {
            var bytes = s.Slice(Pos, simpleEnd).ToArray();
            Pos += simpleEnd + 1;
            return new PdfString(bytes);
        }
        var buf = new List<byte>(32);
        int depth = 1;
        while (Pos < _end)
        {
            byte b = s[Pos++];
            if (b == '\\')
            {
                if (Pos >= _end) break;
                byte e = s[Pos++];
                switch (e)
                {
                    case (byte)'n': buf.Add(10); break;
                    case (byte)'r': buf.Add(13); break;
                    case (byte)'t': buf.Add(9); break;
                    case (byte)'b': buf.Add(8); break;
                    case (byte)'f': buf.Add(12); break;
                    case (byte)'\r': if (Pos < _end && s[Pos] == '\n') Pos++; break;
                    case (byte)'\n': break;
                    default:
                        if (e >= '0' && e <= '7')
                        {
                            int v = e - '0';
                            for (int k = 0; k < 2 && Pos < _end && s[Pos] >= '0' && s[Pos] <= '7'; k++) v = v * 8 + (s[Pos++] - '0');
                            buf.Add((byte)v);
                        }
                        else buf.Add(e);
                        break;
                }
                continue;
            }
            if (b == '(') depth++;
            else if (b == ')') { if (--depth == 0) break; }
            else if (b == '\r') { if (Pos < _end && s[Pos] == '\n') Pos++; buf.Add(10); continue; }
            buf.Add(b);
        }
        return new PdfString(buf.ToArray());
    }

    private PdfString ReadHexString()
    {
        var s = S;
        Pos++; // '<'
        var buf = new List<byte>(16);
        int hi = -1;
        while (Pos < _end)
        {
            byte b = s[Pos++];
            if (b == '>') break;
            int h = Hex(b);
            if (h < 0) continue;
            if (hi < 0) hi = h;
            else { buf.Add((byte)(hi * 16 + h)); hi = -1; }
        }
        if (hi >= 0) buf.Add((byte)(hi * 16));
        return new PdfString(buf.ToArray(), hex: true);
    }

    /// <summary>
    /// Reads one object. With <paramref name="allowRefs"/>, "n g R" becomes a <see cref="PdfRef"/>.
    /// Returns keywords as <see cref="PdfKeyword"/> (the caller decides what they mean) and <see cref="Eof"/> at the end.
    /// </summary>
    public object? ReadObject(bool allowRefs = true, int depth = 0)
    {
        var t = NextToken();
        return Complete(t, allowRefs, depth);
    }

    private object? Complete(object t, bool allowRefs, int depth)
    {
        if (t is PdfNullToken) return null;
        if (t == ArrayOpen)
        {
            if (depth >= MaxDepth) throw new PdfLimitException(PdfIssueKind.DepthExceeded, $"objects nested deeper than {MaxDepth}");
            var arr = new PdfArray();
            while (true)
            {
                var n = NextToken();
                if (n == ArrayClose || n == Eof) break;
                if (n == DictClose) continue; // stray: ignore
                if (n is PdfKeyword k && allowRefs && (k.Value is "endobj" or "stream" or "obj")) { Pos -= k.Value.Length; break; }
                arr.Add(Complete(n, allowRefs, depth + 1));
            }
            return arr;
        }
        if (t == DictOpen)
        {
            if (depth >= MaxDepth) throw new PdfLimitException(PdfIssueKind.DepthExceeded, $"objects nested deeper than {MaxDepth}");
            var dict = new PdfDictionary();
            while (true)
            {
                var k = NextToken();
                if (k == DictClose || k == Eof) break;
                if (k is PdfKeyword kw && (kw.Value is "endobj" or "stream" or "obj" or "ID")) { Pos -= kw.Value.Length; break; }
                if (k is not PdfName name) continue; // junk key: skip
                var vt = NextToken();
                if (vt == DictClose || vt == Eof) { dict[name.Value] = null; break; }
                var v = Complete(vt, allowRefs, depth + 1);
                dict[name.Value] = v;
            }
            return dict;
        }
        if (allowRefs && t is long num && num >= 0 && num <= int.MaxValue)
        {
            int save = Pos;
            var t2 = NextToken();
            if (t2 is long gen && gen >= 0 && gen <= 65535)
            {
                var t3 = NextToken();
                if (t3 is PdfKeyword { Value: "R" }) return new PdfRef((int)num, (int)gen);
            }
            Pos = save;
            return num;
        }
        return t;
    }

    /// <summary>Finds <paramref name="needle"/> at or after <paramref name="from"/>; -1 when absent.</summary>
    public int IndexOf(ReadOnlySpan<byte> needle, int from)
    {
        if (from < 0) from = 0;
        if (from >= _end) return -1;
        int i = S[from..].IndexOf(needle);
        return i < 0 ? -1 : from + i;
    }
}

/// <summary>The "null" token (C# null is used for the value once parsed).</summary>
public sealed class PdfNullToken
{
    public static readonly PdfNullToken Instance = new();
}
