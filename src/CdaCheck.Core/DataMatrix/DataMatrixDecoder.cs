using System.Text;

namespace CdaCheck.Core.DataMatrix;

public enum DecodeStatus
{
    /// <summary>Finder and clock found, Reed–Solomon and decodation succeeded.</summary>
    Decoded,
    /// <summary>Finder L and clock tracks found with a plausible size, but error correction or decodation failed.</summary>
    LocatedButUndecodable,
    /// <summary>No ECC200 symbol.</summary>
    NotASymbol,
}

/// <summary>A run of payload bytes produced by one encodation mode.</summary>
public readonly record struct EncodationSegment(Encodation Mode, int Start, int Length);

public sealed class DataMatrixResult
{
    public DecodeStatus Status { get; init; }
    /// <summary>Why the symbol is not decoded (null when decoded).</summary>
    public string? Reason { get; init; }
    public SymbolSize? Size { get; init; }
    /// <summary>Payload bytes (FNC1 after the first position is returned as GS 0x1D).</summary>
    public byte[] Payload { get; init; } = [];
    /// <summary>Payload as text (Latin-1, one char per byte).</summary>
    public string Text => Encoding.Latin1.GetString(Payload);
    /// <summary>All codewords after error correction (data then check codewords, symbol order).</summary>
    public byte[] Codewords { get; init; } = [];
    public int ErrorsCorrected { get; init; }
    public IReadOnlyList<EncodationSegment> Segments { get; init; } = [];
    /// <summary>Payload offsets where an FNC1 codeword stood (0 = GS1 / first position).</summary>
    public IReadOnlyList<int> Fnc1 { get; init; } = [];
    public IReadOnlyList<int> Eci { get; init; } = [];
    /// <summary>Fraction of finder/clock modules with the expected colour.</summary>
    public double FinderScore { get; init; }
    /// <summary>Transform (0-7: rotations by 90° clockwise, +4 when mirrored) that brought the matrix upright.</summary>
    public int Orientation { get; init; }
    /// <summary>The symbol in canonical orientation (finder L bottom-left), without quiet zone.</summary>
    public bool[,]? Modules { get; init; }

    public IEnumerable<Encodation> Modes => Segments.Select(s => s.Mode).Distinct();

    /// <summary>True when every byte of [start, start+length) was produced by <paramref name="mode"/>.</summary>
    public bool IsEncodedIn(Encodation mode, int start, int length)
    {
        if (start + length > Payload.Length) return false;
        for (int i = start; i < start + length; i++)
        {
            bool ok = false;
            foreach (var s in Segments)
                if (i >= s.Start && i < s.Start + s.Length) { ok = s.Mode == mode; break; }
            if (!ok) return false;
        }
        return true;
    }
}

/// <summary>ECC200 decoder working on a module matrix (true = dark).</summary>
public static class DataMatrixDecoder
{
    /// <summary>Finder/clock agreement needed to call a matrix "located".</summary>
    public const double LocatedThreshold = 0.7;

    /// <summary>Decodes an upright symbol (finder L on the left and bottom); light border rows/columns are trimmed.</summary>
    public static DataMatrixResult Decode(bool[,] modules) => DecodeUpright(Trim(modules), 0);

    /// <summary>Tries the 4 rotations and their mirrors; returns the first decoded one, else the best located one.</summary>
    public static DataMatrixResult DecodeAnyOrientation(bool[,] modules)
    {
        var m = Trim(modules);
        int rows0 = m.GetLength(0), cols0 = m.GetLength(1);
        // Finder scores of the 8 orientations, best first (ties: in transform order).
        Span<double> scores = stackalloc double[8];
        Span<int> order = stackalloc int[8];
        int count = 0;
        double maxScore = double.MinValue;
        for (int t = 0; t < 8; t++)
        {
            bool swap = t % 2 == 1;
            var size = SymbolSize.Find(swap ? cols0 : rows0, swap ? rows0 : cols0);
            if (size is null) continue;
            double score = Placement.FinderScore(size, new OrientedReader(m, t));
            maxScore = Math.Max(maxScore, score);
            int pos = count;
            while (pos > 0 && scores[pos - 1] < score) { scores[pos] = scores[pos - 1]; order[pos] = order[pos - 1]; pos--; }
            scores[pos] = score; order[pos] = t;
            count++;
        }
        DataMatrixResult? best = null;
        for (int i = 0; i < count; i++)
        {
            if (scores[i] < LocatedThreshold) break;
            int t = order[i];
            var r = DecodeUpright(Orient(m, t), t);
            if (r.Status == DecodeStatus.Decoded) return r;
            best ??= r;
        }
        return best ?? new DataMatrixResult
        {
            Status = DecodeStatus.NotASymbol,
            Reason = count == 0 ? $"{m.GetLength(0)}×{m.GetLength(1)} is not an ECC200 size" : "no finder L and clock tracks",
            FinderScore = count == 0 ? 0 : maxScore,
        };
    }

