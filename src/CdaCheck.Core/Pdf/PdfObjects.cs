using System.Globalization;
using System.Text;

namespace CdaCheck.Core.Pdf;

// PDF object model (ISO 32000-1 §7.3). Values are plain CLR objects:
// null, bool, long (integer), double (real), PdfName, PdfString, PdfArray, PdfDictionary, PdfStream, PdfRef.

/// <summary>A PDF name (without the leading slash, #xx escapes decoded).</summary>
public sealed class PdfName : IEquatable<PdfName>
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PdfName> _common = new(StringComparer.Ordinal);
    public string Value { get; }
    private PdfName(string v) => Value = v;

    public static PdfName Of(string v)
    {
        if (_common.TryGetValue(v, out var n)) return n;
        n = new PdfName(v);
        if (_common.Count < 4096) _common.TryAdd(v, n); // bounded intern table: hostile files cannot grow it
        return n;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, PdfName> _short = new();

    /// <summary>Name from its (unescaped) bytes, without allocating for short names.</summary>
    public static PdfName Of(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 7) return Of(Encoding.Latin1.GetString(bytes));
        ulong key = (ulong)bytes.Length;
        foreach (var b in bytes) key = (key << 8) | b;
        if (_short.TryGetValue(key, out var n)) return n;
        n = Of(Encoding.Latin1.GetString(bytes));
        if (_short.Count < 4096) _short.TryAdd(key, n);
        return n;
    }

    public bool Equals(PdfName? other) => other is not null && other.Value == Value;
    public override bool Equals(object? obj) => obj is PdfName n && n.Value == Value;
    public override int GetHashCode() => Value.GetHashCode();
    public override string ToString() => "/" + Value;
}

/// <summary>A PDF string (literal or hex) as raw bytes.</summary>
public sealed class PdfString(byte[] bytes, bool hex = false)
{
    public byte[] Bytes { get; } = bytes;
    public bool Hex { get; } = hex;

    /// <summary>Text string (§7.9.2.2): UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding.</summary>
    public string ToText()
    {
        var b = Bytes;
        if (b.Length >= 2 && b[0] == 0xFE && b[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(b, 2, (b.Length - 2) & ~1);
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) return Encoding.UTF8.GetString(b, 3, b.Length - 3);
        var sb = new StringBuilder(b.Length);
        foreach (var c in b) sb.Append(PdfEncodings.PdfDoc[c]);
        return sb.ToString();
    }

    public string ToLatin1() => Encoding.Latin1.GetString(Bytes);
    public override string ToString() => ToText();
}

/// <summary>An indirect reference "num gen R".</summary>
public readonly record struct PdfRef(int Num, int Gen)
{
    public override string ToString() => $"{Num} {Gen} R";
}

public sealed class PdfArray : List<object?>
{
    public PdfArray() { }
    public PdfArray(IEnumerable<object?> items) : base(items) { }
}

public class PdfDictionary : Dictionary<string, object?>
{
    public PdfDictionary() : base(StringComparer.Ordinal) { }

    public object? Get(string key) => TryGetValue(key, out var v) ? v : null;
}

/// <summary>A stream: its dictionary and its raw (still encoded) data.</summary>
public sealed class PdfStream(PdfDictionary dict, ReadOnlyMemory<byte> raw, long offset)
{
    public PdfDictionary Dict { get; } = dict;
    public ReadOnlyMemory<byte> Raw { get; } = raw;
    /// <summary>Offset of the data in the file (-1 when the stream came from an object stream).</summary>
    public long Offset { get; } = offset;
    /// <summary>Object number, when known (for locations).</summary>
    public int ObjectNumber { get; set; } = -1;
}

/// <summary>The parser's keyword token (operators in content streams, obj/endobj/R/stream in files).</summary>
public sealed class PdfKeyword
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PdfKeyword> _known = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, PdfKeyword> _short = new();
    public string Value { get; }
    private PdfKeyword(string v) => Value = v;

    public static PdfKeyword Of(string v)
    {
        if (_known.TryGetValue(v, out var k)) return k;
        k = new PdfKeyword(v);
        if (_known.Count < 1024) _known.TryAdd(v, k);
        return k;
    }

    /// <summary>Keyword from its bytes without allocating for short operators (content streams are mostly operators of 1–3 bytes).</summary>
    public static PdfKeyword Of(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is 0 or > 7) return Of(System.Text.Encoding.Latin1.GetString(bytes));
        ulong key = (ulong)bytes.Length;
        foreach (var b in bytes) key = (key << 8) | b;
        if (_short.TryGetValue(key, out var k)) return k;
        k = Of(System.Text.Encoding.Latin1.GetString(bytes));
        if (_short.Count < 1024) _short.TryAdd(key, k);
        return k;
    }

    public override string ToString() => Value;
}

/// <summary>Typed helpers over untyped PDF values.</summary>
public static class PdfValue
{
    public static double? Number(object? o) => o switch
    {
        long l => l,
        double d => d,
        int i => i,
        _ => null,
    };

    public static long? Integer(object? o) => o switch
    {
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
        int i => i,
        _ => null,
    };

    public static string? Name(object? o) => (o as PdfName)?.Value;

    /// <summary>The product of non-negative factors (sizes read from the file), or null when one is negative or it passes long.MaxValue.</summary>
    public static long? CheckedProduct(params ReadOnlySpan<long> factors)
    {
        long r = 1;
        foreach (var f in factors)
        {
            if (f < 0) return null;
            if (f != 0 && r > long.MaxValue / f) return null;
            r *= f;
        }
        return r;
    }

    public static string Format(object? o) => o switch
    {
        null => "null",
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => o.ToString() ?? "",
    };
}
