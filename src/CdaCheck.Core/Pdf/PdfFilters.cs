using System.Buffers;
using System.IO.Compression;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Pdf;

/// <summary>
/// Stream filters (ISO 32000-1 §7.4): FlateDecode (with PNG and TIFF predictors), LZWDecode (EarlyChange),
/// ASCIIHexDecode, ASCII85Decode, RunLengthDecode. Image codecs (DCT, JPX, CCITT, JBIG2) are left encoded
/// and named in <see cref="DecodeResult.StoppedAt"/>. Every output is bounded by the caller's maximum.
/// </summary>
public static class PdfFilters
{
    public readonly record struct DecodeResult(byte[] Data, string? StoppedAt, bool Supported);

    /// <summary>Filters that are image codecs: we keep the data encoded and say so.</summary>
    public static bool IsImageCodec(string name) => name is "DCTDecode" or "DCT" or "JPXDecode" or "CCITTFaxDecode" or "CCF" or "JBIG2Decode";

    /// <param name="sizeHint">Expected size of the decoded data (0 when unknown): presizes a final Flate output.</param>
    public static DecodeResult Decode(ReadOnlyMemory<byte> raw, object? filter, object? parms, long maxBytes, Func<object?, object?> resolve, long sizeHint = 0)
    {
        var names = new List<string>(2);
        var plist = new List<PdfDictionary?>(2);
        filter = resolve(filter);
        parms = resolve(parms);
        if (filter is PdfName n) { names.Add(n.Value); plist.Add(resolve(parms is PdfArray pa0 && pa0.Count > 0 ? pa0[0] : parms) as PdfDictionary); }
        else if (filter is PdfArray fa)
        {
            for (int i = 0; i < fa.Count && i < 16; i++)
            {
                if (resolve(fa[i]) is not PdfName fn) continue;
                names.Add(fn.Value);
                plist.Add(parms is PdfArray pa && i < pa.Count ? resolve(pa[i]) as PdfDictionary : parms as PdfDictionary);
            }
        }
        byte[]? cur = null;
        ReadOnlySpan<byte> Data() => cur ?? raw.Span;
        ReadOnlyMemory<byte> Mem() => cur ?? raw;
        for (int i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var p = plist[i];
            switch (name)
            {
                case "FlateDecode": case "Fl":
                    {
                        long hint = i == names.Count - 1 && (PdfValue.Integer(p?.Get("Predictor")) ?? 1) <= 1 ? sizeHint : 0;
                        cur = Predict(Inflate(Mem(), maxBytes, hint), p, maxBytes); break;
                    }
                case "LZWDecode": case "LZW":
                    {
                        int early = (int)(PdfValue.Integer(p?.Get("EarlyChange")) ?? 1);
                        cur = Predict(Lzw(Data(), early != 0, maxBytes), p, maxBytes); break;
                    }
                case "ASCIIHexDecode": case "AHx": cur = AsciiHex(Data()); break;
                case "ASCII85Decode": case "A85": cur = Ascii85(Data()); break;
                case "RunLengthDecode": case "RL": cur = RunLength(Data(), maxBytes); break;
                case "Crypt": break; // identity crypt filter
                default:
                    return new DecodeResult(cur ?? raw.ToArray(), name, IsImageCodec(name));
            }
            if (cur is not null && cur.LongLength > maxBytes) throw Bomb(maxBytes);
        }
        return new DecodeResult(cur ?? raw.ToArray(), null, true);
    }

