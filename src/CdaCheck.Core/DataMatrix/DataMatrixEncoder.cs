using System.Text;

namespace CdaCheck.Core.DataMatrix;

/// <summary>Encodation modes of ECC200 (ISO/IEC 16022 §5.2).</summary>
public enum Encodation { Ascii, C40, Text, X12, Edifact, Base256 }

public sealed record DataMatrixEncoderOptions
{
    /// <summary>Encode the first N characters in C40 (the ANS INS header: 26). The C40 run is extended by up to two characters so that it fills whole C40 triplets.</summary>
    public int C40PrefixLength { get; init; }
    /// <summary>Mode for the rest of the data (ASCII with digit pairs by default).</summary>
    public Encodation Mode { get; init; } = Encodation.Ascii;
    /// <summary>Force this symbol size (must hold the data).</summary>
    public SymbolSize? Size { get; init; }
    /// <summary>Also consider the rectangular sizes when choosing the smallest symbol.</summary>
    public bool AllowRectangular { get; init; }
}

/// <summary>
/// ECC200 encoder for fixtures and tests: data → codewords (chosen mode, optional C40 prefix) →
/// pads → Reed–Solomon → module placement → module matrix (true = dark), without quiet zone.
/// </summary>
public static class DataMatrixEncoder
{
    public static bool[,] Encode(string text, DataMatrixEncoderOptions? options = null) =>
        Encode(Encoding.Latin1.GetBytes(text), options);

    public static bool[,] Encode(byte[] data, DataMatrixEncoderOptions? options = null)
    {
        var (size, cws) = EncodeCodewords(data, options);
        return Render(size, cws);
    }

    /// <summary>Data codewords (with pads) and the symbol size chosen.</summary>
    public static (SymbolSize Size, byte[] Data) EncodeData(byte[] data, DataMatrixEncoderOptions? options = null)
    {
        options ??= new DataMatrixEncoderOptions();
        var list = new List<byte>();
        int pos = 0, base256Start = -1, edifactEnd = -1;
        if (options.C40PrefixLength > 0)
        {
            int n = Math.Min(options.C40PrefixLength, data.Length);
            // extend to fill whole triplets when possible
            int values = 0;
            for (int i = 0; i < n; i++) values += TripletValues(data[i], Encodation.C40).Count;
            while (values % 3 != 0 && n < data.Length && n < options.C40PrefixLength + 2)
            {
                values += TripletValues(data[n], Encodation.C40).Count;
                n++;
            }
            pos = EncodeTriplets(data, 0, n, Encodation.C40, list);
        }
        switch (options.Mode)
        {
            case Encodation.Ascii: EncodeAscii(data, pos, data.Length, list); break;
            case Encodation.C40 or Encodation.Text or Encodation.X12:
                int done = EncodeTriplets(data, pos, data.Length, options.Mode, list);
                EncodeAscii(data, done, data.Length, list);
                break;
            case Encodation.Edifact:
                int latch = list.Count;
                done = EncodeEdifact(data, pos, list);
                if (list.Count > latch) edifactEnd = latch + 1 + 3 * ((list.Count - latch - 2) / 3) + 3;
                EncodeAscii(data, done, data.Length, list);
                break;
            case Encodation.Base256: base256Start = list.Count; EncodeBase256(data, pos, list); break;
        }
        // A reader takes EDIFACT codewords in groups of 3 only while 3 remain in the symbol: the
        // unlatch group must not end in the last two codewords of a full symbol.
        int need = Math.Max(list.Count, edifactEnd);
        var size = options.Size ?? SymbolSize.All.FirstOrDefault(s => s.DataCodewords >= need && (s.IsSquare || options.AllowRectangular))
            ?? throw new ArgumentException($"{list.Count} codewords do not fit in any ECC200 symbol.");
        if (size.DataCodewords < list.Count)
            throw new ArgumentException($"{list.Count} codewords do not fit in a {size} symbol ({size.DataCodewords}).");
        if (base256Start >= 0)
        {
            // Base256 codewords (length field and data) are randomised by their 1-based position in the data stream.
            for (int i = base256Start + 1; i < list.Count; i++) list[i] = Randomise255(list[i], i + 1);
        }
        if (list.Count < size.DataCodewords)
        {
            list.Add(129);
            while (list.Count < size.DataCodewords)
            {
                int p = list.Count + 1;
                int r = 149 * p % 253 + 1;
                int v = 129 + r;
                if (v > 254) v -= 254;
                list.Add((byte)v);
            }
        }
        return (size, list.ToArray());
    }

    public static (SymbolSize Size, byte[] Codewords) EncodeCodewords(byte[] data, DataMatrixEncoderOptions? options = null)
    {
        var (size, dataCw) = EncodeData(data, options);
        return (size, AddErrorCorrection(size, dataCw));
    }

    /// <summary>Interleaves the data into blocks, computes each block's check codewords, and returns data + check codewords in symbol order.</summary>
    public static byte[] AddErrorCorrection(SymbolSize size, byte[] data)
    {
        var all = new byte[size.TotalCodewords];
        data.CopyTo(all, 0);
        int blocks = size.Blocks, k = size.EccPerBlock;
        for (int b = 0; b < blocks; b++)
        {
            int len = size.DataInBlock(b);
            var block = new byte[len];
            for (int i = 0; i < len; i++) block[i] = data[b + i * blocks];
            var ecc = ReedSolomon.Encode(block, k);
            for (int i = 0; i < k; i++) all[size.DataCodewords + b + i * blocks] = ecc[i];
        }
        return all;
    }