    /// <summary>
    /// <see cref="At"/> as an affine map of the indices (rotations and mirrors are affine), computed
    /// once per orientation instead of once per module.
    /// </summary>
    private readonly struct OrientedReader : Placement.IModuleReader
    {
        private readonly bool[,] _m;
        private readonly int _r0, _rr, _rc, _c0, _cr, _cc;

        public OrientedReader(bool[,] m, int t)
        {
            _m = m;
            int rows = m.GetLength(0), cols = m.GetLength(1);
            var (r0, c0) = Source(rows, cols, t, 0, 0);
            var (r1, c1) = Source(rows, cols, t, 1, 0);
            var (r2, c2) = Source(rows, cols, t, 0, 1);
            _r0 = r0; _rr = r1 - r0; _rc = r2 - r0;
            _c0 = c0; _cr = c1 - c0; _cc = c2 - c0;
        }

        public bool At(int row, int col) => _m[_r0 + _rr * row + _rc * col, _c0 + _cr * row + _cc * col];
    }

    /// <summary>
    /// Like <see cref="DecodeAnyOrientation"/>, but when the grid holds a few stray modules around
    /// the symbol (something drawn too close to it), also tries the sub-grids that drop up to
    /// <paramref name="slack"/> rows or columns on each side.
    /// </summary>
    public static DataMatrixResult DecodeInGrid(bool[,] modules, int slack = 2)
    {
        var m = Trim(modules);
        var first = DecodeAnyOrientation(m);
        if (first.Status == DecodeStatus.Decoded) return first;
        DataMatrixResult best = first;
        int rows = m.GetLength(0), cols = m.GetLength(1);
        for (int top = 0; top <= slack; top++)
            for (int bottom = 0; bottom <= slack; bottom++)
                for (int left = 0; left <= slack; left++)
                    for (int right = 0; right <= slack; right++)
                    {
                        if (top + bottom + left + right == 0) continue;
                        int r = rows - top - bottom, c = cols - left - right;
                        if (r < 8 || c < 8 || (SymbolSize.Find(r, c) ?? SymbolSize.Find(c, r)) is null) continue;
                        var sub = new bool[r, c];
                        for (int i = 0; i < r; i++)
                            for (int j = 0; j < c; j++) sub[i, j] = m[i + top, j + left];
                        var res = DecodeAnyOrientation(sub);
                        if (res.Status == DecodeStatus.Decoded) return res;
                        if (res.Status == DecodeStatus.LocatedButUndecodable && (best.Status == DecodeStatus.NotASymbol || res.FinderScore > best.FinderScore))
                            best = res;
                    }
        return best;
    }

    /// <summary>Module (r, c) of <c>Orient(m, t)</c>, read from <paramref name="m"/> without building the oriented copy.</summary>
    public static bool At(bool[,] m, int t, int r, int c)
    {
        (r, c) = Source(m.GetLength(0), m.GetLength(1), t, r, c);
        return m[r, c];
    }

    /// <summary>Where module (r, c) of <c>Orient(m, t)</c> is in <c>m</c> (<paramref name="rows"/> × <paramref name="cols"/>).</summary>
    private static (int Row, int Col) Source(int rows, int cols, int t, int r, int c)
    {
        int k = t % 4;
        // dimensions after each rotation alternate; undo the rotations from the last one
        for (int i = 0; i < k; i++)
        {
            int prevRows = k - i - 1 >= 0 && (k - i - 1) % 2 == 0 ? rows : cols; // rows before this rotation
            (r, c) = (prevRows - 1 - c, r);
        }
        if (t >= 4) c = cols - 1 - c;
        return (r, c);
    }

