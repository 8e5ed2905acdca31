using System.Globalization;
using System.Text;
using CdaCheck.Core.Pdf;

namespace CdaCheck.TestData.Pdf;

/// <summary>How the cross-reference data is written.</summary>
public enum XrefStyle
{
    /// <summary>Classic "xref" table and "trailer" dictionary.</summary>
    Classic,
    /// <summary>A cross-reference stream, non-stream objects packed in an object stream (PDF 1.5+).</summary>
    Stream,
}

/// <summary>A fill colour for fixtures.</summary>
public readonly record struct PdfColor(string Operator, double[] Components)
{
    public static PdfColor Gray(double g) => new("g", [g]);
    public static PdfColor Rgb(double r, double g, double b) => new("rg", [r, g, b]);
    public static PdfColor Cmyk(double c, double m, double y, double k) => new("k", [c, m, y, k]);
    public static readonly PdfColor Black = Gray(0);
    public static readonly PdfColor White = Gray(1);

    public string Ops() => string.Join(" ", Components.Select(PdfWriter.F)) + " " + Operator;
}

/// <summary>How a module image is stored.</summary>
public enum ModuleImageKind
{
    /// <summary>8-bit DeviceGray, Flate.</summary>
    Gray8,
    /// <summary>1-bit DeviceGray (1 = white), Flate.</summary>
    Bit1,
    /// <summary>1-bit DeviceGray with /Decode [1 0] (samples inverted: 1 = black), Flate.</summary>
    Bit1Inverted,
    /// <summary>8-bit DeviceRGB, Flate.</summary>
    Rgb,
    /// <summary>1-bit /ImageMask painted in the current fill colour (black).</summary>
    Mask,
}

/// <summary>A font the writer declares: simple fonts by encoding name (and /Differences), or a Type0 Identity-H font with ToUnicode.</summary>
public sealed record PdfFontSpec(string BaseFont = "Helvetica", string? Encoding = "WinAnsiEncoding", IReadOnlyDictionary<int, string>? Differences = null, bool IdentityH = false, bool WithToUnicode = true);

/// <summary>
/// A small PDF writer for test fixtures (our own code): pages with text, filled rectangles, images, Form
/// XObjects and DataMatrix-like module grids; classic or stream cross-reference, optional incremental update.
/// </summary>
public sealed class PdfWriter
{
    public string Version { get; set; } = "1.4";
    public XrefStyle Xref { get; set; } = XrefStyle.Classic;
    public StreamEncoding ContentEncoding { get; set; } = StreamEncoding.Flate;
    public string? Producer { get; set; } = "CdaCheck.TestData PdfWriter";
    /// <summary>PDF/A claim written to XMP (e.g. "1B"); null for none.</summary>
    public string? PdfAClaim { get; set; }
    /// <summary>Writes page 1 in two revisions: an old content first, then the real one in an incremental update with /Prev.</summary>
    public bool IncrementalUpdate { get; set; }
    /// <summary>Adds an /Encrypt entry to the trailer (the content is not actually encrypted: for detection tests).</summary>
    public bool MarkEncrypted { get; set; }
    /// <summary>Splits pages into a two-level tree with inherited Resources and MediaBox.</summary>
    public bool NestedPageTree { get; set; }
    public List<PdfPageBuilder> Pages { get; } = new();
    private int _xobjectCounter;
    /// <summary>XObject resource names are numbered per document, so the same drawing gives the same bytes.</summary>
    internal int NextXObjectNumber() => ++_xobjectCounter;
    internal List<PdfFontSpec> Fonts { get; } = new() { new PdfFontSpec() };

    public PdfPageBuilder AddPage(double width = 595.28, double height = 841.89)
    {
        var p = new PdfPageBuilder(this, width, height);
        Pages.Add(p);
        return p;
    }

    /// <summary>Registers a font; returns its resource name (F1 is Helvetica WinAnsi).</summary>
    public string AddFont(PdfFontSpec spec)
    {
        Fonts.Add(spec);
        return "F" + Fonts.Count;
    }