    /// <summary>Places codewords into a module matrix with its finder and clock patterns.</summary>
    public static bool[,] Render(SymbolSize size, byte[] codewords)
    {
        var m = new bool[size.Rows, size.Columns];
        for (int r = 0; r < size.Rows; r++)
            for (int c = 0; c < size.Columns; c++)
                if (Placement.FinderModule(size, r, c) is bool f) m[r, c] = f;
        var map = Placement.Map(size);
        for (int i = 0; i < map.Length; i++)
            m[map[i].Row, map[i].Col] = (codewords[i >> 3] & (0x80 >> (i & 7))) != 0;
        foreach (var (r, c, dark) in Placement.FixedModules(size)) m[r, c] = dark;
        return m;
    }

    internal static byte Randomise255(byte value, int position)
    {
        int r = 149 * position % 255 + 1;
        int v = value + r;
        return (byte)(v <= 255 ? v : v - 256);
    }

    private static void EncodeAscii(byte[] d, int from, int to, List<byte> o)
    {
        for (int i = from; i < to; i++)
        {
            byte b = d[i];
            if (IsDigit(b) && i + 1 < to && IsDigit(d[i + 1]))
            {
                o.Add((byte)(130 + (b - '0') * 10 + (d[i + 1] - '0')));
                i++;
            }
            else if (b >= 128) { o.Add(235); o.Add((byte)(b - 127)); }
            else o.Add((byte)(b + 1));
        }
    }

    private static bool IsDigit(byte b) => b >= '0' && b <= '9';

    /// <summary>C40/Text/X12 values of one byte (empty when X12 cannot encode it).</summary>
    internal static List<int> TripletValues(byte b, Encodation mode)
    {
        var v = new List<int>(4);
        if (mode == Encodation.X12)
        {
            if (b == 13) v.Add(0);
            else if (b == '*') v.Add(1);
            else if (b == '>') v.Add(2);
            else if (b == ' ') v.Add(3);
            else if (IsDigit(b)) v.Add(b - '0' + 4);
            else if (b >= 'A' && b <= 'Z') v.Add(b - 'A' + 14);
            return v;
        }
        if (b >= 128) { v.Add(1); v.Add(30); b -= 128; }
        bool text = mode == Encodation.Text;
        if (b == ' ') v.Add(3);
        else if (IsDigit(b)) v.Add(b - '0' + 4);
        else if (!text && b >= 'A' && b <= 'Z') v.Add(b - 'A' + 14);
        else if (text && b >= 'a' && b <= 'z') v.Add(b - 'a' + 14);
        else if (b < 32) { v.Add(0); v.Add(b); }
        else if (b <= 47) { v.Add(1); v.Add(b - 33); }
        else if (b <= 64) { v.Add(1); v.Add(b - 58 + 15); }
        else if (b <= 95 && !(text && b >= 'A' && b <= 'Z') && b >= 91) { v.Add(1); v.Add(b - 91 + 22); }
        else if (text && b >= 'A' && b <= 'Z') { v.Add(2); v.Add(b - 64); }
        else if (text && b == '`') { v.Add(2); v.Add(0); }
        else if (text) { v.Add(2); v.Add(b - 96); }
        else { v.Add(2); v.Add(b - 96); }
        return v;
    }

    /// <summary>Encodes whole characters of [from, to) in triplets, then unlatches; returns the index of the first byte not encoded.</summary>
    private static int EncodeTriplets(byte[] d, int from, int to, Encodation mode, List<byte> o)
    {
        var values = new List<int>();
        int lastWhole = from; // byte index after the last char that ends on a triplet boundary
        int i = from;
        for (; i < to; i++)
        {
            var v = TripletValues(d[i], mode);
            if (v.Count == 0) break;
            values.AddRange(v);
            if (values.Count % 3 == 0) lastWhole = i + 1;
        }
        int usable = 0;
        for (int j = from; j < lastWhole; j++) usable += TripletValues(d[j], mode).Count;
        if (usable == 0) return from;
        o.Add(mode switch { Encodation.C40 => (byte)230, Encodation.Text => (byte)239, _ => (byte)238 });
        for (int j = 0; j < usable; j += 3)
        {
            int val = 1600 * values[j] + 40 * values[j + 1] + values[j + 2] + 1;
            o.Add((byte)(val >> 8));
            o.Add((byte)(val & 0xFF));
        }
        o.Add(254);
        return lastWhole;
    }

    private static int EncodeEdifact(byte[] d, int from, List<byte> o)
    {
        int i = from;
        var values = new List<int>();
        while (i < d.Length && d[i] >= 32 && d[i] <= 94) values.Add(d[i++] & 0x3F);
        if (values.Count == 0) return from;
        o.Add(240);
        values.Add(31); // unlatch
        int bits = 0, acc = 0;
        foreach (var v in values)
        {
            acc = (acc << 6) | v;
            bits += 6;
            while (bits >= 8) { o.Add((byte)(acc >> (bits - 8))); bits -= 8; acc &= (1 << bits) - 1; }
        }
        if (bits > 0) o.Add((byte)(acc << (8 - bits)));
        return i;
    }

    private static void EncodeBase256(byte[] d, int from, List<byte> o)
    {
        int len = d.Length - from;
        o.Add(231);
        if (len <= 249) o.Add((byte)len);
        else { o.Add((byte)(len / 250 + 249)); o.Add((byte)(len % 250)); }
        for (int i = from; i < d.Length; i++) o.Add(d[i]);
    }
}