    /// <summary>Applies transform t: mirror left-right when t ≥ 4, then rotate 90° clockwise (t mod 4) times.</summary>
    public static bool[,] Orient(bool[,] m, int t)
    {
        var cur = m;
        if (t >= 4)
        {
            int rows = cur.GetLength(0), cols = cur.GetLength(1);
            var f = new bool[rows, cols];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) f[r, c] = cur[r, cols - 1 - c];
            cur = f;
        }
        for (int k = 0; k < t % 4; k++)
        {
            int rows = cur.GetLength(0), cols = cur.GetLength(1);
            var rot = new bool[cols, rows];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) rot[c, rows - 1 - r] = cur[r, c];
            cur = rot;
        }
        return cur;
    }

    /// <summary>Removes all-light rows and columns around the symbol (quiet zone).</summary>
    public static bool[,] Trim(bool[,] m)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        int top = 0, bottom = rows - 1, left = 0, right = cols - 1;
        bool RowLight(int r) { for (int c = left; c <= right; c++) if (m[r, c]) return false; return true; }
        bool ColLight(int c) { for (int r = top; r <= bottom; r++) if (m[r, c]) return false; return true; }
        while (top <= bottom && RowLight(top)) top++;
        while (bottom >= top && RowLight(bottom)) bottom--;
        while (left <= right && ColLight(left)) left++;
        while (right >= left && ColLight(right)) right--;
        if (top == 0 && left == 0 && bottom == rows - 1 && right == cols - 1) return m;
        if (top > bottom || left > right) return new bool[0, 0];
        var o = new bool[bottom - top + 1, right - left + 1];
        for (int r = top; r <= bottom; r++)
            for (int c = left; c <= right; c++) o[r - top, c - left] = m[r, c];
        return o;
    }

    private static DataMatrixResult DecodeUpright(bool[,] m, int orientation)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        var size = SymbolSize.Find(rows, cols);
        if (size is null)
            return new DataMatrixResult { Status = DecodeStatus.NotASymbol, Reason = $"{rows}×{cols} is not an ECC200 size" };
        double score = Placement.FinderScore(size, m);
        if (score < LocatedThreshold)
            return new DataMatrixResult { Status = DecodeStatus.NotASymbol, Reason = "no finder L and clock tracks", Size = size, FinderScore = score };

        DataMatrixResult Undecodable(string reason, byte[]? cws = null) => new()
        {
            Status = DecodeStatus.LocatedButUndecodable, Reason = reason, Size = size, FinderScore = score,
            Orientation = orientation, Modules = m, Codewords = cws ?? [],
        };

        var map = Placement.Map(size);
        var cw = new byte[size.TotalCodewords];
        for (int i = 0; i < map.Length; i++)
            if (m[map[i].Row, map[i].Col]) cw[i >> 3] |= (byte)(0x80 >> (i & 7));

        int corrected = 0, blocks = size.Blocks, k = size.EccPerBlock;
        for (int b = 0; b < blocks; b++)
        {
            int len = size.DataInBlock(b);
            var block = new byte[len + k];
            for (int i = 0; i < len; i++) block[i] = cw[b + i * blocks];
            for (int i = 0; i < k; i++) block[len + i] = cw[size.DataCodewords + b + i * blocks];
            int n = ReedSolomon.Decode(block, k);
            if (n < 0) return Undecodable($"Reed–Solomon: block {b + 1}/{blocks} has more errors than its {k} check codewords can correct", cw);
            corrected += n;
            for (int i = 0; i < len; i++) cw[b + i * blocks] = block[i];
            for (int i = 0; i < k; i++) cw[size.DataCodewords + b + i * blocks] = block[len + i];
        }

        var dec = new Decodation(cw.AsSpan(0, size.DataCodewords).ToArray());
        string? error = dec.Run();
        if (error is not null) return Undecodable("decodation: " + error, cw);
        return new DataMatrixResult
        {
            Status = DecodeStatus.Decoded, Size = size, FinderScore = score, Orientation = orientation, Modules = m,
            Codewords = cw, ErrorsCorrected = corrected, Payload = dec.Output.ToArray(), Segments = dec.Segments,
            Fnc1 = dec.Fnc1, Eci = dec.Eci,
        };
    }

    /// <summary>Turns data codewords into bytes (ISO/IEC 16022 §5.2).</summary>
    private sealed class Decodation(byte[] cw)
    {
        public List<byte> Output { get; } = new();
        public List<EncodationSegment> Segments { get; } = new();
        public List<int> Fnc1 { get; } = new();
        public List<int> Eci { get; } = new();
        private int _pos;
        private bool _upperShift;
        private string? _trailer;

        private void Emit(Encodation mode, int b)
        {
            if (_upperShift) { b += 128; _upperShift = false; }
            int at = Output.Count;
            Output.Add((byte)(b & 0xFF));
            if (Segments.Count > 0 && Segments[^1].Mode == mode && Segments[^1].Start + Segments[^1].Length == at)
                Segments[^1] = Segments[^1] with { Length = Segments[^1].Length + 1 };
            else Segments.Add(new EncodationSegment(mode, at, 1));
        }

        public string? Run()
        {
            var mode = Encodation.Ascii;
            int guard = 0;
            while (_pos < cw.Length)
            {
                if (++guard > 100_000) return "no progress";
                string? err;
                switch (mode)
                {
                    case Encodation.Ascii:
                        int c = cw[_pos];
                        if (c == 129) { _pos = cw.Length; break; } // pad: end of data
                        err = Ascii(out mode);
                        if (err is not null) return err;
                        break;
                    case Encodation.C40 or Encodation.Text:
                        err = C40Text(mode == Encodation.Text);
                        if (err is not null) return err;
                        mode = Encodation.Ascii;
                        break;
                    case Encodation.X12:
                        err = X12();
                        if (err is not null) return err;
                        mode = Encodation.Ascii;
                        break;
                    case Encodation.Edifact:
                        Edifact();
                        mode = Encodation.Ascii;
                        break;
                    case Encodation.Base256:
                        err = Base256();
                        if (err is not null) return err;
                        mode = Encodation.Ascii;
                        break;
                }
            }
            if (_trailer is not null) foreach (var ch in _trailer) Emit(Encodation.Ascii, ch);
            return null;
        }

        private string? Ascii(out Encodation next)
        {
            next = Encodation.Ascii;
            int c = cw[_pos++];
            if (c == 0) return "codeword 0 is not valid in ASCII mode";
            if (c <= 128) Emit(Encodation.Ascii, c - 1);
            else if (c <= 229)
            {
                int v = c - 130;
                Emit(Encodation.Ascii, '0' + v / 10);
                Emit(Encodation.Ascii, '0' + v % 10);
            }
            else switch (c)
            {
                case 230: next = Encodation.C40; break;
                case 231: next = Encodation.Base256; break;
                case 232:
                    Fnc1.Add(Output.Count);
                    if (Output.Count > 0) Emit(Encodation.Ascii, 0x1D);
                    break;
                case 233: _pos = Math.Min(cw.Length, _pos + 3); break; // structured append: skip its 3 codewords
                case 234: break; // reader programming
                case 235: _upperShift = true; break;
                case 236 or 237:
                    foreach (var ch in "[)>\u001E" + (c == 236 ? "05" : "06") + "\u001D") Emit(Encodation.Ascii, ch);
                    _trailer = "\u001E\u0004";
                    break;
                case 238: next = Encodation.X12; break;
                case 239: next = Encodation.Text; break;
                case 240: next = Encodation.Edifact; break;
                case 241:
                    if (_pos >= cw.Length) return "ECI without its value";
                    int c1 = cw[_pos++], eci;
                    if (c1 <= 127) eci = c1 - 1;
                    else if (c1 <= 191)
                    {
                        if (_pos >= cw.Length) return "truncated ECI";
                        eci = (c1 - 128) * 254 + (cw[_pos++] - 1) + 127;
                    }
                    else
                    {
                        if (_pos + 1 >= cw.Length) return "truncated ECI";
                        eci = (c1 - 192) * 64516 + (cw[_pos++] - 1) * 254 + (cw[_pos++] - 1) + 16383;
                    }
                    Eci.Add(eci);
                    break;
                default: return $"codeword {c} is not valid in ASCII mode";
            }
            return null;
        }

        private static readonly string C40Shift2 = "!\"#$%&'()*+,-./:;<=>?@[\\]^_";

        private string? C40Text(bool text)
        {
            var mode = text ? Encodation.Text : Encodation.C40;
            int shift = 0;
            Span<int> v = stackalloc int[3];
            while (_pos < cw.Length)
            {
                if (cw[_pos] == 254) { _pos++; return null; }
                if (_pos + 1 >= cw.Length) return null; // single codeword left: ASCII
                int val = cw[_pos] * 256 + cw[_pos + 1] - 1;
                _pos += 2;
                if (val < 0 || val >= 64000) return $"invalid {mode} codeword pair";
                v[0] = val / 1600; v[1] = val / 40 % 40; v[2] = val % 40;
                for (int i = 0; i < 3; i++)
                {
                    int x = v[i];
                    switch (shift)
                    {
                        case 0:
                            if (x < 3) shift = x + 1;
                            else if (x == 3) Emit(mode, ' ');
                            else if (x < 14) Emit(mode, '0' + x - 4);
                            else Emit(mode, (text ? 'a' : 'A') + x - 14);
                            break;
                        case 1:
                            Emit(mode, x);
                            shift = 0;
                            break;
                        case 2:
                            if (x < 27) Emit(mode, C40Shift2[x]);
                            else if (x == 27) { Fnc1.Add(Output.Count); Emit(mode, 0x1D); }
                            else if (x == 30) _upperShift = true;
                            else return $"invalid {mode} shift 2 value {x}";
                            shift = 0;
                            break;
                        case 3:
                            if (!text) Emit(mode, 96 + x);
                            else if (x == 0) Emit(mode, '`');
                            else if (x < 27) Emit(mode, 'A' + x - 1);
                            else Emit(mode, 96 + x);
                            shift = 0;
                            break;
                    }
                }
            }
            return null;
        }

        private string? X12()
        {
            while (_pos < cw.Length)
            {
                if (cw[_pos] == 254) { _pos++; return null; }
                if (_pos + 1 >= cw.Length) return null;
                int val = cw[_pos] * 256 + cw[_pos + 1] - 1;
                _pos += 2;
                if (val < 0 || val >= 64000) return "invalid X12 codeword pair";
                foreach (var x in new[] { val / 1600, val / 40 % 40, val % 40 })
                {
                    if (x == 0) Emit(Encodation.X12, 13);
                    else if (x == 1) Emit(Encodation.X12, '*');
                    else if (x == 2) Emit(Encodation.X12, '>');
                    else if (x == 3) Emit(Encodation.X12, ' ');
                    else if (x < 14) Emit(Encodation.X12, '0' + x - 4);
                    else Emit(Encodation.X12, 'A' + x - 14);
                }
            }
            return null;
        }

        private void Edifact()
        {
            while (_pos < cw.Length)
            {
                if (cw.Length - _pos < 3) return; // remaining 1-2 codewords are ASCII
                int bits = (cw[_pos] << 16) | (cw[_pos + 1] << 8) | cw[_pos + 2];
                for (int i = 0; i < 4; i++)
                {
                    int x = (bits >> (18 - 6 * i)) & 0x3F;
                    if (x == 31)
                    {
                        _pos += (6 * (i + 1) + 7) / 8;
                        return;
                    }
                    Emit(Encodation.Edifact, (x & 0x20) != 0 ? x : x | 0x40);
                }
                _pos += 3;
            }
        }

        private string? Base256()
        {
            int Next() { int p = _pos + 1; int r = 149 * p % 255 + 1; int t = cw[_pos++] - r; return t >= 0 ? t : t + 256; }
            if (_pos >= cw.Length) return "Base256 without length";
            int d1 = Next(), len;
            if (d1 == 0) len = cw.Length - _pos;
            else if (d1 <= 249) len = d1;
            else
            {
                if (_pos >= cw.Length) return "truncated Base256 length";
                len = 250 * (d1 - 249) + Next();
            }
            if (len > cw.Length - _pos) return $"Base256 length {len} runs past the end of the data";
            for (int i = 0; i < len; i++) Emit(Encodation.Base256, Next());
            return null;
        }
    }
}