    public static string F(double v) => Math.Round(v, 4).ToString("0.####", CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ serialisation

    private sealed class Obj
    {
        public int Num;
        public string Dict = "";
        public byte[]? Stream;
        public bool IsStream => Stream is not null;
    }

    /// <summary>The PDF in base64, as embedded in a CDA nonXMLBody/text (representation="B64").</summary>
    public string ToBase64() => Convert.ToBase64String(ToBytes());

    public byte[] ToBytes()
    {
        var objs = new List<Obj>();
        Obj New() { var o = new Obj { Num = objs.Count + 1 }; objs.Add(o); return o; }
        var catalog = New();
        var pagesRoot = New();
        var info = New();
        // fonts
        var fontObjs = new List<Obj>();
        var fontUse = new Dictionary<int, SortedDictionary<int, char>>();
        foreach (var _ in Fonts) fontObjs.Add(New());
        // xobjects: images and forms, collected from pages
        var xobjs = new List<(string Name, Obj Obj, PdfXObject X)>();
        foreach (var p in Pages) foreach (var x in p.AllXObjects()) xobjs.Add((x.Name, New(), x));
        var resources = New();
        var pageObjs = new List<(Obj Page, Obj Content)>();
        foreach (var _ in Pages) pageObjs.Add((New(), New()));
        Obj? midNode = NestedPageTree && Pages.Count > 0 ? New() : null;
        Obj? metadata = PdfAClaim is not null ? New() : null;
        Obj? encrypt = MarkEncrypted ? New() : null;

        catalog.Dict = $"<< /Type /Catalog /Pages {pagesRoot.Num} 0 R{(metadata is not null ? $" /Metadata {metadata.Num} 0 R" : "")} >>";
        info.Dict = $"<< /Producer {Lit(Producer ?? "")} /Creator (CdaCheck tests) >>";
        if (encrypt is not null) encrypt.Dict = "<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>";
        string firstBox = Pages.Count > 0 ? $"[0 0 {F(Pages[0].Width)} {F(Pages[0].Height)}]" : "[0 0 612 792]";
        var kids = string.Join(" ", pageObjs.Select(p => $"{p.Page.Num} 0 R"));
        if (midNode is not null)
        {
            pagesRoot.Dict = $"<< /Type /Pages /Kids [{midNode.Num} 0 R] /Count {Pages.Count} /Resources {resources.Num} 0 R /MediaBox {firstBox} >>";
            midNode.Dict = $"<< /Type /Pages /Parent {pagesRoot.Num} 0 R /Kids [{kids}] /Count {Pages.Count} >>";
        }
        else pagesRoot.Dict = $"<< /Type /Pages /Kids [{kids}] /Count {Pages.Count} >>";

        // page contents first (they register the characters Identity-H fonts use)
        var contents = Pages.Select(p => p.ContentBytes()).ToList();
        var formContents = xobjs.Select(x => x.X is PdfFormXObject f ? f.Content.ContentBytes() : null).ToList();

        for (int i = 0; i < Fonts.Count; i++) WriteFont(Fonts[i], fontObjs[i], New);
        var xoDict = string.Join(" ", xobjs.Select(x => $"/{x.Name} {x.Obj.Num} 0 R"));
        var fontDict = string.Join(" ", fontObjs.Select((f, i) => $"/F{i + 1} {f.Num} 0 R"));
        resources.Dict = $"<< /Font << {fontDict} >> /XObject << {xoDict} >> /ProcSet [/PDF /Text /ImageB /ImageC] >>";
        for (int i = 0; i < xobjs.Count; i++)
        {
            var (name, obj, x) = xobjs[i];
            if (x is PdfImageXObject img)
            {
                obj.Dict = img.DictEntries;
                obj.Stream = img.Data;
            }
            else if (x is PdfFormXObject f)
            {
                var (data, filt) = PdfEncoders.Encode(formContents[i]!, ContentEncoding);
                obj.Dict = $"<< /Type /XObject /Subtype /Form /BBox [{string.Join(" ", f.BBox.Select(F))}] /Matrix [{string.Join(" ", f.Matrix.Select(F))}] /Resources {resources.Num} 0 R {filt} >>";
                obj.Stream = data;
            }
        }
        byte[] OldContent() => Encoding.Latin1.GetBytes("BT /F1 12 Tf 72 720 Td (OLD REVISION) Tj ET\n");
        for (int i = 0; i < Pages.Count; i++)
        {
            var p = Pages[i];
            var (pg, ct) = pageObjs[i];
            string parent = midNode is not null ? $"{midNode.Num} 0 R" : $"{pagesRoot.Num} 0 R";
            pg.Dict = midNode is not null && Math.Abs(p.Width - Pages[0].Width) < 1e-9 && Math.Abs(p.Height - Pages[0].Height) < 1e-9
                ? $"<< /Type /Page /Parent {parent} /Contents {ct.Num} 0 R >>" // inherits MediaBox and Resources
                : $"<< /Type /Page /Parent {parent} /MediaBox [0 0 {F(p.Width)} {F(p.Height)}] /Resources {resources.Num} 0 R /Contents {ct.Num} 0 R{(p.Rotate != 0 ? $" /Rotate {p.Rotate}" : "")} >>";
            var raw = IncrementalUpdate && i == 0 ? OldContent() : contents[i];
            var (data, filt) = PdfEncoders.Encode(raw, ContentEncoding);
            ct.Dict = $"<< {filt} >>";
            ct.Stream = data;
        }
        if (metadata is not null)
        {
            string part = PdfAClaim![..1], conf = PdfAClaim.Length > 1 ? PdfAClaim[1..] : "";
            var xmp = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
                      $"<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"><pdfaid:part>{part}</pdfaid:part>" +
                      (conf.Length > 0 ? $"<pdfaid:conformance>{conf}</pdfaid:conformance>" : "") +
                      "</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>";
            metadata.Dict = "<< /Type /Metadata /Subtype /XML >>";
            metadata.Stream = Encoding.UTF8.GetBytes(xmp);
        }

        var output = new MemoryStream();
        var head = Encoding.Latin1.GetBytes($"%PDF-{Version}\n%\u00e2\u00e3\u00cf\u00d3\n");
        output.Write(head);
        string trailerExtra = $"/Root {catalog.Num} 0 R /Info {info.Num} 0 R{(encrypt is not null ? $" /Encrypt {encrypt.Num} 0 R" : "")} /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]";
        long startxref = WriteSection(output, objs, objs.Count + 1, trailerExtra, prev: -1, packObjects: Xref == XrefStyle.Stream);

        if (IncrementalUpdate && Pages.Count > 0)
        {
            var ct = pageObjs[0].Content;
            var (data, filt) = PdfEncoders.Encode(contents[0], ContentEncoding);
            var updated = new Obj { Num = ct.Num, Dict = $"<< {filt} >>", Stream = data };
            var info2 = new Obj { Num = info.Num, Dict = $"<< /Producer {Lit((Producer ?? "") )} /ModDate (D:20250101000000Z) >>" };
            int size = objs.Count + 1 + (Xref == XrefStyle.Stream ? 2 : 0);
            WriteSection(output, [updated, info2], size, trailerExtra, prev: startxref, packObjects: false);
        }
        return output.ToArray();
    }

    /// <summary>Writes objects and a cross-reference section for them; returns the section's offset.</summary>
    private long WriteSection(MemoryStream output, List<Obj> objs, int size, string trailerExtra, long prev, bool packObjects)
    {
        var offsets = new SortedDictionary<int, (int Type, long Field2, int Field3)>();
        void Write(string s) => output.Write(Encoding.Latin1.GetBytes(s));
        if (output.Length > 0 && output.GetBuffer()[output.Length - 1] != '\n') Write("\n");
        int objStmNum = 0;
        if (packObjects)
        {
            // non-stream objects into one object stream
            var packed = objs.Where(o => !o.IsStream).ToList();
            objStmNum = size; // new object numbers at the end: object stream, then xref stream
            var header = new StringBuilder();
            var body = new StringBuilder();
            for (int i = 0; i < packed.Count; i++)
            {
                header.Append(packed[i].Num).Append(' ').Append(body.Length).Append(' ');
                body.Append(packed[i].Dict).Append('\n');
                offsets[packed[i].Num] = (2, objStmNum, i);
            }
            var first = header.Length;
            var content = Encoding.Latin1.GetBytes(header.ToString() + body.ToString());
            var (data, filt) = PdfEncoders.Encode(content, StreamEncoding.Flate);
            foreach (var o in objs.Where(o => o.IsStream)) WriteObj(output, o, offsets);
            offsets[objStmNum] = (1, output.Length, 0);
            Write($"{objStmNum} 0 obj\n<< /Type /ObjStm /N {packed.Count} /First {first} /Length {data.Length} {filt} >>\nstream\n");
            output.Write(data);
            Write("\nendstream\nendobj\n");
            size += 2;
        }
        else foreach (var o in objs) WriteObj(output, o, offsets);

        long xrefAt = output.Length;
        if (Xref == XrefStyle.Classic)
        {
            var sb = new StringBuilder("xref\n");
            if (prev < 0)
            {
                sb.Append($"0 {size}\n0000000000 65535 f\r\n");
                for (int n = 1; n < size; n++)
                    sb.Append(offsets.TryGetValue(n, out var e) ? $"{e.Field2:D10} 00000 n\r\n" : "0000000000 65535 f\r\n");
            }
            else
            {
                foreach (var kv in offsets)
                    sb.Append($"{kv.Key} 1\n{kv.Value.Field2:D10} 00000 n\r\n");
            }
            sb.Append($"trailer\n<< /Size {size} {trailerExtra}{(prev >= 0 ? $" /Prev {prev}" : "")} >>\nstartxref\n{xrefAt}\n%%EOF\n");
            Write(sb.ToString());
        }
        else
        {
            int xrefNum = packObjects ? size - 1 : size;
            if (!packObjects) size += 1;
            offsets[xrefNum] = (1, xrefAt, 0);
            var rows = new MemoryStream();
            var index = new List<(int Start, int Count)>();
            if (prev < 0) index.Add((0, size));
            else foreach (var n in offsets.Keys) index.Add((n, 1));
            foreach (var (start, count) in index)
                for (int n = start; n < start + count; n++)
                {
                    var e = n == 0 ? (0, 0L, 65535) : offsets.TryGetValue(n, out var v) ? v : (0, 0L, 0);
                    rows.WriteByte((byte)e.Item1);
                    rows.Write([(byte)(e.Item2 >> 24), (byte)(e.Item2 >> 16), (byte)(e.Item2 >> 8), (byte)e.Item2]);
                    rows.Write([(byte)(e.Item3 >> 8), (byte)e.Item3]);
                }
            var (data, filt) = PdfEncoders.Encode(rows.ToArray(), StreamEncoding.FlatePng, columns: 7);
            string idx = string.Join(" ", index.Select(i => $"{i.Start} {i.Count}"));
            Write($"{xrefNum} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Index [{idx}] {trailerExtra}{(prev >= 0 ? $" /Prev {prev}" : "")} /Length {data.Length} {filt} >>\nstream\n");
            output.Write(data);
            Write($"\nendstream\nendobj\nstartxref\n{xrefAt}\n%%EOF\n");
        }
        return xrefAt;
    }

    private static void WriteObj(MemoryStream output, Obj o, SortedDictionary<int, (int, long, int)> offsets)
    {
        offsets[o.Num] = (1, output.Length, 0);
        var sb = new StringBuilder($"{o.Num} 0 obj\n");
        if (o.IsStream)
        {
            var d = o.Dict.TrimEnd();
            d = d.EndsWith(">>", StringComparison.Ordinal) ? d[..^2] + $" /Length {o.Stream!.Length} >>" : $"<< /Length {o.Stream!.Length} >>";
            sb.Append(d).Append("\nstream\n");
            output.Write(Encoding.Latin1.GetBytes(sb.ToString()));
            output.Write(o.Stream);
            output.Write("\nendstream\nendobj\n"u8);
        }
        else
        {
            sb.Append(o.Dict).Append("\nendobj\n");
            output.Write(Encoding.Latin1.GetBytes(sb.ToString()));
        }
    }

    private void WriteFont(PdfFontSpec spec, Obj obj, Func<Obj> newObj)
    {
        if (!spec.IdentityH)
        {
            var enc = spec.Differences is { Count: > 0 }
                ? $"<< /Type /Encoding{(spec.Encoding is not null ? $" /BaseEncoding /{spec.Encoding}" : "")} /Differences [{string.Join(" ", spec.Differences.OrderBy(k => k.Key).Select(k => $"{k.Key} /{k.Value}"))}] >>"
                : spec.Encoding is not null ? "/" + spec.Encoding : null;
            obj.Dict = $"<< /Type /Font /Subtype /Type1 /BaseFont /{spec.BaseFont}{(enc is not null ? " /Encoding " + enc : "")} >>";
            return;
        }
        var map = IdentityCodes(spec);
        var desc = newObj();
        desc.Dict = $"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{spec.BaseFont} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 >>";
        string tu = "";
        if (spec.WithToUnicode)
        {
            var cmap = new StringBuilder("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /CdaCheck-UCS def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
            // characters in runs of consecutive codes and code points go in a bfrange, the rest in bfchar
            var items = map.OrderBy(k => k.Value).Select(k => (Code: k.Value, Char: k.Key)).ToList();
            var singles = new List<(int, char)>();
            var ranges = new List<(int Lo, int Hi, char Start)>();
            for (int i = 0; i < items.Count;)
            {
                int j = i;
                while (j + 1 < items.Count && items[j + 1].Code == items[j].Code + 1 && items[j + 1].Char == items[j].Char + 1) j++;
                if (j > i) ranges.Add((items[i].Code, items[j].Code, items[i].Char)); else singles.Add(items[i]);
                i = j + 1;
            }
            if (singles.Count > 0)
            {
                cmap.Append($"{singles.Count} beginbfchar\n");
                foreach (var (code, ch) in singles) cmap.Append($"<{code:X4}> <{(int)ch:X4}>\n");
                cmap.Append("endbfchar\n");
            }
            if (ranges.Count > 0)
            {
                cmap.Append($"{ranges.Count} beginbfrange\n");
                foreach (var (lo, hi, st) in ranges) cmap.Append($"<{lo:X4}> <{hi:X4}> <{(int)st:X4}>\n");
                cmap.Append("endbfrange\n");
            }
            cmap.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
            var tuObj = newObj();
            var (data, filt) = PdfEncoders.Encode(Encoding.ASCII.GetBytes(cmap.ToString()), StreamEncoding.Flate);
            tuObj.Dict = $"<< {filt} >>";
            tuObj.Stream = data;
            tu = $" /ToUnicode {tuObj.Num} 0 R";
        }
        obj.Dict = $"<< /Type /Font /Subtype /Type0 /BaseFont /{spec.BaseFont} /Encoding /Identity-H /DescendantFonts [{desc.Num} 0 R]{tu} >>";
    }

    private readonly Dictionary<PdfFontSpec, Dictionary<char, int>> _identityCodes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Codes of an Identity-H font: assigned in order of first use, starting at 3 (glyph ids are arbitrary).</summary>
    internal Dictionary<char, int> IdentityCodes(PdfFontSpec spec)
    {
        if (!_identityCodes.TryGetValue(spec, out var m)) _identityCodes[spec] = m = new Dictionary<char, int>();
        return m;
    }

    internal static string Lit(string s)
    {
        var sb = new StringBuilder("(");
        foreach (var c in s)
        {
            if (c is '(' or ')' or '\\') sb.Append('\\').Append(c);
            else if (c < 0x20 || c > 0xFF) sb.Append('?');
            else sb.Append(c);
        }
        return sb.Append(')').ToString();
    }

    /// <summary>Encodes text for a simple font (reverse lookup in the encoding, /Differences first).</summary>
    internal static byte[] EncodeSimple(string text, PdfFontSpec spec)
    {
        var table = PdfEncodings.ByName(spec.Encoding) ?? PdfEncodings.Standard;
        var o = new List<byte>(text.Length);
        foreach (var c in text)
        {
            int code = -1;
            if (spec.Differences is not null)
                foreach (var kv in spec.Differences)
                    if (PdfEncodings.GlyphToUnicode(kv.Value) == c.ToString()) { code = kv.Key; break; }
            if (code < 0) code = Array.IndexOf(table, c, 1);
            o.Add((byte)(code < 0 ? '?' : code));
        }
        return o.ToArray();
    }
}

/// <summary>An XObject registered on a page.</summary>
public abstract class PdfXObject
{
    public required string Name { get; init; }
}

public sealed class PdfImageXObject : PdfXObject
{
    public required string DictEntries { get; init; }
    public required byte[] Data { get; init; }
}

public sealed class PdfFormXObject : PdfXObject
{
    public required PdfPageBuilder Content { get; init; }
    public double[] BBox { get; init; } = [0, 0, 1000, 1000];
    public double[] Matrix { get; init; } = [1, 0, 0, 1, 0, 0];
}

/// <summary>Content of one page (or of a Form XObject): operators appended in order.</summary>
public sealed class PdfPageBuilder
{
    private readonly PdfWriter _writer;
    private readonly MemoryStream _content = new();
    private readonly List<PdfXObject> _xobjects = new();

    internal PdfPageBuilder(PdfWriter writer, double width, double height)
    {
        _writer = writer;
        Width = width;
        Height = height;
    }

    public double Width { get; }
    public double Height { get; }
    public int Rotate { get; set; }

    internal IEnumerable<PdfXObject> AllXObjects()
    {
        foreach (var x in _xobjects)
        {
            yield return x;
            if (x is PdfFormXObject f) foreach (var inner in f.Content.AllXObjects()) yield return inner;
        }
    }

    internal byte[] ContentBytes() => _content.ToArray();

    private static string F(double v) => PdfWriter.F(v);

    /// <summary>Appends raw content-stream operators.</summary>
    public PdfPageBuilder Raw(string ops)
    {
        _content.Write(Encoding.Latin1.GetBytes(ops));
        if (!ops.EndsWith('\n')) _content.WriteByte((byte)'\n');
        return this;
    }

    public PdfPageBuilder RawBytes(byte[] bytes) { _content.Write(bytes); return this; }

    /// <summary>Text in font <paramref name="font"/> (default F1 = Helvetica WinAnsi) at (x, y).</summary>
    public PdfPageBuilder Text(string text, double x, double y, double size = 12, string font = "F1")
    {
        int idx = int.Parse(font.AsSpan(1), CultureInfo.InvariantCulture) - 1;
        var spec = _writer.Fonts[idx];
        string str;
        if (spec.IdentityH)
        {
            var codes = _writer.IdentityCodes(spec);
            var sb = new StringBuilder("<");
            foreach (var c in text)
            {
                if (!codes.TryGetValue(c, out var code)) codes[c] = code = codes.Count + 3;
                sb.Append(code.ToString("X4"));
            }
            str = sb.Append('>').ToString();
        }
        else
        {
            var bytes = PdfWriter.EncodeSimple(text, spec);
            str = "<" + Convert.ToHexString(bytes) + ">";
        }
        return Raw($"BT /{font} {F(size)} Tf {F(x)} {F(y)} Td {str} Tj ET");
    }

    public PdfPageBuilder FillRect(double x, double y, double w, double h, PdfColor color) =>
        Raw($"{color.Ops()} {F(x)} {F(y)} {F(w)} {F(h)} re f");

    /// <summary>
    /// Draws a module matrix (modules[row, col], row 0 at the top, true = dark) as one filled square per
    /// module; (x, y) is the bottom-left corner of the symbol. With <paramref name="drawLightModules"/>,
    /// light modules are painted white as well (as Apache FOP does).
    /// </summary>
    public PdfPageBuilder AddModuleGrid(bool[,] modules, double x, double y, double moduleSize, bool drawLightModules,
        PdfColor? dark = null, PdfColor? light = null, double rotationDegrees = 0)
    {
        int rows = modules.GetLength(0), cols = modules.GetLength(1);
        var sb = new StringBuilder("q\n");
        if (rotationDegrees != 0)
        {
            // rotate about the symbol's centre
            double t = rotationDegrees * Math.PI / 180, cos = Math.Cos(t), sin = Math.Sin(t);
            if (Math.Abs(cos) < 1e-12) cos = 0;
            if (Math.Abs(sin) < 1e-12) sin = 0;
            double cx = x + cols * moduleSize / 2, cy = y + rows * moduleSize / 2;
            sb.Append($"{F(cos)} {F(sin)} {F(-sin)} {F(cos)} {F(cx - cos * cx + sin * cy)} {F(cy - sin * cx - cos * cy)} cm\n");
        }
        var d = (dark ?? PdfColor.Black).Ops();
        var l = (light ?? PdfColor.White).Ops();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                bool on = modules[r, c];
                if (!on && !drawLightModules) continue;
                double mx = x + c * moduleSize, my = y + (rows - 1 - r) * moduleSize;
                sb.Append(on ? d : l).Append(' ').Append(F(mx)).Append(' ').Append(F(my)).Append(' ')
                  .Append(F(moduleSize)).Append(' ').Append(F(moduleSize)).Append(" re f\n");
            }
        sb.Append("Q\n");
        return Raw(sb.ToString());
    }

    /// <summary>
    /// Draws a module matrix as an image of <paramref name="pxPerModule"/> pixels per module, placed with its
    /// bottom-left corner at (x, y) before rotation, rotated by <paramref name="rotationDegrees"/> about its centre.
    /// </summary>
    public PdfPageBuilder AddModuleImage(bool[,] modules, double x, double y, double moduleSize, int pxPerModule,
        double rotationDegrees = 0, ModuleImageKind kind = ModuleImageKind.Gray8)
    {
        int rows = modules.GetLength(0), cols = modules.GetLength(1);
        int w = cols * pxPerModule, h = rows * pxPerModule;
        var gray = new byte[w * h];
        for (int py = 0; py < h; py++)
            for (int px = 0; px < w; px++)
                gray[py * w + px] = modules[py / pxPerModule, px / pxPerModule] ? (byte)0 : (byte)255;
        var img = kind switch
        {
            ModuleImageKind.Gray8 => ImageSpec.Gray8(w, h, gray),
            ModuleImageKind.Bit1 => ImageSpec.Bits1(w, h, gray, invert: false),
            ModuleImageKind.Bit1Inverted => ImageSpec.Bits1(w, h, gray, invert: true),
            ModuleImageKind.Rgb => ImageSpec.Rgb8(w, h, gray.SelectMany(g => new[] { g, g, g }).ToArray()),
            ModuleImageKind.Mask => ImageSpec.Mask(w, h, gray),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        double sw = cols * moduleSize, sh = rows * moduleSize;
        return Image(img, PlacementMatrix(x, y, sw, sh, rotationDegrees), kind == ModuleImageKind.Mask ? "0 g" : null);
    }

    /// <summary>The cm matrix putting the unit square at (x, y) with size (w, h), rotated about its centre.</summary>
    public static double[] PlacementMatrix(double x, double y, double w, double h, double rotationDegrees)
    {
        double t = rotationDegrees * Math.PI / 180, cos = Math.Cos(t), sin = Math.Sin(t);
        if (Math.Abs(cos) < 1e-12) cos = 0; if (Math.Abs(sin) < 1e-12) sin = 0;
        // unit square → scale (w,h) → translate(-w/2,-h/2) → rotate → translate(x + w/2, y + h/2)
        double a = w * cos, b = w * sin, c = -h * sin, d = h * cos;
        double cx = x + w / 2, cy = y + h / 2;
        double e = cx + (-w / 2) * cos - (-h / 2) * sin;
        double f = cy + (-w / 2) * sin + (-h / 2) * cos;
        return [a, b, c, d, e, f];
    }

    /// <summary>Paints an image XObject with the given cm matrix (unit square → page).</summary>
    public PdfPageBuilder Image(ImageSpec spec, double[] matrix, string? preOps = null)
    {
        var name = "Im" + _writer.NextXObjectNumber();
        _xobjects.Add(new PdfImageXObject { Name = name, DictEntries = spec.Dict, Data = spec.Data });
        return Raw($"q {preOps ?? ""} {string.Join(" ", matrix.Select(F))} cm /{name} Do Q");
    }

    /// <summary>Paints an inline image (BI … ID … EI) with the given matrix.</summary>
    public PdfPageBuilder InlineImage(int width, int height, byte[] gray8, double[] matrix)
    {
        Raw($"q {string.Join(" ", matrix.Select(F))} cm BI /W {width} /H {height} /CS /G /BPC 8 ID");
        _content.Write(gray8);
        return Raw("\nEI Q");
    }

    /// <summary>Draws <paramref name="content"/> as a Form XObject, painted with <paramref name="matrix"/> as its /Matrix.</summary>
    public PdfPageBuilder Form(Action<PdfPageBuilder> content, double[]? matrix = null, double[]? cm = null)
    {
        var inner = new PdfPageBuilder(_writer, Width, Height);
        content(inner);
        var name = "Fm" + _writer.NextXObjectNumber();
        _xobjects.Add(new PdfFormXObject { Name = name, Content = inner, Matrix = matrix ?? [1, 0, 0, 1, 0, 0], BBox = [-10000, -10000, 10000, 10000] });
        return Raw(cm is null ? $"/{name} Do" : $"q {string.Join(" ", cm.Select(F))} cm /{name} Do Q");
    }
}

/// <summary>An image's dictionary entries and stream data.</summary>
public sealed record ImageSpec(string Dict, byte[] Data)
{
    private static string Head(int w, int h) => $"<< /Type /XObject /Subtype /Image /Width {w} /Height {h}";

    public static ImageSpec Gray8(int w, int h, byte[] gray, StreamEncoding enc = StreamEncoding.Flate)
    {
        var (data, filt) = PdfEncoders.Encode(gray, enc, columns: w);
        return new($"{Head(w, h)} /ColorSpace /DeviceGray /BitsPerComponent 8 {filt} >>", data);
    }

    public static ImageSpec Rgb8(int w, int h, byte[] rgb)
    {
        var (data, filt) = PdfEncoders.Encode(rgb, StreamEncoding.Flate);
        return new($"{Head(w, h)} /ColorSpace /DeviceRGB /BitsPerComponent 8 {filt} >>", data);
    }

    /// <summary>1 bit per pixel from 8-bit gray (threshold 128); with <paramref name="invert"/>, bits are stored inverted and /Decode [1 0] undoes it.</summary>
    public static ImageSpec Bits1(int w, int h, byte[] gray, bool invert)
    {
        var packed = Pack(w, h, gray, darkBit: invert ? 1 : 0);
        var (data, filt) = PdfEncoders.Encode(packed, StreamEncoding.Flate);
        return new($"{Head(w, h)} /ColorSpace /DeviceGray /BitsPerComponent 1{(invert ? " /Decode [1 0]" : "")} {filt} >>", data);
    }

    /// <summary>An /ImageMask: sample 0 paints the fill colour.</summary>
    public static ImageSpec Mask(int w, int h, byte[] gray)
    {
        var packed = Pack(w, h, gray, darkBit: 0);
        var (data, filt) = PdfEncoders.Encode(packed, StreamEncoding.Flate);
        return new($"{Head(w, h)} /ImageMask true {filt} >>", data);
    }

    /// <summary>Indexed image: 8-bit indices into an RGB palette.</summary>
    public static ImageSpec Indexed(int w, int h, byte[] indices, byte[] paletteRgb, int bpc = 8)
    {
        byte[] samples = bpc == 8 ? indices : PackBits(w, h, indices, bpc);
        var (data, filt) = PdfEncoders.Encode(samples, StreamEncoding.Flate);
        int hival = paletteRgb.Length / 3 - 1;
        return new($"{Head(w, h)} /ColorSpace [/Indexed /DeviceRGB {hival} <{Convert.ToHexString(paletteRgb)}>] /BitsPerComponent {bpc} {filt} >>", data);
    }

    /// <summary>Gray samples at 2 or 4 bits per component (values are taken from the high bits of 8-bit gray).</summary>
    public static ImageSpec GrayBits(int w, int h, byte[] gray, int bpc)
    {
        var samples = PackBits(w, h, gray.Select(g => (byte)(g >> (8 - bpc))).ToArray(), bpc);
        var (data, filt) = PdfEncoders.Encode(samples, StreamEncoding.None);
        return new($"{Head(w, h)} /ColorSpace /DeviceGray /BitsPerComponent {bpc} {filt} >>", data);
    }

    private static byte[] Pack(int w, int h, byte[] gray, int darkBit)
    {
        int rowBytes = (w + 7) / 8;
        var o = new byte[rowBytes * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int bit = gray[y * w + x] < 128 ? darkBit : 1 - darkBit;
                if (bit == 1) o[y * rowBytes + x / 8] |= (byte)(0x80 >> (x % 8));
            }
        return o;
    }

    private static byte[] PackBits(int w, int h, byte[] values, int bpc)
    {
        int rowBytes = (w * bpc + 7) / 8;
        var o = new byte[rowBytes * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int v = values[y * w + x] & ((1 << bpc) - 1);
                int bit = x * bpc;
                o[y * rowBytes + bit / 8] |= (byte)(v << (8 - bpc - bit % 8));
            }
        return o;
    }
}
