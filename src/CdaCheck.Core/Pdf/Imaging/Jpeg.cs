using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CdaCheck.Core.Pdf.Imaging;

/// <summary>
/// JPEG decoder for DCTDecode images (ITU-T T.81): baseline and extended sequential (SOF0/SOF1) and progressive
/// (SOF2) Huffman coding, 8-bit samples, 1–4 components, any sampling factors, restart markers, Adobe APP14 colour
/// transforms (YCbCr, YCCK). Arithmetic coding, lossless and 12-bit JPEG are refused by <see cref="ReadHeader"/>.
/// Output: either the colour samples as the PDF sees them (after the YCbCr/YCCK transform, interleaved, 8 bits) or
/// luminance only (<see cref="JpegOutput.Luma"/>: for YCbCr the Y plane, the chroma planes are entropy-decoded but
/// not transformed). <c>scale</c> 1, 2, 4 or 8 decodes at 1/scale with a reduced inverse DCT (DC only at 8).
/// Corrupt entropy data never throws: what was decoded is kept, the rest is mid-gray.
/// </summary>
public static class Jpeg
{
    public sealed class Header
    {
        public int Width { get; init; }
        public int Height { get; init; }
        public int Components { get; init; }
        public bool Progressive { get; init; }
        /// <summary>Adobe APP14 transform flag (0 none, 1 YCbCr, 2 YCCK) or -1 without the marker.</summary>
        public int AdobeTransform { get; init; } = -1;
        public bool Adobe => AdobeTransform >= 0;
        internal byte[] Ids { get; init; } = [];
    }

    public enum JpegOutput { Samples, Luma }

    internal static readonly byte[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        // guard entries: a corrupt run past 63 lands on a harmless slot
        63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
    ];

    /// <summary>Reads the frame header; null with a reason when the data is not a JPEG this decoder supports.</summary>
    public static Header? ReadHeader(ReadOnlySpan<byte> d, out string? reason)
    {
        reason = null;
        if (d.Length < 4 || d[0] != 0xFF || d[1] != 0xD8) { reason = "no JPEG SOI marker"; return null; }
        int pos = 2, adobe = -1;
        while (pos + 3 < d.Length)
        {
            if (d[pos] != 0xFF) { pos++; continue; }
            int m = d[pos + 1];
            pos += 2;
            if (m == 0xFF) { pos--; continue; }
            if (m == 0 || m == 0x01 || m is >= 0xD0 and <= 0xD8) continue;
            if (m == 0xD9) break;
            if (pos + 1 >= d.Length) break;
            int len = (d[pos] << 8) | d[pos + 1];
            if (len < 2 || pos + len > d.Length) { reason = "truncated JPEG marker segment"; return null; }
            var seg = d.Slice(pos + 2, len - 2);
            if (m == 0xEE && seg.Length >= 12 && seg[..5].SequenceEqual("Adobe"u8)) adobe = seg[11];
            if (m is 0xC0 or 0xC1 or 0xC2)
            {
                if (seg.Length < 6) { reason = "truncated JPEG frame header"; return null; }
                int prec = seg[0], h = (seg[1] << 8) | seg[2], w = (seg[3] << 8) | seg[4], n = seg[5];
                if (prec != 8) { reason = $"{prec}-bit JPEG"; return null; }
                if (w == 0 || h == 0) { reason = "JPEG without dimensions (DNL)"; return null; }
                if (n is < 1 or > 4 || seg.Length < 6 + 3 * n) { reason = $"JPEG with {n} components"; return null; }
                var ids = new byte[n];
                for (int i = 0; i < n; i++)
                {
                    ids[i] = seg[6 + 3 * i];
                    int hv = seg[7 + 3 * i];
                    if ((hv >> 4) is < 1 or > 4 || (hv & 15) is < 1 or > 4) { reason = "JPEG with bad sampling factors"; return null; }
                }
                // an APP14 after the frame header still counts (rare): look ahead
                int look = pos + len;
                while (adobe < 0 && look + 3 < d.Length && d[look] == 0xFF && d[look + 1] is not 0xDA and not 0xD9)
                {
                    int l2 = (d[look + 2] << 8) | d[look + 3];
                    if (l2 < 2 || look + 2 + l2 > d.Length) break;
                    if (d[look + 1] == 0xEE && l2 >= 14 && d.Slice(look + 4, 5).SequenceEqual("Adobe"u8)) adobe = d[look + 4 + 11];
                    look += 2 + l2;
                }
                return new Header { Width = w, Height = h, Components = n, Progressive = m == 0xC2, AdobeTransform = adobe, Ids = ids };
            }
            if (m is 0xC3 or >= 0xC5 and <= 0xC7 or >= 0xC9 and <= 0xCB or >= 0xCD and <= 0xCF)
            {
                reason = m is >= 0xC9 and <= 0xCF ? "arithmetic-coded JPEG" : "lossless or hierarchical JPEG";
                return null;
            }
            pos += len;
        }
        reason = "no JPEG frame header";
        return null;
    }

