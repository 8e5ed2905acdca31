using System.Text;
using System.Text.RegularExpressions;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Pdf;

/// <summary>What went wrong (or was noteworthy) while reading a PDF; the PDF stage turns these into findings.</summary>
public enum PdfIssueKind
{
    /// <summary>The cross-reference data was unusable; objects were found by scanning the file.</summary>
    XrefBroken,
    /// <summary>A /Prev chain loops back on itself.</summary>
    PrevLoop,
    /// <summary>Object, page tree or Form XObject nesting deeper than the limit (or a cycle).</summary>
    DepthExceeded,
    /// <summary>More objects or pages than the limit.</summary>
    TooManyObjects,
    /// <summary>A stream decompresses beyond the limit.</summary>
    DecompressionBomb,
    /// <summary>A filter the reader does not implement (not an image codec).</summary>
    UnsupportedFilter,
    /// <summary>An image is DCT/JPX/CCITT/JBIG2 encoded: kept encoded, not scanned.</summary>
    ImageCodecSkipped,
    /// <summary>An object could not be parsed.</summary>
    ObjectUnreadable,
    /// <summary>An object needs itself to be read (an object stream holding or extending itself, a /Length pointing at its own object).</summary>
    ReferenceCycle,
    /// <summary>An image declares a size beyond the limit (or one whose byte count overflows).</summary>
    ImageTooLarge,
}

public sealed record PdfIssue(PdfIssueKind Kind, string Detail, int ObjectNumber = -1, long Offset = -1);

/// <summary>Limits applied while reading one PDF.</summary>
public sealed record PdfReadOptions
{
    /// <summary>
    /// Largest decoded stream; held at <see cref="Array.MaxLength"/> (no array holds more, and the document total,
    /// four times this, then stays far from overflowing: --limit decompressed-bytes=8589934591g made it negative).
    /// </summary>
    public long MaxDecompressedBytes { get => _maxDecompressed; init => _maxDecompressed = Math.Clamp(value, 0, Array.MaxLength); }
    private readonly long _maxDecompressed = 128L * 1024 * 1024;
    public int MaxObjects { get; init; } = 500_000;
    public int MaxDepth { get; init; } = 64;
    /// <summary>Called in loops over untrusted structure; throws to stop (see <see cref="ValidationContext.CheckBudget"/>).</summary>
    public Action? CheckBudget { get; init; }

    public static PdfReadOptions From(ValidationContext ctx) => new()
    {
        MaxDecompressedBytes = ctx.Limits.MaxDecompressedBytes,
        MaxObjects = ctx.Limits.MaxPdfObjects,
        MaxDepth = ctx.Limits.MaxPdfDepth,
        CheckBudget = ctx.CheckBudget,
    };
}

/// <summary>A leaf of the page tree with its inherited attributes.</summary>
public sealed class PdfPage
{
    public required int Number { get; init; }
    public required PdfDictionary Dict { get; init; }
    public PdfDictionary? Resources { get; init; }
    /// <summary>[x0 y0 x1 y1] normalised.</summary>
    public required double[] MediaBox { get; init; }
    public int Rotate { get; init; }
    public int ObjectNumber { get; init; } = -1;
}

/// <summary>
/// An opened PDF: header, cross-reference data (classic tables, xref streams, hybrid files, /Prev chains,
/// object streams, recovery by scanning), trailer, catalogue, page tree, Info and XMP facts. Decrypts only what opens with the empty user password (<see cref="PdfCrypt"/>).
/// </summary>
public sealed partial class PdfDocument
{
    private readonly byte[] _data;
    private readonly ReadOnlyMemory<byte> _mem;
    private readonly Dictionary<int, XrefEntry> _xref = new();
    private readonly Dictionary<int, object?> _cache = new();
    private readonly HashSet<int> _resolving = new();
    private readonly HashSet<int> _explicitNull = new();
    private readonly Dictionary<int, ObjStm?> _objStms = new();
    private readonly List<PdfIssue> _issues = new();
    private List<PdfPage>? _pages;
    private bool _recovered;
    private long _decompressedTotal;
    private PdfCrypt? _crypt;
    private int _encryptNum = -1;

    private readonly record struct XrefEntry(byte Type, long Offset, int Gen);
    private sealed record ObjStm(int[] Nums, int[] Offsets, byte[] Data, int First);

    public PdfReadOptions Options { get; }
    public string Version { get; private set; } = "";
    public int HeaderOffset { get; private set; }
    public bool HasStartXref { get; private set; }
    public bool HasEof { get; private set; }
    public bool XrefRecovered => _recovered;
    public bool Encrypted { get; private set; }
    /// <summary>True when the document is encrypted with an empty user password and is read decrypted.</summary>
    public bool Decrypted => _crypt is not null;
    /// <summary>The security handler in short ("RC4 128-bit, R3", "AES-256, R6"), or why it cannot be read ("a user password is set").</summary>
    public string? EncryptionInfo { get; private set; }
    public PdfDictionary Trailer { get; private set; } = new();
    public IReadOnlyList<PdfIssue> Issues => _issues;
    public int Length => _data.Length;
    public int ObjectCount => _xref.Count;
    /// <summary>Names of filters met but not implemented (e.g. an unknown /Foo).</summary>
    public HashSet<string> UnsupportedFilters { get; } = new(StringComparer.Ordinal);