    /// <summary>
    /// An upper bound of what <see cref="Decode"/> returns for these filters, known without decoding; null when it
    /// cannot be known cheaply or when decoding could fail or report something: a filter or parameter given by
    /// reference, a filter that is not implemented here (image codecs included), or a bound above
    /// <paramref name="maxBytes"/> at any step (the stream might be a bomb).
    /// </summary>
    public static long? DecodedSizeBound(ReadOnlyMemory<byte> raw, object? filter, object? parms, long maxBytes)
    {
        if (filter is PdfRef || parms is PdfRef) return null;
        var names = new List<string>(2);
        var plist = new List<PdfDictionary?>(2);
        if (filter is PdfName n)
        {
            var p0 = parms is PdfArray pa0 && pa0.Count > 0 ? pa0[0] : parms;
            if (p0 is PdfRef) return null;
            names.Add(n.Value); plist.Add(p0 as PdfDictionary);
        }
        else if (filter is PdfArray fa)
        {
            if (parms is PdfArray pa && pa.Exists(x => x is PdfRef)) return null;
            for (int i = 0; i < fa.Count && i < 16; i++)
            {
                if (fa[i] is PdfRef) return null;
                if (fa[i] is not PdfName fn) continue;
                names.Add(fn.Value);
                plist.Add(parms is PdfArray pa2 && i < pa2.Count ? pa2[i] as PdfDictionary : parms as PdfDictionary);
            }
        }
        long bound = raw.Length;
        for (int i = 0; i < names.Count; i++)
        {
            bool predicted = (PdfValue.Integer(plist[i]?.Get("Predictor")) ?? 1) > 1;
            switch (names[i])
            {
                case "FlateDecode": case "Fl":
                    // deflate cannot expand more than 1032:1 (a 258-byte match in 2 bits); a zlib stream made of stored
                    // blocks only (incompressible data) gives its exact size from the block headers
                    bound = i == 0 && StoredZlibSize(raw.Span) is long stored ? stored : bound * 1032 + 1024;
                    break;
                case "LZWDecode": case "LZW": bound = (bound * 8 / 9 + 1) * 4097; break; // a code of 9 bits or more emits at most 4097 bytes
                case "ASCIIHexDecode": case "AHx": bound = bound / 2 + 1; break;
                case "ASCII85Decode": case "A85": bound = bound * 4 + 4; break;
                case "RunLengthDecode": case "RL": bound = bound * 64 + 128; break;
                case "Crypt": break;
                default: return null; // image codec or unknown filter: decoding reports it
            }
            // predictors: PNG rows at most add one row to the data, TIFF keeps the size
            if (predicted && names[i] is "FlateDecode" or "Fl" or "LZWDecode" or "LZW") bound *= 2;
            if (bound > maxBytes) return null;
        }
        return bound;
    }

    /// <summary>Decoded size of a zlib stream made only of stored (uncompressed) deflate blocks; null for anything else.</summary>
    internal static long? StoredZlibSize(ReadOnlySpan<byte> d)
    {
        if (d.Length < 2 || (d[0] & 0x0F) != 8 || (d[0] >> 4) > 7 || ((d[0] << 8) | d[1]) % 31 != 0 || (d[1] & 0x20) != 0) return null;
        long total = 0;
        int pos = 2;
        for (int blocks = 0; blocks < 1_000_000; blocks++)
        {
            if (pos + 5 > d.Length) return null;
            int hdr = d[pos];
            if (((hdr >> 1) & 3) != 0) return null; // a compressed block
            int len = d[pos + 1] | (d[pos + 2] << 8), nlen = d[pos + 3] | (d[pos + 4] << 8);
            if (len != (~nlen & 0xFFFF)) return null;
            pos += 5 + len;
            if (pos > d.Length) return null;
            total += len;
            if ((hdr & 1) != 0) return total > 0 ? total : null;
        }
        return null;
    }

    private static PdfLimitException Bomb(long max) =>
        new(PdfIssueKind.DecompressionBomb, $"a stream decompresses to more than {max} bytes");

    /// <summary>zlib inflate; tolerates a missing header, a bad checksum and truncated data (keeps what was decoded).</summary>
    public static byte[] Inflate(ReadOnlySpan<byte> data, long maxBytes) => Inflate(new ReadOnlyMemory<byte>(data.ToArray()), maxBytes, 0);