    /// <summary>
    /// Decodes <paramref name="data"/> at 1/<paramref name="scale"/> (1, 2, 4, 8). Returns the samples (row-major, top
    /// row first, <paramref name="channels"/> per pixel) and the output size. <paramref name="colorTransform"/>: the
    /// PDF's /ColorTransform (null: the JPEG's own markers decide). Null when the data is not a supported JPEG.
    /// </summary>
    public static byte[]? Decode(ReadOnlySpan<byte> data, int scale, JpegOutput output, int? colorTransform, Action? budget,
        long maxSamples, out int width, out int height, out int channels)
    {
        width = height = channels = 0;
        var hdr = ReadHeader(data, out _);
        return hdr is null ? null : Decode(data, hdr, scale, output, colorTransform, budget, maxSamples, out width, out height, out channels);
    }

    /// <summary>
    /// <see cref="Decode(ReadOnlySpan{byte}, int, JpegOutput, int?, Action?, long, out int, out int, out int)"/> with the
    /// frame header the caller already read from the same data (<see cref="ReadHeader"/>: not read again).
    /// </summary>
    public static byte[]? Decode(ReadOnlySpan<byte> data, Header hdr, int scale, JpegOutput output, int? colorTransform, Action? budget,
        long maxSamples, out int width, out int height, out int channels)
    {
        width = height = channels = 0;
        bool transform = Transform(hdr, colorTransform);
        bool lumaOnly = output == JpegOutput.Luma && (hdr.Components == 1 || hdr.Components == 3 && transform);
        var dec = new Decoder(scale is 1 or 2 or 4 or 8 ? scale : 1, budget, maxSamples, lumaOnly ? 1 : hdr.Components);
        try { dec.Run(data); }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException) { }
        if (dec.Comps is null) return null;
        return dec.Output(hdr, output, transform, lumaOnly, out width, out height, out channels);
    }

    /// <summary>Does a colour transform apply: YCbCr for 3 components, YCCK for 4 (the PDF's /ColorTransform, else the Adobe flag, else JFIF defaults).</summary>
    private static bool Transform(Header hdr, int? colorTransform)
    {
        int n = hdr.Components;
        if (colorTransform is int ct) return ct != 0 && n >= 3;
        if (hdr.Adobe) return hdr.AdobeTransform != 0;
        return n == 3 && !(hdr.Ids.Length == 3 && hdr.Ids[0] == 'R' && hdr.Ids[1] == 'G' && hdr.Ids[2] == 'B');
    }

    private sealed class Component
    {
        public int Id, H, V, Tq, BlocksPerLine, BlocksPerColumn, SamplesW, SamplesH, Pred, Dc, Ac;
        public short[] Coefs = [];
        public byte[]? Plane;
        public int PlaneW, PlaneH;
    }

    private sealed class Huffman
    {
        public const int FastBits = 10;
        /// <summary>Codes of up to <see cref="FastBits"/> bits: (length &lt;&lt; 8) | symbol, 0 for longer codes.</summary>
        public readonly ushort[] Fast = new ushort[1 << FastBits];
        /// <summary>
        /// AC coefficients whose code and extra bits fit in <see cref="FastBits"/> bits, decoded in one look-up:
        /// (value &lt;&lt; 16) | (run &lt;&lt; 8) | bits consumed; 0 otherwise (end of block, ZRL, longer codes).
        /// </summary>
        public readonly int[] FastAc = new int[1 << FastBits];
        public readonly int[] MaxCode = new int[18];
        public readonly int[] ValPtr = new int[17];
        public readonly int[] MinCode = new int[17];
        public byte[] Values = [];

        public Huffman(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
        {
            Values = values.ToArray();
            int code = 0, k = 0;
            for (int len = 1; len <= 16; len++)
            {
                int n = counts[len - 1];
                ValPtr[len] = k;
                MinCode[len] = code;
                for (int i = 0; i < n; i++, code++, k++)
                {
                    if (len > FastBits || k >= Values.Length) continue;
                    int first = code << (FastBits - len), cnt = 1 << (FastBits - len);
                    int rs = Values[k], size = rs & 15, run = rs >> 4;
                    for (int j = 0; j < cnt && first + j < Fast.Length; j++)
                    {
                        Fast[first + j] = (ushort)((len << 8) | rs);
                        if (size == 0 || len + size > FastBits) continue;
                        // the extra bits follow the code: extend them to the signed value
                        int extra = (j >> (FastBits - len - size)) & ((1 << size) - 1);
                        int value = extra < (1 << (size - 1)) ? extra - (1 << size) + 1 : extra;
                        FastAc[first + j] = (value << 16) | (run << 8) | (len + size);
                    }
                }
                MaxCode[len] = n == 0 ? -1 : code - 1;
                code <<= 1;
            }
            MaxCode[17] = int.MaxValue;
        }
    }

    /// <summary>
    /// The decoder proper. Progressive data keeps every component's coefficients until the last scan; sequential
    /// data is transformed block by block as it is decoded (no coefficient array), and the components the output does
    /// not use (<paramref name="used"/>: the chroma of a luminance-only output) are entropy-decoded and dropped.
    /// </summary>
    private sealed class Decoder(int scale, Action? budget, long maxSamples, int used)
    {
        public Component[]? Comps;
        private readonly ushort[][] _q = new ushort[4][];
        private readonly Huffman?[] _dc = new Huffman?[4], _ac = new Huffman?[4];
        private short[]? _block; // sequential data: the block being decoded
        private int _width, _height, _hMax = 1, _vMax = 1, _mcusX, _mcusY, _restart;
        private bool _progressive;
        // bit reader
        private int _pos, _end, _bitCnt, _eobrun;
        private ulong _bits; // left-aligned: the next bit is bit 63
        private bool _marker;

        public void Run(ReadOnlySpan<byte> d)
        {
            for (int i = 0; i < 4; i++) { _q[i] = new ushort[64]; Array.Fill(_q[i], (ushort)1); }
            int pos = 2;
            _end = d.Length;
            while (pos + 1 < d.Length)
            {
                if (d[pos] != 0xFF) { pos++; continue; }
                int m = d[pos + 1];
                pos += 2;
                if (m == 0xFF) { pos--; continue; }
                if (m == 0 || m == 0x01 || m is >= 0xD0 and <= 0xD8) continue;
                if (m == 0xD9) break;
                if (pos + 1 >= d.Length) break;
                int len = (d[pos] << 8) | d[pos + 1];
                if (len < 2 || pos + len > d.Length) break;
                var seg = d.Slice(pos + 2, len - 2);
                switch (m)
                {
                    case 0xC0: case 0xC1: case 0xC2: if (!Frame(seg, m == 0xC2)) return; break;
                    case 0xC4: Dht(seg); break;
                    case 0xDB: Dqt(seg); break;
                    case 0xDD: if (seg.Length >= 2) _restart = (seg[0] << 8) | seg[1]; break;
                    case 0xDA:
                        if (Comps is null) return;
                        pos = Scan(d, seg, pos + len);
                        continue;
                }
                pos += len;
            }
        }

        private bool Frame(ReadOnlySpan<byte> s, bool progressive)
        {
            if (Comps is not null) return false;
            _progressive = progressive;
            _height = (s[1] << 8) | s[2];
            _width = (s[3] << 8) | s[4];
            int n = s[5];
            var comps = new Component[n];
            for (int i = 0; i < n; i++)
            {
                comps[i] = new Component { Id = s[6 + 3 * i], H = s[7 + 3 * i] >> 4, V = s[7 + 3 * i] & 15, Tq = s[8 + 3 * i] & 3 };
                _hMax = Math.Max(_hMax, comps[i].H);
                _vMax = Math.Max(_vMax, comps[i].V);
            }
            _mcusX = (_width + 8 * _hMax - 1) / (8 * _hMax);
            _mcusY = (_height + 8 * _vMax - 1) / (8 * _vMax);
            long total = 0;
            foreach (var c in comps)
            {
                c.BlocksPerLine = _mcusX * c.H;
                c.BlocksPerColumn = _mcusY * c.V;
                c.SamplesW = (_width * c.H + _hMax - 1) / _hMax;
                c.SamplesH = (_height * c.V + _vMax - 1) / _vMax;
                total += (long)c.BlocksPerLine * c.BlocksPerColumn * 64;
            }
            if (total > maxSamples) return false;
            if (progressive) foreach (var c in comps) c.Coefs = new short[c.BlocksPerLine * c.BlocksPerColumn * 64];
            else
            {
                // sequential: one block of coefficients at a time; the used planes start mid-gray (what is never decoded)
                _block = new short[64];
                int bs = 8 / scale;
                for (int i = 0; i < comps.Length; i++)
                {
                    var c = comps[i];
                    c.Coefs = _block;
                    if (i >= used) continue;
                    c.PlaneW = c.BlocksPerLine * bs;
                    c.PlaneH = c.BlocksPerColumn * bs;
                    c.Plane = new byte[c.PlaneW * c.PlaneH];
                    Array.Fill(c.Plane, (byte)128);
                }
            }
            Comps = comps;
            return true;
        }

        private void Dqt(ReadOnlySpan<byte> s)
        {
            int p = 0;
            while (p < s.Length)
            {
                int pq = s[p] >> 4, tq = s[p] & 3;
                p++;
                var t = _q[tq];
                for (int k = 0; k < 64; k++)
                {
                    if (pq == 0) { if (p >= s.Length) return; t[ZigZag[k]] = s[p++]; }
                    else { if (p + 1 >= s.Length) return; t[ZigZag[k]] = (ushort)((s[p] << 8) | s[p + 1]); p += 2; }
                }
            }
        }

        private void Dht(ReadOnlySpan<byte> s)
        {
            int p = 0;
            while (p + 17 <= s.Length)
            {
                int tc = s[p] >> 4, th = s[p] & 3;
                var counts = s.Slice(p + 1, 16);
                int n = 0;
                foreach (var c in counts) n += c;
                p += 17;
                if (p + n > s.Length || n > 256) return;
                var h = new Huffman(counts, s.Slice(p, n));
                if (tc == 0) _dc[th] = h; else _ac[th] = h;
                p += n;
            }
        }

        /// <summary>Decodes one scan; returns the position of the next marker.</summary>
        private int Scan(ReadOnlySpan<byte> d, ReadOnlySpan<byte> s, int dataStart)
        {
            int ns = s[0];
            var sc = new Component[ns];
            for (int i = 0; i < ns; i++)
            {
                int id = s[1 + 2 * i], tables = s[2 + 2 * i];
                var c = Array.Find(Comps!, x => x.Id == id) ?? throw new InvalidDataException("scan names an unknown component");
                c.Dc = tables >> 4 & 3; c.Ac = tables & 3;
                sc[i] = c;
            }
            int p = 1 + 2 * ns;
            int ss = s[p], se = s[p + 1], ah = s[p + 2] >> 4, al = s[p + 2] & 15;
            if (!_progressive) { ss = 0; se = 63; ah = al = 0; }
            se = Math.Min(se, 63);
            _pos = dataStart; _bits = 0; _bitCnt = 0; _marker = false; _eobrun = 0;
            foreach (var c in sc) c.Pred = 0;

            int kind = !_progressive ? 0 : ss == 0 ? (ah == 0 ? 1 : 2) : (ah == 0 ? 3 : 4);
            int n = 0;
            if (ns == 1)
            {
                var c = sc[0];
                int bw = (c.SamplesW + 7) / 8, bh = (c.SamplesH + 7) / 8;
                for (int by = 0; by < bh; by++)
                {
                    if ((by & 15) == 0) budget?.Invoke();
                    for (int bx = 0; bx < bw; bx++)
                    {
                        if (_restart > 0 && n > 0 && n % _restart == 0) Restart(d, sc);
                        n++;
                        if (_block is null) Block(d, c, (by * c.BlocksPerLine + bx) * 64, kind, ss, se, al);
                        else { Block(d, c, 0, kind, ss, se, al); Emit(c, by, bx); }
                    }
                }
            }
            else
            {
                for (int my = 0; my < _mcusY; my++)
                {
                    if ((my & 7) == 0) budget?.Invoke();
                    for (int mx = 0; mx < _mcusX; mx++)
                    {
                        if (_restart > 0 && n > 0 && n % _restart == 0) Restart(d, sc);
                        n++;
                        foreach (var c in sc)
                            for (int v = 0; v < c.V; v++)
                                for (int h = 0; h < c.H; h++)
                                {
                                    int by = my * c.V + v, bx = mx * c.H + h;
                                    if (_block is null) Block(d, c, (by * c.BlocksPerLine + bx) * 64, kind, ss, se, al);
                                    else { Block(d, c, 0, kind, ss, se, al); Emit(c, by, bx); }
                                }
                    }
                }
            }
            // next marker (skip what is left of the entropy data, and stray restart markers)
            int q = _pos;
            while (q + 1 < d.Length)
            {
                if (d[q] == 0xFF && d[q + 1] != 0 && d[q + 1] != 0xFF && d[q + 1] is not (>= 0xD0 and <= 0xD7)) return q;
                q++;
            }
            return d.Length;
        }

        private void Restart(ReadOnlySpan<byte> d, Component[] sc)
        {
            _bits = 0; _bitCnt = 0; _eobrun = 0;
            foreach (var c in sc) c.Pred = 0;
            int q = _pos;
            while (q + 1 < d.Length && !(d[q] == 0xFF && d[q + 1] is >= 0xD0 and <= 0xD7))
            {
                if (d[q] == 0xFF && d[q + 1] != 0 && d[q + 1] != 0xFF) break; // another marker: no RST, keep going
                q++;
            }
            if (q + 1 < d.Length && d[q] == 0xFF && d[q + 1] is >= 0xD0 and <= 0xD7) q += 2;
            _pos = q;
            _marker = false;
        }

        private void Fill(ReadOnlySpan<byte> d)
        {
            while (_bitCnt <= 56)
            {
                int b = 0;
                if (!_marker && _pos < _end)
                {
                    b = d[_pos];
                    if (b == 0xFF)
                    {
                        int nb = _pos + 1 < _end ? d[_pos + 1] : 0xD9;
                        if (nb == 0) _pos += 2;
                        else if (nb == 0xFF) { _pos++; continue; }
                        else { _marker = true; b = 0; }
                    }
                    else _pos++;
                }
                _bits |= (ulong)b << (56 - _bitCnt);
                _bitCnt += 8;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Bits(ReadOnlySpan<byte> d, int n)
        {
            if (n == 0) return 0;
            if (_bitCnt < n) Fill(d);
            int v = (int)(_bits >> (64 - n));
            _bits <<= n; _bitCnt -= n;
            return v;
        }

        /// <summary>
        /// One AC coefficient from the look-up table, when its code and value fit <see cref="Huffman.FastBits"/> bits:
        /// <paramref name="k"/> advanced by the zero run, the bits consumed, the value given; false when the code is
        /// longer (the caller decodes it the slow way). The caller has filled at least 32 bits.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool FastAc(int[] fastAc, ref int k, out int value)
        {
            int e = fastAc[(int)(_bits >> (64 - Huffman.FastBits))];
            value = e >> 16;
            if (e == 0) return false;
            k += (e >> 8) & 15;
            int l = e & 31;
            _bits <<= l; _bitCnt -= l;
            return true;
        }

        /// <summary>One bit (the correction and sign bits of the refinement scans).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Bit(ReadOnlySpan<byte> d)
        {
            if (_bitCnt == 0) Fill(d);
            int v = (int)(_bits >> 63);
            _bits <<= 1; _bitCnt--;
            return v;
        }

        private int Receive(ReadOnlySpan<byte> d, int s)
        {
            if (s == 0) return 0;
            if (s > 16) s = 16;
            int v = Bits(d, s);
            return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Huff(ReadOnlySpan<byte> d, Huffman? h)
        {
            if (h is null) throw new InvalidDataException("missing Huffman table");
            if (_bitCnt < 16) Fill(d);
            int e = h.Fast[(int)(_bits >> (64 - Huffman.FastBits))];
            if (e == 0) return HuffLong(h);
            int l = e >> 8;
            _bits <<= l; _bitCnt -= l;
            return e & 0xFF;
        }

        /// <summary>Codes longer than <see cref="Huffman.FastBits"/> (at least 16 bits are buffered).</summary>
        private int HuffLong(Huffman h)
        {
            int code = (int)(_bits >> 48);
            for (int len = Huffman.FastBits + 1; len <= 16; len++)
            {
                int c = code >> (16 - len);
                if (c <= h.MaxCode[len])
                {
                    _bits <<= len; _bitCnt -= len;
                    int idx = h.ValPtr[len] + c - h.MinCode[len];
                    return idx >= 0 && idx < h.Values.Length ? h.Values[idx] : 0;
                }
            }
            _bits <<= 16; _bitCnt -= 16; // corrupt code
            return 0;
        }

        private void Block(ReadOnlySpan<byte> d, Component c, int off, int kind, int ss, int se, int al)
        {
            var co = c.Coefs;
            switch (kind)
            {
                case 0: // sequential
                    {
                        int t = Huff(d, _dc[c.Dc]);
                        c.Pred += Receive(d, t);
                        co[off] = (short)c.Pred;
                        var ac = _ac[c.Ac] ?? throw new InvalidDataException("missing Huffman table");
                        var fastAc = ac.FastAc;
                        for (int k = 1; k < 64;)
                        {
                            if (_bitCnt < 32) Fill(d); // a code and its extra bits: 32 bits at most
                            if (FastAc(fastAc, ref k, out int v))
                            {
                                if (k > 63) break;
                                co[off + ZigZag[k]] = (short)v;
                                k++;
                                continue;
                            }
                            int rs = Huff(d, ac), s = rs & 15, r = rs >> 4;
                            if (s == 0) { if (r < 15) break; k += 16; continue; }
                            k += r;
                            if (k > 63) break;
                            co[off + ZigZag[k]] = (short)Receive(d, s);
                            k++;
                        }
                        break;
                    }
                case 1: // DC first
                    {
                        int t = Huff(d, _dc[c.Dc]);
                        c.Pred += Receive(d, t);
                        co[off] = (short)(c.Pred << al);
                        break;
                    }
                case 2: // DC refinement
                    if (Bit(d) != 0) co[off] |= (short)(1 << al);
                    break;
                case 3: // AC first
                    {
                        if (_eobrun > 0) { _eobrun--; break; }
                        var ac = _ac[c.Ac] ?? throw new InvalidDataException("missing Huffman table");
                        var fastAc = ac.FastAc;
                        for (int k = ss; k <= se;)
                        {
                            if (_bitCnt < 32) Fill(d);
                            if (FastAc(fastAc, ref k, out int v))
                            {
                                if (k > 63) break;
                                co[off + ZigZag[k]] = (short)(v * (1 << al));
                                k++;
                                continue;
                            }
                            int rs = Huff(d, ac), s = rs & 15, r = rs >> 4;
                            if (s == 0)
                            {
                                if (r < 15) { _eobrun = (1 << r) - 1 + Bits(d, r); break; }
                                k += 16;
                                continue;
                            }
                            k += r;
                            if (k > 63) break;
                            co[off + ZigZag[k]] = (short)(Receive(d, s) * (1 << al));
                            k++;
                        }
                        break;
                    }
                default: // AC refinement (as libjpeg's decode_mcu_AC_refine)
                    {
                        int p1 = 1 << al, m1 = -1 << al;
                        int k = ss;
                        var ac = _ac[c.Ac];
                        // the block's coefficients and the zig-zag order by reference: k stays within ss..se ≤ 63 and
                        // the block within the array (co[off] is checked), so the per-coefficient checks can go
                        ref short blk = ref co[off];
                        ref byte zz = ref MemoryMarshal.GetArrayDataReference(ZigZag);
                        if (_eobrun == 0)
                        {
                            for (; k <= se; k++)
                            {
                                int rs = Huff(d, ac), s = rs & 15, r = rs >> 4;
                                if (s != 0) s = Bit(d) != 0 ? p1 : m1;
                                else if (r != 15) { _eobrun = (1 << r) + Bits(d, r); break; }
                                do
                                {
                                    ref short z = ref Unsafe.Add(ref blk, Unsafe.Add(ref zz, k));
                                    if (z != 0)
                                    {
                                        if (Bit(d) != 0 && (z & p1) == 0) z = (short)(z >= 0 ? z + p1 : z + m1);
                                    }
                                    else if (--r < 0) break;
                                    k++;
                                } while (k <= se);
                                if (s != 0 && k <= se) Unsafe.Add(ref blk, Unsafe.Add(ref zz, k)) = (short)s;
                            }
                        }
                        if (_eobrun > 0)
                        {
                            for (; k <= se; k++)
                            {
                                ref short z = ref Unsafe.Add(ref blk, Unsafe.Add(ref zz, k));
                                if (z != 0 && Bit(d) != 0 && (z & p1) == 0) z = (short)(z >= 0 ? z + p1 : z + m1);
                            }
                            _eobrun--;
                        }
                        break;
                    }
            }
        }

        // ------------------------------------------------------------------ output

        private static readonly float[][] CosTables = BuildCos();

        private static float[][] BuildCos()
        {
            var t = new float[4][];
            int[] sizes = [8, 4, 2, 1];
            for (int i = 0; i < 4; i++)
            {
                int n = sizes[i], sc = 8 / n;
                t[i] = new float[n * 8];
                for (int x = 0; x < n; x++)
                    for (int u = 0; u < 8; u++)
                        t[i][x * 8 + u] = (float)((u == 0 ? Math.Sqrt(0.5) : 1.0) / 2 * Math.Cos((2 * x + 1) * sc * u * Math.PI / 16));
            }
            return t;
        }

        // the 8- and 4-point cosine bases as vectors over the output column x: Basis8[u][x] = cos(x, u), Basis4 likewise
        private static readonly Vector256<float>[] Basis8 = BuildBasis8();
        private static readonly Vector128<float>[] Basis4 = BuildBasis4();

        private static Vector256<float>[] BuildBasis8()
        {
            var t = CosTables[0];
            var b = new Vector256<float>[8];
            for (int u = 0; u < 8; u++) b[u] = Vector256.Create(t[u], t[8 + u], t[16 + u], t[24 + u], t[32 + u], t[40 + u], t[48 + u], t[56 + u]);
            return b;
        }

        private static Vector128<float>[] BuildBasis4()
        {
            var t = CosTables[1];
            var b = new Vector128<float>[4];
            for (int u = 0; u < 4; u++) b[u] = Vector128.Create(t[u], t[8 + u], t[16 + u], t[24 + u]);
            return b;
        }

        /// <summary>Sequential data: the block just decoded into <see cref="_block"/> goes to its plane (if used), then is cleared.</summary>
        private void Emit(Component c, int by, int bx)
        {
            var blk = _block!;
            if (c.Plane is { } plane && by < c.BlocksPerColumn && bx < c.BlocksPerLine)
            {
                int bs = 8 / scale;
                IdctBlock(blk, _q[c.Tq], plane.AsSpan(by * bs * c.PlaneW + bx * bs), c.PlaneW, bs);
            }
            Array.Clear(blk);
        }

        /// <summary>Progressive data, after the last scan: the component's coefficients to its plane.</summary>
        private void Idct(Component c)
        {
            if (_block is not null) return; // sequential: done while decoding
            int bs = 8 / scale;
            c.PlaneW = c.BlocksPerLine * bs;
            c.PlaneH = c.BlocksPerColumn * bs;
            var plane = new byte[c.PlaneW * c.PlaneH];
            var q = _q[c.Tq];
            var co = c.Coefs;
            for (int by = 0; by < c.BlocksPerColumn; by++)
            {
                if ((by & 31) == 0) budget?.Invoke();
                for (int bx = 0; bx < c.BlocksPerLine; bx++)
                    IdctBlock(co.AsSpan((by * c.BlocksPerLine + bx) * 64, 64), q, plane.AsSpan(by * bs * c.PlaneW + bx * bs), c.PlaneW, bs);
            }
            c.Plane = plane;
            c.Coefs = [];
        }

        /// <summary>One block's inverse DCT at 1/scale (bs×bs samples) into <paramref name="dst"/> (row stride <paramref name="stride"/>).</summary>
        private static void IdctBlock(ReadOnlySpan<short> blk, ushort[] q, Span<byte> dst, int stride, int bs)
        {
            if (bs == 1 || blk[1..].IndexOfAnyExcept((short)0) < 0)
            {
                byte dc = Clamp(blk[0] * q[0] / 8f + 128);
                for (int y = 0; y < bs; y++) dst.Slice(y * stride, bs).Fill(dc);
                return;
            }
            if (bs == 8 && Vector256.IsHardwareAccelerated) { Idct8(blk, q, dst, stride); return; } // else the generic sums (no emulated 256-bit vectors)
            if (bs == 4) { Idct4(blk, q, dst, stride); return; }
            var cos = CosTables[bs switch { 8 => 0, 4 => 1, _ => 2 }];
            int nu = bs; // frequencies kept: the low ones at reduced scale
            Span<float> f = stackalloc float[64];
            Span<float> tmp = stackalloc float[64];
            for (int k = 0; k < 64; k++) f[k] = blk[k] * q[k];
            // rows (v = row of frequencies): tmp[v*8+x] = Σu cos(x,u) F(v,u)
            uint rowsUsed = 0;
            for (int v = 0; v < nu; v++)
            {
                var row = f.Slice(v * 8, 8);
                int last = nu - 1; // highest non-zero frequency of the row: the sums stop there
                while (last >= 0 && row[last] == 0) last--;
                if (last < 0) continue;
                rowsUsed |= 1u << v;
                for (int x = 0; x < bs; x++)
                {
                    float s = 0;
                    for (int u = 0; u <= last; u++) s += cos[x * 8 + u] * row[u];
                    tmp[v * 8 + x] = s;
                }
            }
            int lastRow = 31 - System.Numerics.BitOperations.LeadingZeroCount(rowsUsed);
            for (int v = 0; v <= lastRow; v++)
                if ((rowsUsed & (1u << v)) == 0) tmp.Slice(v * 8, bs).Clear();
            for (int y = 0; y < bs; y++)
            {
                int o = y * stride;
                for (int x = 0; x < bs; x++)
                {
                    float s = 128;
                    for (int v = 0; v <= lastRow; v++) s += cos[y * 8 + v] * tmp[v * 8 + x];
                    dst[o + x] = Clamp(s);
                }
            }
        }

        /// <summary>
        /// Full-size inverse DCT of one block (separable, the same float sums as the generic path, 8 columns at a time):
        /// the row pass skips rows of zero frequencies, the column pass stops at the last non-zero row.
        /// </summary>
        private static void Idct8(ReadOnlySpan<short> blk, ushort[] q, Span<byte> dst, int stride)
        {
            var basis = Basis8;
            Span<Vector256<float>> rows = stackalloc Vector256<float>[8];
            int lastRow = -1;
            for (int v = 0; v < 8; v++)
            {
                var r = Vector256<float>.Zero;
                int o = v * 8;
                for (int u = 0; u < 8; u++)
                {
                    int k = blk[o + u];
                    if (k != 0) r += basis[u] * (float)(k * q[o + u]);
                }
                rows[v] = r;
                if (r != Vector256<float>.Zero) lastRow = v;
            }
            var t = CosTables[0];
            for (int y = 0; y < 8; y++)
            {
                var s = Vector256.Create(128f);
                for (int v = 0; v <= lastRow; v++) s += rows[v] * t[y * 8 + v];
                Store8(s, dst.Slice(y * stride, 8));
            }
        }

        /// <summary>Half-size (4×4) inverse DCT of one block: the 4×4 low frequencies, as the generic path.</summary>
        private static void Idct4(ReadOnlySpan<short> blk, ushort[] q, Span<byte> dst, int stride)
        {
            var basis = Basis4;
            var b0 = basis[0]; var b1 = basis[1]; var b2 = basis[2]; var b3 = basis[3];
            Vector128<float> r0 = Row4(blk, q, 0, b0, b1, b2, b3), r1 = Row4(blk, q, 8, b0, b1, b2, b3),
                r2 = Row4(blk, q, 16, b0, b1, b2, b3), r3 = Row4(blk, q, 24, b0, b1, b2, b3);
            var t = CosTables[1];
            for (int y = 0; y < 4; y++)
            {
                int o = y * 8;
                var s = Vector128.Create(128f) + r0 * t[o] + r1 * t[o + 1] + r2 * t[o + 2] + r3 * t[o + 3];
                var i = Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(s + Vector128.Create(0.5f), Vector128<float>.Zero), Vector128.Create(255f)));
                var bytes = Vector128.Narrow(Vector128.Narrow(i, i), Vector128<short>.Zero);
                MemoryMarshal.Write(dst.Slice(y * stride, 4), bytes.AsUInt32().ToScalar());
            }
        }

        private static Vector128<float> Row4(ReadOnlySpan<short> blk, ushort[] q, int o,
            Vector128<float> b0, Vector128<float> b1, Vector128<float> b2, Vector128<float> b3)
            => b0 * (float)(blk[o] * q[o]) + b1 * (float)(blk[o + 1] * q[o + 1]) + b2 * (float)(blk[o + 2] * q[o + 2]) + b3 * (float)(blk[o + 3] * q[o + 3]);

        /// <summary>Rounds and clamps 8 samples to bytes as <see cref="Clamp"/> does.</summary>
        private static void Store8(Vector256<float> s, Span<byte> dst)
        {
            var i = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(s + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256.Create(255f)));
            var w = Vector128.Narrow(i.GetLower(), i.GetUpper());
            var b = Vector128.Narrow(w, Vector128<short>.Zero);
            MemoryMarshal.Write(dst, b.AsUInt64().ToScalar());
        }

        private static byte Clamp(float v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5f);

        public byte[] Output(Header hdr, JpegOutput output, bool transform, bool lumaOnly, out int ow, out int oh, out int channels)
        {
            var comps = Comps!;
            int n = comps.Length;
            ow = (_width + scale - 1) / scale;
            oh = (_height + scale - 1) / scale;
            int used = lumaOnly ? 1 : n;
            for (int i = 0; i < used; i++) Idct(comps[i]);
            channels = output == JpegOutput.Luma ? 1 : n;
            var o = new byte[(long)ow * oh * channels];
            // nearest upsampling: output pixel x → plane column x·H/Hmax
            var xs = new int[n][];
            for (int i = 0; i < used; i++)
            {
                xs[i] = new int[ow];
                for (int x = 0; x < ow; x++) xs[i][x] = Math.Min(comps[i].PlaneW - 1, x * comps[i].H / _hMax);
            }
            Span<int> px = stackalloc int[4];
            Span<int> rows = stackalloc int[4];
            for (int y = 0; y < oh; y++)
            {
                if ((y & 63) == 0) budget?.Invoke();
                if (lumaOnly)
                {
                    var c = comps[0];
                    int row = Math.Min(c.PlaneH - 1, y * c.V / _vMax) * c.PlaneW;
                    var xm = xs[0];
                    int ob = y * ow;
                    if (c.H == _hMax) c.Plane.AsSpan(row, ow).CopyTo(o.AsSpan(ob, ow));
                    else for (int x = 0; x < ow; x++) o[ob + x] = c.Plane![row + xm[x]];
                    continue;
                }
                for (int i = 0; i < n; i++) rows[i] = Math.Min(comps[i].PlaneH - 1, y * comps[i].V / _vMax) * comps[i].PlaneW;
                for (int x = 0; x < ow; x++)
                {
                    for (int i = 0; i < n; i++) px[i] = comps[i].Plane![rows[i] + xs[i][x]];
                    if (transform)
                    {
                        int yy = px[0], cb = px[1] - 128, cr = px[2] - 128;
                        px[0] = Clamp8(yy + ((91881 * cr + 32768) >> 16));
                        px[1] = Clamp8(yy - ((22554 * cb + 46802 * cr - 32768) >> 16));
                        px[2] = Clamp8(yy + ((116130 * cb + 32768) >> 16));
                        if (n == 4) { px[0] = 255 - px[0]; px[1] = 255 - px[1]; px[2] = 255 - px[2]; } // YCCK → CMY(K)
                    }
                    long ob = ((long)y * ow + x) * channels;
                    if (channels == 1)
                    {
                        // luminance of what the components are: gray, RGB or CMYK (as raw samples, no /Decode)
                        o[ob] = n switch
                        {
                            1 => (byte)px[0],
                            3 => (byte)((77 * px[0] + 150 * px[1] + 29 * px[2] + 128) >> 8),
                            2 => (byte)px[0],
                            _ => CmykLuma(px[0], px[1], px[2], px[3], hdr.Adobe),
                        };
                    }
                    else for (int i = 0; i < n; i++) o[ob + i] = (byte)px[i];
                }
            }
            return o;
        }

        private static int Clamp8(int v) => v < 0 ? 0 : v > 255 ? 255 : v;

        /// <summary>Luminance of a CMYK sample; Adobe JPEGs store the inks inverted.</summary>
        private static byte CmykLuma(int c, int m, int y, int k, bool inverted)
        {
            if (!inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
            // c, m, y, k are now 255 − ink
            int r = c * k / 255, g = m * k / 255, b = y * k / 255;
            return (byte)((77 * r + 150 * g + 29 * b + 128) >> 8);
        }
    }
}