    private PdfDocument(byte[] data, PdfReadOptions options)
    {
        _data = data;
        _mem = data;
        Options = options;
    }

    /// <summary>Opens a PDF. Throws <see cref="PdfFormatException"/> when the bytes are not a PDF, and
    /// <see cref="PdfLimitException"/> when a limit is hit in the file structure.</summary>
    public static PdfDocument Open(byte[] data, PdfReadOptions? options = null)
    {
        var doc = new PdfDocument(data, options ?? new PdfReadOptions());
        doc.ReadHeader();
        doc.ReadXref();
        doc.Encrypted = doc.Trailer.ContainsKey("Encrypt") && doc.Trailer["Encrypt"] is not null;
        if (doc.Encrypted) doc.OpenEncryption();
        if (doc.Catalog?.Get("Version") is PdfName v && IsVersion(v.Value) && string.CompareOrdinal(v.Value, doc.Version) > 0)
            doc.Version = v.Value;
        return doc;
    }

    /// <summary>Sets up decryption when the standard security handler opens with the empty user password.</summary>
    private void OpenEncryption()
    {
        var e = Trailer.Get("Encrypt");
        if (e is PdfRef r) _encryptNum = r.Num;
        if (ResolveDict(e) is not { } enc) { EncryptionInfo = "unreadable /Encrypt dictionary"; return; }
        try
        {
            _crypt = PdfCrypt.TryOpen(enc, Trailer, Resolve, out var why);
            EncryptionInfo = _crypt?.Description ?? why;
        }
        catch (System.Security.Cryptography.CryptographicException) { EncryptionInfo = "unusable keys"; }
        catch (ArgumentException) { EncryptionInfo = "unusable keys"; }
        if (_crypt is null) return;
        // objects read so far (catalogue, object streams) were read encrypted
        _cache.Clear();
        _objStms.Clear();
    }

    /// <summary>Decrypts the strings and stream data of object <paramref name="num"/> read from the file (not from an object stream).</summary>
    private object? Decrypt(object? o, int num, int gen, int depth = 0)
    {
        if (depth > Options.MaxDepth) return o;
        switch (o)
        {
            case PdfString s: return new PdfString(_crypt!.DecryptString(s.Bytes, num, gen), s.Hex);
            case PdfArray a:
                for (int i = 0; i < a.Count; i++) if (a[i] is PdfString or PdfArray or PdfDictionary) a[i] = Decrypt(a[i], num, gen, depth + 1);
                return a;
            case PdfDictionary d:
                foreach (var k in d.Keys.ToList())
                    if (d[k] is PdfString or PdfArray or PdfDictionary) d[k] = Decrypt(d[k], num, gen, depth + 1);
                return d;
            case PdfStream st:
                Decrypt(st.Dict, num, gen, depth + 1);
                var type = PdfValue.Name(st.Dict.Get("Type"));
                if (type == "XRef") return st; // cross-reference streams are never encrypted
                if (type == "Metadata" && !_crypt!.EncryptMetadata) return st;
                if (IdentityCryptFilter(st.Dict)) return st;
                return new PdfStream(st.Dict, _crypt!.DecryptStream(st.Raw.Span, num, gen), st.Offset) { ObjectNumber = st.ObjectNumber };
            default: return o;
        }
    }

    /// <summary>A stream whose first filter is /Crypt with the /Identity crypt filter (or none named): not encrypted.</summary>
    private bool IdentityCryptFilter(PdfDictionary dict)
    {
        var f = Resolve(dict.Get("Filter"));
        string? first = f is PdfArray fa && fa.Count > 0 ? PdfValue.Name(Resolve(fa[0])) : PdfValue.Name(f);
        if (first != "Crypt") return false;
        var p = Resolve(dict.Get("DecodeParms"));
        var p0 = p is PdfArray pa && pa.Count > 0 ? ResolveDict(pa[0]) : ResolveDict(p);
        return (PdfValue.Name(Resolve(p0?.Get("Name"))) ?? "Identity") == "Identity";
    }

    private static bool IsVersion(string v) => v.Length == 3 && char.IsDigit(v[0]) && v[1] == '.' && char.IsDigit(v[2]);

    internal void AddIssue(PdfIssue issue)
    {
        if (_issues.Count < 200 && !_issues.Contains(issue)) _issues.Add(issue);
    }

    private void Budget() => Options.CheckBudget?.Invoke();

    // ---------------------------------------------------------------- header