    /// <summary>
    /// <see cref="Inflate(ReadOnlySpan{byte}, long)"/> over memory that is read in place (no copy of the
    /// compressed bytes); <paramref name="sizeHint"/> (the expected output size, 0 when unknown) presizes the output.
    /// </summary>
    public static byte[] Inflate(ReadOnlyMemory<byte> data, long maxBytes, long sizeHint = 0)
    {
        if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var seg) || seg.Array is null)
            seg = new ArraySegment<byte>(data.ToArray());
        var r = TryInflate(seg, 0, zlib: true, maxBytes, sizeHint, out bool ok);
        if (ok || r.Length > 0) return r;
        // raw deflate, with or without a (broken) zlib header
        var r2 = TryInflate(seg, 2, zlib: false, maxBytes, sizeHint, out ok);
        if (ok || r2.Length > 0) return r2;
        return TryInflate(seg, 0, zlib: false, maxBytes, sizeHint, out _);
    }

    private const int InflateChunk = 16384;
    [ThreadStatic] private static byte[]? _inflateScratch;

    private static byte[] TryInflate(ArraySegment<byte> seg, int skip, bool zlib, long maxBytes, long sizeHint, out bool ok)
    {
        ok = false;
        if (seg.Count <= skip) { ok = seg.Count == 0; return []; }
        using var input = new MemoryStream(seg.Array!, seg.Offset + skip, seg.Count - skip, writable: false);
        using Stream z = zlib ? new ZLibStream(input, CompressionMode.Decompress) : new DeflateStream(input, CompressionMode.Decompress);
        // output read in chunks of 16 KiB exactly as before (a corrupt stream keeps the same bytes), straight into
        // the output when it has room, else through a scratch chunk. With a size hint the output is presized (no growth,
        // no final copy when the hint is right); without, it grows in pooled buffers and only the result is allocated.
        bool pooled = sizeHint <= 0;
        long initial = pooled ? Math.Min((long)seg.Count * 4 + 64, 1 << 20) : Math.Min(sizeHint, maxBytes);
        var output = pooled ? ArrayPool<byte>.Shared.Rent((int)initial) : new byte[Math.Clamp(initial, 16, Array.MaxLength)];
        var scratch = _inflateScratch ??= new byte[InflateChunk];
        long pos = 0;
        try
        {
            while (true)
            {
                Budget.Check(); // one clock read per 16 KiB of output
                int n;
                if (output.LongLength - pos >= InflateChunk)
                {
                    n = z.Read(output, (int)pos, InflateChunk);
                    if (n <= 0) break;
                    if (pos + n > maxBytes) throw Bomb(maxBytes);
                }
                else
                {
                    n = z.Read(scratch, 0, InflateChunk);
                    if (n <= 0) break;
                    if (pos + n > maxBytes) throw Bomb(maxBytes);
                    if (output.LongLength - pos < n)
                    {
                        long cap = Math.Min(Math.Max(output.LongLength * 2, pos + n), Array.MaxLength);
                        if (pooled)
                        {
                            var bigger = ArrayPool<byte>.Shared.Rent((int)cap);
                            output.AsSpan(0, (int)pos).CopyTo(bigger);
                            ArrayPool<byte>.Shared.Return(output);
                            output = bigger;
                        }
                        else Array.Resize(ref output, (int)cap);
                    }
                    scratch.AsSpan(0, n).CopyTo(output.AsSpan((int)pos));
                }
                pos += n;
            }
            ok = true;
        }
        catch (InvalidDataException) { }
        if (pooled)
        {
            byte[] result = pos == 0 ? [] : output.AsSpan(0, (int)pos).ToArray();
            ArrayPool<byte>.Shared.Return(output);
            return result;
        }
        if (pos == output.LongLength) return output;
        return pos == 0 ? [] : output.AsSpan(0, (int)pos).ToArray();
    }

    /// <summary>PNG (10–15) and TIFF (2) predictors (§7.4.4.4).</summary>
    public static byte[] Predict(byte[] data, PdfDictionary? p, long maxBytes)
    {
        if (p is null) return data;
        int predictor = (int)(PdfValue.Integer(p.Get("Predictor")) ?? 1);
        if (predictor <= 1) return data;
        int colors = Math.Clamp((int)(PdfValue.Integer(p.Get("Colors")) ?? 1), 1, 32);
        int bpc = (int)(PdfValue.Integer(p.Get("BitsPerComponent")) ?? 8);
        if (bpc is not (1 or 2 or 4 or 8 or 16)) bpc = 8;
        long columnsL = PdfValue.Integer(p.Get("Columns")) ?? 1;
        if (columnsL < 1 || columnsL > 1_000_000) columnsL = 1;
        int columns = (int)columnsL;
        int bpp = Math.Max(1, colors * bpc / 8);
        long rowBytesL = ((long)colors * bpc * columns + 7) / 8;
        if (rowBytesL > data.Length) rowBytesL = Math.Max(1, data.Length); // a row cannot be longer than the data: no huge buffers for a hostile /Columns
        if (rowBytesL > maxBytes || rowBytesL > int.MaxValue / 2) throw Bomb(maxBytes);
        int rowBytes = (int)rowBytesL;
        if (predictor == 2) return Tiff(data, colors, bpc, rowBytes);
        if (predictor < 10) return data;
        int rows = data.Length / (rowBytes + 1);
        if (data.Length % (rowBytes + 1) != 0) rows++;
        var output = new byte[(long)rows * rowBytes];
        var prev = new byte[rowBytes];
        int outPos = 0;
        long sinceBudget = 0;
        for (int r = 0, inPos = 0; r < rows; r++)
        {
            sinceBudget += rowBytes;
            if (sinceBudget >= 0x10000) { sinceBudget = 0; Budget.Check(); }
            int type = data[inPos++];
            int len = Math.Min(rowBytes, data.Length - inPos);
            var row = output.AsSpan(outPos, rowBytes);
            data.AsSpan(inPos, len).CopyTo(row);
            inPos += len;
            switch (type)
            {
                case 0: break;
                case 1: for (int i = bpp; i < rowBytes; i++) row[i] += row[i - bpp]; break;
                case 2: for (int i = 0; i < rowBytes; i++) row[i] += prev[i]; break;
                case 3:
                    for (int i = 0; i < rowBytes; i++)
                        row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prev[i]) >> 1);
                    break;
                case 4:
                    for (int i = 0; i < rowBytes; i++)
                    {
                        int a = i >= bpp ? row[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
                        row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                    }
                    break;
            }
            row.CopyTo(prev);
            outPos += rowBytes;
            if (inPos >= data.Length) { rows = r + 1; break; }
        }
        return outPos == output.Length ? output : output.AsSpan(0, outPos).ToArray();
    }

    private static byte[] Tiff(byte[] data, int colors, int bpc, int rowBytes)
    {
        var o = (byte[])data.Clone();
        int rows = (o.Length + rowBytes - 1) / rowBytes;
        long sinceBudget = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = o.AsSpan(r * rowBytes, Math.Min(rowBytes, o.Length - r * rowBytes)); // the last row may be partial
            int len = row.Length;
            sinceBudget += len;
            if (sinceBudget >= 0x10000) { sinceBudget = 0; Budget.Check(); }
            if (bpc == 8)
            {
                for (int i = colors; i < len; i++) row[i] += row[i - colors];
            }
            else if (bpc == 16)
            {
                for (int i = colors * 2; i + 1 < len; i += 2)
                {
                    int v = ((row[i] << 8) | row[i + 1]) + ((row[i - colors * 2] << 8) | row[i - colors * 2 + 1]);
                    row[i] = (byte)(v >> 8); row[i + 1] = (byte)v;
                }
            }
            else
            {
                int samples = len * 8 / bpc;
                int mask = (1 << bpc) - 1;
                for (int s = colors; s < samples; s++)
                {
                    int v = (GetBits(row, s, bpc) + GetBits(row, s - colors, bpc)) & mask;
                    SetBits(row, s, bpc, v);
                }
            }
        }
        return o;
    }

    internal static int GetBits(ReadOnlySpan<byte> row, int index, int bpc)
    {
        int bit = index * bpc;
        int shift = 8 - bpc - (bit & 7);
        return (row[bit >> 3] >> shift) & ((1 << bpc) - 1);
    }

    private static void SetBits(Span<byte> row, int index, int bpc, int v)
    {
        int bit = index * bpc;
        int shift = 8 - bpc - (bit & 7);
        int mask = ((1 << bpc) - 1) << shift;
        row[bit >> 3] = (byte)((row[bit >> 3] & ~mask) | ((v << shift) & mask));
    }

    public static byte[] Lzw(ReadOnlySpan<byte> data, bool earlyChange, long maxBytes)
    {
        var output = new List<byte>((int)Math.Min(data.Length * 3L, Array.MaxLength)); // sizes in long: the data may be a 1 GB Flate output under a raised limit
        var prefix = new int[4096];
        var suffix = new byte[4096];
        var length = new int[4096];
        for (int i = 0; i < 256; i++) { prefix[i] = -1; suffix[i] = (byte)i; length[i] = 1; }
        int next = 258, codeLen = 9, prev = -1;
        long bitPos = 0, totalBits = data.Length * 8L;
        var tmp = new byte[4096];
        int sinceBudget = 0;
        while (bitPos + codeLen <= totalBits)
        {
            if (++sinceBudget == Budget.Every) { sinceBudget = 0; Budget.Check(); }
            int code = 0;
            for (int i = 0; i < codeLen; i++, bitPos++)
                code = (code << 1) | ((data[(int)(bitPos >> 3)] >> (7 - (int)(bitPos & 7))) & 1);
            if (code == 256) { next = 258; codeLen = 9; prev = -1; continue; }
            if (code == 257) break;
            int entry;
            if (code < next) entry = code;
            else if (code == next && prev >= 0) entry = -2; // KwKwK
            else break; // corrupt
            byte first;
            if (entry == -2)
            {
                // string(prev) + first(prev)
                int l = Emit(prev, prefix, suffix, length, tmp);
                first = tmp[0];
                for (int i = 0; i < l; i++) output.Add(tmp[i]);
                output.Add(first);
            }
            else
            {
                int l = Emit(entry, prefix, suffix, length, tmp);
                first = tmp[0];
                for (int i = 0; i < l; i++) output.Add(tmp[i]);
            }
            if (output.Count > maxBytes) throw Bomb(maxBytes);
            if (prev >= 0 && next < 4096)
            {
                prefix[next] = prev; suffix[next] = first; length[next] = length[prev] + 1;
                next++;
            }
            prev = entry == -2 ? next - 1 : code;
            int limit = earlyChange ? next + 1 : next;
            if (limit >= 512 && codeLen == 9) codeLen = 10;
            if (limit >= 1024 && codeLen == 10) codeLen = 11;
            if (limit >= 2048 && codeLen == 11) codeLen = 12;
        }
        return output.ToArray();
    }

    private static int Emit(int code, int[] prefix, byte[] suffix, int[] length, byte[] tmp)
    {
        int l = length[code];
        if (l > tmp.Length || l <= 0) return 0;
        for (int i = l - 1, c = code; i >= 0 && c >= 0; i--) { tmp[i] = suffix[c]; c = prefix[c]; }
        return l;
    }

    public static byte[] AsciiHex(ReadOnlySpan<byte> data)
    {
        var o = new List<byte>(data.Length / 2);
        int hi = -1;
        foreach (var b in data)
        {
            if (b == '>') break;
            int h = PdfLexer.Hex(b);
            if (h < 0) continue;
            if (hi < 0) hi = h; else { o.Add((byte)(hi * 16 + h)); hi = -1; }
        }
        if (hi >= 0) o.Add((byte)(hi * 16));
        return o.ToArray();
    }

    public static byte[] Ascii85(ReadOnlySpan<byte> data)
    {
        var o = new List<byte>(data.Length / 5 * 4 + 4);
        int start = 0;
        if (data.Length >= 2 && data[0] == '<' && data[1] == '~') start = 2;
        Span<int> group = stackalloc int[5];
        int n = 0;
        for (int i = start; i < data.Length; i++)
        {
            if ((i & 0xFFFF) == 0) Budget.Check();
            byte b = data[i];
            if (b == '~') break;
            if (PdfLexer.IsWhite(b)) continue;
            if (b == 'z' && n == 0) { o.Add(0); o.Add(0); o.Add(0); o.Add(0); continue; }
            if (b < '!' || b > 'u') continue;
            group[n++] = b - '!';
            if (n == 5)
            {
                uint v = 0;
                for (int k = 0; k < 5; k++) v = unchecked(v * 85 + (uint)group[k]);
                o.Add((byte)(v >> 24)); o.Add((byte)(v >> 16)); o.Add((byte)(v >> 8)); o.Add((byte)v);
                n = 0;
            }
        }
        if (n > 1)
        {
            for (int k = n; k < 5; k++) group[k] = 84;
            uint v = 0;
            for (int k = 0; k < 5; k++) v = unchecked(v * 85 + (uint)group[k]);
            for (int k = 0; k < n - 1; k++) o.Add((byte)(v >> (24 - 8 * k)));
        }
        return o.ToArray();
    }

    public static byte[] RunLength(ReadOnlySpan<byte> data, long maxBytes)
    {
        var o = new List<byte>((int)Math.Min(data.Length * 2L, Array.MaxLength));
        int i = 0, runs = 0;
        while (i < data.Length)
        {
            if ((++runs & 0xFFF) == 0) Budget.Check();
            int len = data[i++];
            if (len == 128) break;
            if (len < 128)
            {
                int cnt = Math.Min(len + 1, data.Length - i);
                for (int k = 0; k < cnt; k++) o.Add(data[i + k]);
                i += cnt;
            }
            else
            {
                if (i >= data.Length) break;
                byte b = data[i++];
                for (int k = 0; k < 257 - len; k++) o.Add(b);
            }
            if (o.Count > maxBytes) throw Bomb(maxBytes);
        }
        return o.ToArray();
    }
}