    private void ReadHeader()
    {
        int limit = Math.Min(_data.Length, 1024);
        int i = _data.AsSpan(0, limit).IndexOf("%PDF-"u8);
        if (i < 0) throw new PdfFormatException("no %PDF- header in the first 1024 bytes", 0);
        HeaderOffset = i;
        int p = i + 5, s = p;
        while (p < _data.Length && p - s < 8 && (char.IsDigit((char)_data[p]) || _data[p] == '.')) p++;
        Version = Encoding.ASCII.GetString(_data, s, p - s);
        if (!IsVersion(Version)) throw new PdfFormatException($"bad version in the %PDF- header ('{Sanitize(Version)}')", i);
    }

    internal static string Sanitize(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 40));
        foreach (var c in s.Take(40)) sb.Append(c is >= ' ' and < '\x7f' ? c : '.');
        return sb.ToString();
    }

    // ---------------------------------------------------------------- cross-reference

    private void ReadXref()
    {
        int tailStart = Math.Max(0, _data.Length - 4096);
        int sx = _data.AsSpan(tailStart).LastIndexOf("startxref"u8);
        if (sx >= 0) sx += tailStart; else sx = _data.AsSpan().LastIndexOf("startxref"u8);
        HasStartXref = sx >= 0;
        int eof = _data.AsSpan().LastIndexOf("%%EOF"u8);
        // objects after the last %%EOF: an update whose end was cut off
        HasEof = eof >= 0 && _data.AsSpan(eof).IndexOf("endobj"u8) < 0;
        if (sx >= 0 && _data.AsSpan(sx).IndexOf("endobj"u8) >= 0) HasStartXref = false;
        bool broken = false;
        if (sx < 0) broken = true;
        else
        {
            var lx = new PdfLexer(_mem, sx + 9, Options.MaxDepth);
            var offTok = lx.NextToken();
            long off = offTok is long l ? l : -1;
            var visited = new HashSet<long>();
            bool first = true;
            while (off >= 0)
            {
                Budget();
                if (!visited.Add(off))
                {
                    AddIssue(new PdfIssue(PdfIssueKind.PrevLoop, $"the /Prev chain loops back to offset {off}", -1, off));
                    break;
                }
                if (visited.Count > 1024)
                {
                    AddIssue(new PdfIssue(PdfIssueKind.PrevLoop, "more than 1024 cross-reference sections", -1, off));
                    break;
                }
                PdfDictionary? trailer = ReadXrefSection(off, HeaderOffset);
                if (trailer is null) { broken = true; break; }
                if (first) { Trailer = trailer; first = false; }
                else
                {
                    foreach (var k in new[] { "Root", "Info", "Encrypt", "ID" })
                        if (!Trailer.ContainsKey(k) && trailer.ContainsKey(k)) Trailer[k] = trailer[k];
                }
                if (PdfValue.Integer(trailer.Get("XRefStm")) is long xs && visited.Add(xs))
                    ReadXrefSection(xs, HeaderOffset);
                off = PdfValue.Integer(trailer.Get("Prev")) ?? -1;
            }
        }
        if (broken || Trailer.Get("Root") is null || Catalog is null)
            Recover("cross-reference data unusable");
    }

    /// <summary>Reads one xref section (table or stream) at <paramref name="off"/>; returns its trailer or null.</summary>
    private PdfDictionary? ReadXrefSection(long off, int headerShift)
    {
        if (off < 0 || off >= _data.Length) 
        {
            if (headerShift > 0 && off + headerShift < _data.Length) return ReadXrefSection(off + headerShift, 0);
            return null;
        }
        try
        {
            var lx = new PdfLexer(_mem, (int)off, Options.MaxDepth);
            lx.SkipWhite();
            if (_data.AsSpan(lx.Pos).StartsWith("xref"u8))
            {
                lx.Pos += 4;
                while (true)
                {
                    Budget();
                    var t = lx.NextToken();
                    if (t is PdfKeyword { Value: "trailer" })
                        return lx.ReadObject() as PdfDictionary;
                    if (t is not long start) return null;
                    if (lx.NextToken() is not long count || count < 0 || start < 0) return null;
                    if (start + count > Options.MaxObjects)
                        throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"the cross-reference table declares {start + count} objects");
                    for (long i = 0; i < count; i++)
                    {
                        if ((i & 1023) == 0) Budget();
                        var o = lx.NextToken();
                        var g = lx.NextToken();
                        var k = lx.NextToken();
                        if (o is not long eo || g is not long eg || k is not PdfKeyword kw) return null;
                        int num = (int)(start + i);
                        if (!_xref.ContainsKey(num))
                            _xref[num] = new XrefEntry(kw.Value == "n" ? (byte)1 : (byte)0, eo, (int)eg);
                    }
                }
            }
            // xref stream
            var (obj, _) = ParseIndirectAt((int)off, -1);
            if (obj is not PdfStream xs || PdfValue.Name(xs.Dict.Get("Type")) != "XRef") 
            {
                if (headerShift > 0) return ReadXrefSection(off + headerShift, 0);
                return null;
            }
            ReadXrefStream(xs);
            return xs.Dict;
        }
        catch (PdfFormatException) { return null; }
        catch (IndexOutOfRangeException) { return null; }
        catch (ArgumentOutOfRangeException) { return null; }
    }

    private void ReadXrefStream(PdfStream xs)
    {
        var w = xs.Dict.Get("W") as PdfArray;
        if (w is null || w.Count < 3) throw new PdfFormatException("xref stream without /W");
        int w0 = (int)(PdfValue.Integer(w[0]) ?? 0), w1 = (int)(PdfValue.Integer(w[1]) ?? 0), w2 = (int)(PdfValue.Integer(w[2]) ?? 0);
        if (w0 is < 0 or > 8 || w1 is < 0 or > 8 || w2 is < 0 or > 8) throw new PdfFormatException("bad /W in xref stream");
        long size = PdfValue.Integer(xs.Dict.Get("Size")) ?? 0;
        if (size > Options.MaxObjects)
            throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"the cross-reference stream declares {size} objects");
        var index = xs.Dict.Get("Index") as PdfArray ?? new PdfArray { 0L, size };
        var data = DecodeStream(xs).Data;
        int rec = w0 + w1 + w2;
        if (rec == 0) return;
        int p = 0;
        for (int i = 0; i + 1 < index.Count; i += 2)
        {
            long start = PdfValue.Integer(index[i]) ?? 0, count = PdfValue.Integer(index[i + 1]) ?? 0;
            if (start < 0 || count < 0 || start + count > Options.MaxObjects)
                throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"the cross-reference stream declares {start + count} objects");
            for (long j = 0; j < count && p + rec <= data.Length; j++, p += rec)
            {
                if ((j & 1023) == 0) Budget();
                long type = w0 == 0 ? 1 : Field(data, p, w0);
                long f2 = Field(data, p + w0, w1);
                long f3 = Field(data, p + w0 + w1, w2);
                int num = (int)(start + j);
                if (_xref.ContainsKey(num)) continue;
                if (type is 0 or 1 or 2) _xref[num] = new XrefEntry((byte)type, f2, (int)f3);
            }
        }
    }

    private static long Field(byte[] d, int p, int w)
    {
        long v = 0;
        for (int i = 0; i < w; i++) v = (v << 8) | d[p + i];
        return v;
    }

    /// <summary>Rebuilds the cross-reference by scanning for "n g obj" and trailers (§7.5.4 recovery, as viewers do).</summary>
    private void Recover(string why)
    {
        if (_recovered) return;
        _recovered = true;
        AddIssue(new PdfIssue(PdfIssueKind.XrefBroken, why));
        var found = new Dictionary<int, XrefEntry>();
        var span = _data.AsSpan();
        int pos = 0;
        int hits = 0;
        while (true)
        {
            int i = span[pos..].IndexOf("obj"u8);
            if (i < 0) break;
            int at = pos + i;
            pos = at + 3;
            if ((++hits & 1023) == 0) Budget();
            if (at > 0 && !PdfLexer.IsWhite(span[at - 1])) continue; // "endobj" and such
            if (at + 3 < span.Length && PdfLexer.IsRegular(span[at + 3])) continue;
            int p = at - 1;
            while (p >= 0 && PdfLexer.IsWhite(span[p])) p--;
            int genEnd = p;
            while (p >= 0 && span[p] >= '0' && span[p] <= '9') p--;
            if (p == genEnd || genEnd - p > 5) continue;
            int genStart = p + 1;
            while (p >= 0 && PdfLexer.IsWhite(span[p])) p--;
            int numEnd = p;
            while (p >= 0 && span[p] >= '0' && span[p] <= '9') p--;
            if (p == numEnd || numEnd - p > 10) continue;
            if (p >= 0 && PdfLexer.IsRegular(span[p])) continue;
            int numStart = p + 1;
            if (!long.TryParse(span[numStart..(numEnd + 1)], out long num) || num > int.MaxValue) continue;
            int.TryParse(span[genStart..(genEnd + 1)], out int gen);
            found[(int)num] = new XrefEntry(1, numStart, gen);
            if (found.Count > Options.MaxObjects)
                throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {Options.MaxObjects} objects");
        }
        // The scan is the truth for objects it found; keep compressed entries of the old table for the rest.
        foreach (var kv in _xref)
            if (kv.Value.Type == 2 && !found.ContainsKey(kv.Key)) found[kv.Key] = kv.Value;
        _xref.Clear();
        foreach (var kv in found) _xref[kv.Key] = kv.Value;
        _cache.Clear();

        // Trailers: the last "trailer" dictionary with /Root wins; else an xref stream dictionary; else a /Catalog.
        PdfDictionary? best = null;
        pos = 0;
        while (true)
        {
            int i = span[pos..].IndexOf("trailer"u8);
            if (i < 0) break;
            pos += i + 7;
            Budget();
            try
            {
                var lx = new PdfLexer(_mem, pos, Options.MaxDepth);
                if (lx.ReadObject() is PdfDictionary d && d.ContainsKey("Root")) best = d;
            }
            catch (PdfFormatException) { }
        }
        // Objects inside object streams the scan cannot see.
        foreach (var kv in found.Where(k => k.Value.Type == 1).OrderBy(k => k.Value.Offset).ToList())
        {
            Budget();
            // quick textual test before parsing
            int start = (int)kv.Value.Offset;
            int len = Math.Min(512, _data.Length - start);
            var head = span.Slice(start, len);
            bool isObjStm = head.IndexOf("/ObjStm"u8) >= 0;
            bool isXRef = head.IndexOf("/XRef"u8) >= 0;
            if (!isObjStm && !isXRef) continue;
            if (GetObject(kv.Key) is not PdfStream s) continue;
            var type = PdfValue.Name(s.Dict.Get("Type"));
            if (type == "XRef" && best is null && s.Dict.ContainsKey("Root")) best = s.Dict;
            if (type == "ObjStm")
            {
                var os = LoadObjStm(kv.Key);
                if (os is null) continue;
                for (int k = 0; k < os.Nums.Length; k++)
                    if (!_xref.ContainsKey(os.Nums[k])) _xref[os.Nums[k]] = new XrefEntry(2, kv.Key, k);
            }
        }
        if (best is null)
        {
            best = new PdfDictionary();
            foreach (var kv in _xref.OrderBy(k => k.Key))
            {
                Budget();
                if (Resolve(new PdfRef(kv.Key, 0)) is PdfDictionary d && PdfValue.Name(d.Get("Type")) == "Catalog")
                { best["Root"] = new PdfRef(kv.Key, kv.Value.Type == 1 ? kv.Value.Gen : 0); break; }
            }
            foreach (var k in new[] { "Info", "Encrypt", "ID" })
                if (Trailer.Get(k) is { } v) best[k] = v;
        }
        Trailer = best;
    }

    // ---------------------------------------------------------------- objects

    /// <summary>Parses "num gen obj … endobj" at an offset. Returns the object and its number.</summary>
    private (object? Obj, int Num) ParseIndirectAt(int offset, int expectedNum)
    {
        var lx = new PdfLexer(_mem, offset, Options.MaxDepth);
        var n = lx.NextToken();
        var g = lx.NextToken();
        var k = lx.NextToken();
        if (n is not long num || g is not long || k is not PdfKeyword { Value: "obj" })
            throw new PdfFormatException("no 'n g obj' at the offset given by the cross-reference", offset);
        if (expectedNum >= 0 && num != expectedNum)
            throw new PdfFormatException($"object {expectedNum} expected, {num} found", offset);
        var obj = lx.ReadObject();
        if (obj is PdfKeyword { Value: "endobj" }) return (null, (int)num);
        if (obj is PdfDictionary dict)
        {
            int save = lx.Pos;
            var t = lx.NextToken();
            if (t is PdfKeyword { Value: "stream" })
                return (ReadStreamData(dict, lx, (int)num), (int)num);
            lx.Pos = save;
        }
        if (obj is PdfKeyword) obj = null;
        return (obj, (int)num);
    }

    private PdfStream ReadStreamData(PdfDictionary dict, PdfLexer lx, int num)
    {
        int p = lx.Pos;
        if (p < _data.Length && _data[p] == '\r') p++;
        if (p < _data.Length && _data[p] == '\n') p++;
        int start = p;
        long len = -1;
        var lenObj = dict.Get("Length");
        if (lenObj is PdfRef r)
        {
            if (r.Num != num) len = PdfValue.Integer(Resolve(r)) ?? -1;
        }
        else len = PdfValue.Integer(lenObj) ?? -1;
        int end = -1;
        if (len >= 0 && start + len <= _data.Length)
        {
            int e = (int)(start + len);
            int q = e;
            while (q < _data.Length && q - e < 16 && PdfLexer.IsWhite(_data[q])) q++;
            if (_data.AsSpan(q).StartsWith("endstream"u8)) end = e;
        }
        if (end < 0)
        {
            int es = _data.AsSpan(start).IndexOf("endstream"u8);
            if (es < 0) end = _data.Length;
            else
            {
                end = start + es;
                if (end > start && _data[end - 1] == '\n') end--;
                if (end > start && _data[end - 1] == '\r') end--;
            }
        }
        return new PdfStream(dict, _mem[start..end], start) { ObjectNumber = num };
    }

    /// <summary>Gets an object by number (null when absent, free or unreadable).</summary>
    public object? GetObject(int num)
    {
        if (_cache.TryGetValue(num, out var cached)) return cached;
        if (!_xref.TryGetValue(num, out var e))
        {
            return null;
        }
        if (_resolving.Count > Options.MaxDepth)
            throw new PdfLimitException(PdfIssueKind.DepthExceeded, $"references nested deeper than {Options.MaxDepth}");
        if (!_resolving.Add(num))
        {
            // cycle (e.g. /Length referring to its own object, an object stream holding itself)
            AddIssue(new PdfIssue(PdfIssueKind.ReferenceCycle, $"object {num} refers back to itself while being read", num));
            return null;
        }
        try
        {
            Budget();
            object? obj = null;
            if (e.Type == 1)
            {
                try
                {
                    if (e.Offset < 0 || e.Offset >= _data.Length) throw new PdfFormatException("offset out of the file", e.Offset);
                    obj = ParseIndirectAt((int)e.Offset, num).Obj;
                    if (obj is null) _explicitNull.Add(num);
                    if (_crypt is not null && num != _encryptNum) obj = Decrypt(obj, num, e.Gen);
                }
                catch (PdfFormatException ex)
                {
                    if (!_recovered)
                    {
                        _resolving.Remove(num);
                        Recover($"object {num}: {ex.Message}");
                        if (!_xref.ContainsKey(num))
                            AddIssue(new PdfIssue(PdfIssueKind.ObjectUnreadable, $"object {num} is not in the file", num, e.Offset));
                        return GetObject(num);
                    }
                    AddIssue(new PdfIssue(PdfIssueKind.ObjectUnreadable, ex.Message, num, e.Offset));
                }
            }
            else if (e.Type == 2)
            {
                if ((int)e.Offset == num || _resolving.Contains((int)e.Offset))
                    AddIssue(new PdfIssue(PdfIssueKind.ReferenceCycle, $"object stream {e.Offset} is said to hold object {num}, which is needed to read it", num));
                var os = LoadObjStm((int)e.Offset);
                if (os is null || Array.IndexOf(os.Nums, num) < 0)
                    AddIssue(new PdfIssue(PdfIssueKind.ObjectUnreadable, $"object {num} is not in object stream {e.Offset}", num));
                if (os is not null)
                {
                    int idx = e.Gen;
                    if (idx < 0 || idx >= os.Nums.Length || os.Nums[idx] != num)
                        idx = Array.IndexOf(os.Nums, num);
                    if (idx >= 0)
                    {
                        int start = os.First + os.Offsets[idx];
                        if (start >= 0 && start < os.Data.Length)
                        {
                            var lx = new PdfLexer(os.Data, start, Options.MaxDepth);
                            obj = lx.ReadObject();
                            if (obj is PdfKeyword) obj = null;
                        }
                    }
                }
            }
            if (obj is PdfStream st) st.ObjectNumber = num;
            _cache[num] = obj;
            return obj;
        }
        finally { _resolving.Remove(num); }
    }

    private ObjStm? LoadObjStm(int num)
    {
        if (_objStms.TryGetValue(num, out var os)) return os;
        _objStms[num] = null; // guards re-entry
        if (GetObject(num) is not PdfStream s) return null;
        try
        {
            int n = (int)Math.Clamp(PdfValue.Integer(s.Dict.Get("N")) ?? 0, 0, Options.MaxObjects);
            int first = (int)(PdfValue.Integer(s.Dict.Get("First")) ?? 0);
            var data = DecodeStream(s).Data;
            if (first < 0 || first > data.Length) return null;
            var lx = new PdfLexer(data, 0, Options.MaxDepth);
            var nums = new List<int>(n);
            var offs = new List<int>(n);
            for (int i = 0; i < n; i++)
            {
                if (lx.NextToken() is not long on || lx.NextToken() is not long oo) break;
                if (on < 0 || on > int.MaxValue || oo < 0 || oo > int.MaxValue) break;
                nums.Add((int)on); offs.Add((int)oo);
            }
            os = new ObjStm(nums.ToArray(), offs.ToArray(), data, first);
            _objStms[num] = os;
            return os;
        }
        catch (PdfFormatException) { return null; }
    }

    /// <summary>Follows references (bounded) and returns the direct object.</summary>
    public object? Resolve(object? o)
    {
        for (int i = 0; i < 32 && o is PdfRef r; i++) o = GetObject(r.Num);
        return o is PdfRef ? null : o;
    }

    public PdfDictionary? ResolveDict(object? o) => Resolve(o) switch
    {
        PdfDictionary d => d,
        PdfStream s => s.Dict,
        _ => null,
    };

    /// <summary>Decodes a stream's data through its filters, bounded by <see cref="PdfReadOptions.MaxDecompressedBytes"/>.</summary>
    /// <param name="sizeHint">Expected decoded size (0 when unknown): presizes the output buffer only.</param>
    public PdfFilters.DecodeResult DecodeStream(PdfStream s, long sizeHint = 0)
    {
        if (s.Dict.ContainsKey("F")) return new PdfFilters.DecodeResult([], "external file", false);
        var r = PdfFilters.Decode(s.Raw, s.Dict.Get("Filter"), s.Dict.Get("DecodeParms") ?? s.Dict.Get("DP"), Options.MaxDecompressedBytes, Resolve, sizeHint);
        // deferred streams were decoded before this one in reading order: when the total could pass the limit
        // with their upper bounds, decode them now so that the total (and where it is passed) is exact
        if (_pendingBound > 0 && _decompressedTotal + r.Data.LongLength + _pendingBound > Options.MaxDecompressedBytes * 4)
            MaterializePending();
        _decompressedTotal += r.Data.LongLength;
        if (_decompressedTotal > Options.MaxDecompressedBytes * 4)
            throw new PdfLimitException(PdfIssueKind.DecompressionBomb, $"streams decompress to more than {Options.MaxDecompressedBytes * 4} bytes in total");
        if (r.StoppedAt is not null && !r.Supported)
        {
            UnsupportedFilters.Add(r.StoppedAt);
            AddIssue(new PdfIssue(PdfIssueKind.UnsupportedFilter, r.StoppedAt, s.ObjectNumber, s.Offset));
        }
        return r;
    }

    // ---------------------------------------------------------------- deferred decoding (image samples)

    private long _pendingBound;
    private readonly List<Deferred> _pending = new();

    /// <summary>A stream whose decoding is deferred until it is needed (<see cref="Materialize"/>).</summary>
    internal sealed class Deferred(PdfDocument doc, PdfStream stream, long bound, Action<PdfFilters.DecodeResult> consume)
    {
        public bool Done { get; private set; }
        /// <summary>Expected decoded size (presizes the output).</summary>
        public long SizeHint { get; set; }

        /// <summary>Decodes the stream (once) and hands the result to the consumer.</summary>
        public void Materialize()
        {
            if (Done) return;
            Done = true;
            doc._pendingBound -= bound;
            doc._pending.Remove(this);
            // the hint never exceeds the bound: a small stream declaring a huge image allocates no more than it can decode to
            consume(doc.DecodeStream(stream, Math.Min(SizeHint, bound)));
        }
    }

    /// <summary>
    /// Defers the decoding of <paramref name="s"/> when it is certain that decoding it later gives what decoding it now
    /// would, side effects included: the filters are all implemented and given directly (no reference to resolve, no
    /// issue to report), an upper bound of the decoded size is known and within the per-stream limit (no bomb), and the
    /// document total stays within its limit even at that bound (see <see cref="DecodeStream"/>). Null otherwise:
    /// decode now.
    /// </summary>
    internal Deferred? TryDefer(PdfStream s, Action<PdfFilters.DecodeResult> consume)
    {
        if (s.Dict.ContainsKey("F")) return null;
        var bound = PdfFilters.DecodedSizeBound(s.Raw, s.Dict.Get("Filter"), s.Dict.Get("DecodeParms") ?? s.Dict.Get("DP"), Options.MaxDecompressedBytes);
        if (bound is not long b) return null;
        if (_decompressedTotal + _pendingBound + b > Options.MaxDecompressedBytes * 4) return null;
        var d = new Deferred(this, s, b, consume);
        _pendingBound += b;
        _pending.Add(d);
        return d;
    }

    private void MaterializePending()
    {
        var all = _pending.ToArray();
        _pending.Clear();
        foreach (var d in all) d.Materialize();
    }

    // ---------------------------------------------------------------- catalogue, pages, metadata

    public PdfDictionary? Catalog => ResolveDict(Trailer.Get("Root"));

    public IReadOnlyList<PdfPage> Pages => _pages ??= LoadPages();

    /// <summary>The object numbers of a node's ancestors in the page tree (a short immutable chain: depth ≤ MaxDepth).</summary>
    private sealed record Ancestors(int Num, Ancestors? Parent)
    {
        public bool Contains(int num)
        {
            for (var a = this; a is not null; a = a.Parent) if (a.Num == num) return true;
            return false;
        }
    }

    /// <summary>
    /// Walks the page tree. A node listed twice (the same page object in two /Kids entries, as some writers do) is
    /// visited twice; only a node that is its own ancestor is a cycle. A branch that cannot be read (unreadable
    /// object, nesting or reference limits) costs that branch only: the pages before and after it are kept.
    /// </summary>
    private List<PdfPage> LoadPages()
    {
        var pages = new List<PdfPage>();
        var root = Catalog?.Get("Pages");
        if (root is null) return pages;
        long visits = 0;
        // explicit stack: (node ref or dict, resources, mediabox, rotate, depth, ancestors)
        var stack = new Stack<(object? Node, PdfDictionary? Res, double[]? Box, int Rotate, int Depth, Ancestors? Up)>();
        stack.Push((root, null, null, 0, 0, null));
        while (stack.Count > 0)
        {
            Budget();
            var (nodeObj, res, box, rot, depth, up) = stack.Pop();
            int objNum = nodeObj is PdfRef nr ? nr.Num : -1;
            if (objNum >= 0 && up is not null && up.Contains(objNum))
            {
                AddIssue(new PdfIssue(PdfIssueKind.DepthExceeded, "the page tree contains a cycle", objNum));
                continue;
            }
            if (depth > Options.MaxDepth)
            {
                AddIssue(new PdfIssue(PdfIssueKind.DepthExceeded, $"the page tree is deeper than {Options.MaxDepth}", objNum));
                continue;
            }
            if (++visits > Options.MaxObjects)
                throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {Options.MaxObjects} page tree nodes visited");
            try
            {
                var node = ResolveDict(nodeObj);
                if (node is null)
                {
                    if (objNum >= 0) AddIssue(new PdfIssue(PdfIssueKind.ObjectUnreadable, $"page tree node {objNum} is missing or not a dictionary", objNum));
                    continue;
                }
                if (ResolveDict(node.Get("Resources")) is { } r) res = r;
                if (ReadBox(Resolve(node.Get("MediaBox"))) is { } b) box = b;
                if (PdfValue.Integer(Resolve(node.Get("Rotate"))) is long rr) rot = (int)(rr % 360);
                var type = PdfValue.Name(node.Get("Type"));
                if (Resolve(node.Get("Kids")) is PdfArray kids && type != "Page")
                {
                    var chain = objNum >= 0 ? new Ancestors(objNum, up) : up;
                    for (int i = kids.Count - 1; i >= 0; i--) stack.Push((kids[i], res, box, rot, depth + 1, chain));
                    continue;
                }
                if (type is "Pages") continue; // an intermediate node without kids
                if (pages.Count >= Options.MaxObjects)
                    throw new PdfLimitException(PdfIssueKind.TooManyObjects, $"more than {Options.MaxObjects} pages");
                pages.Add(new PdfPage
                {
                    Number = pages.Count + 1,
                    Dict = node,
                    Resources = res,
                    MediaBox = box ?? [0, 0, 612, 792],
                    Rotate = ((rot % 360) + 360) % 360,
                    ObjectNumber = objNum,
                });
            }
            catch (PdfLimitException ex) when (ex.Kind is PdfIssueKind.DepthExceeded or PdfIssueKind.ReferenceCycle)
            {
                AddIssue(new PdfIssue(ex.Kind, ex.Detail, objNum));
            }
            catch (Exception ex) when (ex is PdfFormatException or InvalidCastException or IndexOutOfRangeException or ArgumentException or OverflowException or FormatException)
            {
                AddIssue(new PdfIssue(PdfIssueKind.ObjectUnreadable, $"page tree node {objNum} unreadable ({(ex is PdfFormatException ? ex.Message : ex.GetType().Name)})", objNum));
            }
        }
        return pages;
    }

    /// <summary>True when object <paramref name="num"/> is listed free (deleted, e.g. by an incremental update).</summary>
    public bool IsFree(int num) => _xref.TryGetValue(num, out var e) && e.Type == 0;

    /// <summary>True when object <paramref name="num"/> is deleted: listed free, or written as the null object.</summary>
    public bool IsDeleted(int num)
    {
        if (IsFree(num)) return true;
        GetObject(num);
        return _explicitNull.Contains(num);
    }

    private double[]? ReadBox(object? o)
    {
        if (o is not PdfArray a || a.Count < 4) return null;
        var v = new double[4];
        for (int i = 0; i < 4; i++) v[i] = PdfValue.Number(Resolve(a[i])) ?? 0;
        return [Math.Min(v[0], v[2]), Math.Min(v[1], v[3]), Math.Max(v[0], v[2]), Math.Max(v[1], v[3])];
    }

    public PdfDictionary? Info => ResolveDict(Trailer.Get("Info"));

    /// <summary>/Producer of the Info dictionary (null when absent or encrypted).</summary>
    public string? Producer => Encrypted && !Decrypted ? null : (Resolve(Info?.Get("Producer")) as PdfString)?.ToText();

    /// <summary>XMP metadata of the catalogue, as text (null when absent or unreadable).</summary>
    public string? Xmp
    {
        get
        {
            if (Encrypted && !Decrypted) return null;
            if (Resolve(Catalog?.Get("Metadata")) is not PdfStream s) return null;
            try { return Encoding.UTF8.GetString(DecodeStream(s).Data); }
            catch (PdfLimitException) { throw; }
            catch (Exception) { return null; }
        }
    }

    // generated at build time (no regex parsing or interpretation at run time); same patterns, options and timeout
    [GeneratedRegex(@"pdfaid:part\s*=\s*[""'](\d+)[""']", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PartAttr { get; }
    [GeneratedRegex(@"<pdfaid:part>\s*(\d+)\s*</pdfaid:part>", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex PartElem { get; }
    [GeneratedRegex(@"pdfaid:conformance\s*=\s*[""']([A-Za-z])[""']", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ConfAttr { get; }
    [GeneratedRegex(@"<pdfaid:conformance>\s*([A-Za-z])\s*</pdfaid:conformance>", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex ConfElem { get; }

    /// <summary>PDF/A claim from XMP pdfaid:part and pdfaid:conformance, e.g. "1B", "2U", "4"; null when none.</summary>
    public string? PdfAClaim
    {
        get
        {
            var xmp = Xmp;
            if (xmp is null) return null;
            var m = PartAttr.Match(xmp);
            if (!m.Success) m = PartElem.Match(xmp);
            if (!m.Success) return null;
            var c = ConfAttr.Match(xmp);
            if (!c.Success) c = ConfElem.Match(xmp);
            return m.Groups[1].Value + (c.Success ? c.Groups[1].Value.ToUpperInvariant() : "");
        }
    }
}
