using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>
/// Structure-aware case generators: each builds a well-formed input from its parts (PDF objects and cross-reference
/// table, zip local and central headers, MIME tree, CSV records, XML prolog and tree) and breaks it where its
/// structure is: a dictionary value, a stream's /Length or /Filter, an xref offset, the page tree, a header field,
/// a name, a boundary, a quote. Seeded: the same cases on every machine.
/// </summary>
public static class StructureMutators
{
    private static string Pick(Random r, params string[] options) => options[r.Next(options.Length)];
    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- PDF

    /// <summary>The objects of a one-page PDF with text, an image, a form XObject and a font (object n is at index n-1).</summary>
    private static List<string> PdfObjects() =>
    [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R /Fm1 7 0 R >> >> /Contents 4 0 R >>",
        Stream("<< /Length {len} >>", "BT /F1 12 Tf 72 700 Td (Lettre de liaison TESTXDM CAMILLE) Tj ET q 80 0 0 80 480 660 cm /Im1 Do Q /Fm1 Do"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        Stream("<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {len} >>", new string('\u00ff', 8) + new string('\u0000', 8)),
        Stream("<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /F1 5 0 R >> >> /Length {len} >>", "BT /F1 8 Tf 10 10 Td (Ne le 28/03/1979) Tj ET"),
    ];

    private static string Stream(string dict, string data) =>
        dict.Replace("{len}", Inv(Encoding.Latin1.GetByteCount(data)), StringComparison.Ordinal) + "\nstream\n" + data + "\nendstream";

    private static readonly string[] HostileNumbers = ["0", "-1", "2147483647", "2147483648", "4294967295", "4294967296", "4294967297", "3037000500", "9223372036854775807", "99999999999999999999", "1e308", "-0.0", "NaN"];

    /// <summary>Replaces the value after <paramref name="key"/> (a number, name, reference or bracketed array) in one object.</summary>
    private static string SetKey(string obj, string key, string value)
    {
        int i = obj.IndexOf("/" + key + " ", StringComparison.Ordinal);
        if (i < 0)
        {
            int open = obj.IndexOf("<<", StringComparison.Ordinal);
            return open < 0 ? obj : obj[..(open + 2)] + " /" + key + " " + value + obj[(open + 2)..];
        }
        int start = i + key.Length + 2, end = start;
        if (end < obj.Length && obj[end] == '[') end = obj.IndexOf(']', end) + 1;
        else if (end < obj.Length && obj[end] == '<') end = obj.IndexOf(">>", end, StringComparison.Ordinal) + 2;
        else
        {
            while (end < obj.Length && obj[end] is not (' ' or '/' or '>' or '\n')) end++;
            if (obj.AsSpan(end).StartsWith(" 0 R")) end += 4;
        }
        if (end <= start) return obj;
        return obj[..start] + value + obj[end..];
    }

    public static byte[] Pdf(Random r)
    {
        var objs = PdfObjects();
        bool xrefOk = true;
        long startxrefDelta = 0;
        var offsetNoise = new Dictionary<int, long>();
        string trailerExtra = "";
        int edits = 1 + r.Next(3);
        for (int e = 0; e < edits; e++)
        {
            switch (r.Next(9))
            {
                case 0: // stream /Length
                {
                    int k = Pick(r, "4", "6", "7") [0] - '0' - 1;
                    objs[k] = SetKey(objs[k], "Length", Pick(r, [.. HostileNumbers, "99 0 R", (k + 1) + " 0 R", "3 0 R", "/Length", "[1 2]"]));
                    break;
                }
                case 1: // stream /Filter and /DecodeParms
                {
                    int k = Pick(r, "4", "6", "7")[0] - '0' - 1;
                    objs[k] = SetKey(objs[k], "Filter", Pick(r, "/FlateDecode", "/LZWDecode", "/ASCII85Decode", "/ASCIIHexDecode", "/RunLengthDecode", "/DCTDecode",
                        "/JBIG2Decode", "/CCITTFaxDecode", "/JPXDecode", "[/FlateDecode /FlateDecode]", "[/ASCIIHexDecode /LZWDecode /RunLengthDecode]", "/Crypt", "/Unknown", "[]", "7"));
                    if (r.Next(2) == 0)
                        objs[k] = SetKey(objs[k], "DecodeParms", $"<< /Predictor {Pick(r, "2", "10", "12", "15", "-1", "2147483647")} /Columns {Pick(r, HostileNumbers)} /Colors {Pick(r, "1", "4", "1000", "-3")} /BitsPerComponent {Pick(r, "1", "8", "16", "0", "99")} /EarlyChange {Pick(r, "0", "1", "7")} >>");
                    break;
                }
                case 2: // xref offsets
                    xrefOk = r.Next(4) != 0;
                    offsetNoise[1 + r.Next(objs.Count)] = Pick(r, "1", "-1", "7", "100000", "-100000") is var delta ? long.Parse(delta, CultureInfo.InvariantCulture) : 0;
                    startxrefDelta = r.Next(3) == 0 ? r.Next(-40, 40) : 0;
                    break;
                case 3: // page tree /Kids /Parent /Count
                    switch (r.Next(6))
                    {
                        case 0: objs[1] = SetKey(objs[1], "Kids", Pick(r, "[2 0 R]", "[3 0 R 3 0 R 3 0 R]", "[99 0 R]", "null", "[1 0 R]", "3 0 R", "[" + string.Concat(Enumerable.Repeat("3 0 R ", 5000)) + "]")); break;
                        case 1: objs[2] = SetKey(objs[2], "Parent", Pick(r, "3 0 R", "1 0 R", "99 0 R", "null")); break;
                        case 2: objs[1] = SetKey(objs[1], "Count", Pick(r, HostileNumbers)); break;
                        case 3: objs[2] = objs[2].Replace("/Type /Page ", "/Type /Pages /Kids [3 0 R] ", StringComparison.Ordinal); break;
                        case 4: // a deep chain of intermediate page-tree nodes
                        {
                            int depth = Pick(r, "50", "500", "5000") is var s ? int.Parse(s, CultureInfo.InvariantCulture) : 1;
                            int first = objs.Count + 1;
                            for (int d = 0; d < depth; d++)
                                objs.Add($"<< /Type /Pages /Kids [{(d + 1 < depth ? first + d + 1 : 3)} 0 R] /Count 1 /Parent {(d == 0 ? 2 : first + d - 1)} 0 R >>");
                            objs[1] = SetKey(objs[1], "Kids", $"[{first} 0 R]");
                            break;
                        }
                        default: objs[0] = SetKey(objs[0], "Pages", Pick(r, "3 0 R", "1 0 R", "99 0 R", "4294967296 0 R")); break;
                    }
                    break;
                case 4: // image dictionary
                    objs[5] = SetKey(objs[5], Pick(r, "Width", "Height", "BitsPerComponent"), Pick(r, HostileNumbers));
                    if (r.Next(2) == 0) objs[5] = SetKey(objs[5], Pick(r, "ColorSpace", "Decode", "SMask", "Mask", "ImageMask"),
                        Pick(r, "/DeviceCMYK", "[/Indexed /DeviceRGB 255 <00>]", "[/ICCBased 6 0 R]", "[0 1]", "[]", "6 0 R", "99 0 R", "true", "[1e308 -1e308]"));
                    break;
                case 5: // object numbering: missing, duplicated, unterminated
                {
                    int k = 1 + r.Next(objs.Count - 1);
                    objs[k] = Pick(r, "null", "", "<< /Type /Page /Parent 2 0 R", objs[r.Next(objs.Count)], "<< " + string.Concat(Enumerable.Repeat("<< /A ", 3000)) + ">>", "[" + new string('[', 5000) + new string(']', 5000) + "]");
                    break;
                }
                case 6: // content operators
                    objs[3] = Stream("<< /Length {len} >>", Pick(r,
                        string.Concat(Enumerable.Repeat("q ", 20000)),
                        string.Concat(Enumerable.Repeat("1 0 0 1 0 0 cm /Fm1 Do ", 3000)),
                        "BT /F1 1e308 Tf 1e308 1e308 Td (" + new string('A', 100000) + ") Tj ET",
                        "BT /F9 12 Tf (x) Tj ET /Im9 Do",
                        "q 0 0 0 0 0 0 cm /Im1 Do Q",
                        "BI /W 4294967297 /H 3037000500 /CS /G /BPC 8 ID \u00ff\u00ff EI"));
                    break;
                case 7: // a form drawing itself
                    objs[6] = Stream("<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /Fm1 7 0 R >> >> /Length {len} >>", "/Fm1 Do");
                    break;
                default: // trailer
                    trailerExtra = Pick(r, " /Prev 0", " /Prev 9", " /Encrypt 99 0 R", " /Size 4294967296", " /Info 4 0 R", " /XRefStm 5");
                    break;
            }
        }

        var sb = new StringBuilder("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        var offsets = new List<long>();
        for (int i = 0; i < objs.Count; i++)
        {
            offsets.Add(sb.Length + offsetNoise.GetValueOrDefault(i + 1)); // one char per byte: the text is Latin-1
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objs[i]}\nendobj\n");
        }
        long xref = sb.Length;
        if (xrefOk)
        {
            sb.Append(CultureInfo.InvariantCulture, $"xref\n0 {objs.Count + 1}\n0000000000 65535 f \n");
            foreach (var o in offsets) sb.Append(CultureInfo.InvariantCulture, $"{Math.Max(0, o) % 10_000_000_000:D10} 00000 n \n");
        }
        else sb.Append("xref\n0 ").Append(objs.Count + 1).Append("\n0000000000 65535 f \n0000000");
        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objs.Count + 1} /Root 1 0 R{trailerExtra} >>\nstartxref\n{xref + startxrefDelta}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    // ---------------------------------------------------------------- zip

    private sealed class ZipEntryModel
    {
        public byte[] Name = [];
        public byte[]? CentralName;
        public byte[] Data = [];
        public ushort Method;
        public ushort Flags;
        public uint? Crc, CompressedField, SizeField;
        public byte[] Extra = [];
        public byte[]? CentralExtra;
        public ushort? NameLengthField;
        public ushort? ExtraLengthField;
        public uint? LocalOffsetField;
    }

    private static readonly string[] HostileNames =
    [
        "../../etc/passwd", "IHE_XDM/SUBSET01/../../../x.xml", "/abs/IHE_XDM/SUBSET01/DOC0001.XML", "C:\\Windows\\x.xml", "\\\\server\\share\\x.xml",
        "IHE_XDM/SUBSET01/\u001b[31mROUGE\u001b[0m.XML", "IHE_XDM/SUBSET01/\u001b]0;titre\u0007.XML", "IHE_XDM/SUBSET01/a\rb\nc.XML", "IHE_XDM/SUBSET01/\u0000.XML",
        "IHE_XDM/SUBSET01/\u202Egnp.XML", "IHE_XDM/SUBSET01/" + new string('A', 4000) + ".XML", "", "/", "IHE_XDM/", "IHE_XDM/SUBSET01/DOC0001.XML/",
        "ihe_xdm/subset01/doc0001.xml", "IHE_XDM/SUBSET01/\u00e9\u00e8.XML",
    ];

    public static byte[] Zip(Random r, byte[] seedZip)
    {
        var entries = new List<ZipEntryModel>();
        using (var archive = new ZipArchive(new MemoryStream(seedZip), ZipArchiveMode.Read))
            foreach (var e in archive.Entries)
            {
                using var s = e.Open();
                var ms = new MemoryStream();
                s.CopyTo(ms);
                entries.Add(new ZipEntryModel { Name = Encoding.UTF8.GetBytes(e.FullName), Data = ms.ToArray() });
            }
        ushort? countField = null;
        long cdOffsetDelta = 0;
        ushort? commentLengthField = null;
        bool zip64Eocd = false;
        int edits = 1 + r.Next(3);
        for (int k = 0; k < edits; k++)
        {
            var en = entries[r.Next(entries.Count)];
            switch (r.Next(10))
            {
                case 0: en.Name = r.Next(3) == 0 ? [0xC3, 0x28, 0xFF, (byte)'.', (byte)'X', (byte)'M', (byte)'L'] : Encoding.UTF8.GetBytes(Pick(r, HostileNames)); break;
                case 1: en.CentralName = Encoding.UTF8.GetBytes(Pick(r, HostileNames)); break;
                case 2: en.SizeField = uint.Parse(Pick(r, "0", "1", "4294967295", "2147483648", "65536"), CultureInfo.InvariantCulture); break;
                case 3: en.CompressedField = uint.Parse(Pick(r, "0", "1", "4294967295", "2147483648", "7"), CultureInfo.InvariantCulture); break;
                case 4: // zip64 extra field with hostile values
                {
                    var x = new MemoryStream();
                    var w = new BinaryWriter(x);
                    int n = r.Next(4);
                    w.Write((ushort)1); w.Write((ushort)(n * 8 + (r.Next(3) == 0 ? 3 : 0)));
                    for (int i = 0; i < n; i++) w.Write(ulong.Parse(Pick(r, "0", "4", "18446744073709551615", "9223372036854775808", "4294967296"), CultureInfo.InvariantCulture));
                    en.Extra = x.ToArray();
                    en.SizeField = 0xFFFFFFFF; en.CompressedField = 0xFFFFFFFF;
                    if (r.Next(2) == 0) en.LocalOffsetField = 0xFFFFFFFF;
                    if (r.Next(2) == 0) en.CentralExtra = en.Extra;
                    break;
                }
                case 5: en.NameLengthField = (ushort)r.Next(0, 65536); break;
                case 6: en.ExtraLengthField = (ushort)r.Next(0, 65536); break;
                case 7: en.Method = ushort.Parse(Pick(r, "8", "12", "14", "99", "9"), CultureInfo.InvariantCulture); en.Flags = (ushort)r.Next(0, 16); if (r.Next(2) == 0) en.Crc = (uint)r.Next(); break;
                case 8: // duplicate, many entries, or a nested zip
                    switch (r.Next(3))
                    {
                        case 0: entries.Add(new ZipEntryModel { Name = en.Name, Data = [.. en.Data, .. "<!-- b -->"u8] }); break;
                        case 1: for (int i = 0; i < 2000; i++) entries.Add(new ZipEntryModel { Name = Encoding.ASCII.GetBytes($"IHE_XDM/SUBSET01/F{i:D5}.TXT"), Data = [(byte)'x'] }); break;
                        default: entries.Add(new ZipEntryModel { Name = "IHE_XDM/SUBSET01/INNER.ZIP"u8.ToArray(), Data = seedZip }); break;
                    }
                    break;
                default: // end of central directory
                    switch (r.Next(4))
                    {
                        case 0: countField = ushort.Parse(Pick(r, "0", "65535", "2"), CultureInfo.InvariantCulture); break;
                        case 1: cdOffsetDelta = r.Next(-100, 100); break;
                        case 2: commentLengthField = (ushort)r.Next(0, 65536); break;
                        default: zip64Eocd = true; break;
                    }
                    break;
            }
        }

        var o = new MemoryStream();
        var bw = new BinaryWriter(o);
        var local = new List<long>();
        foreach (var en in entries)
        {
            local.Add(o.Position);
            uint crc = en.Crc ?? Crc32(en.Data);
            var stored = en.Method == 8 ? Deflate(en.Data) : en.Data;
            bw.Write(0x04034b50u); bw.Write((ushort)45); bw.Write(en.Flags); bw.Write(en.Method); bw.Write(0u); bw.Write(crc);
            bw.Write(en.CompressedField ?? (uint)stored.Length); bw.Write(en.SizeField ?? (uint)en.Data.Length);
            bw.Write(en.NameLengthField ?? (ushort)en.Name.Length); bw.Write(en.ExtraLengthField ?? (ushort)en.Extra.Length);
            bw.Write(en.Name); bw.Write(en.Extra); bw.Write(stored);
        }
        long cd = o.Position;
        for (int i = 0; i < entries.Count; i++)
        {
            var en = entries[i];
            var name = en.CentralName ?? en.Name;
            var extra = en.CentralExtra ?? [];
            var stored = en.Method == 8 ? Deflate(en.Data) : en.Data;
            bw.Write(0x02014b50u); bw.Write((ushort)45); bw.Write((ushort)45); bw.Write(en.Flags); bw.Write(en.Method); bw.Write(0u); bw.Write(en.Crc ?? Crc32(en.Data));
            bw.Write(en.CompressedField ?? (uint)stored.Length); bw.Write(en.SizeField ?? (uint)en.Data.Length);
            bw.Write(en.NameLengthField ?? (ushort)name.Length); bw.Write((ushort)extra.Length); bw.Write((ushort)0);
            bw.Write((ushort)0); bw.Write((ushort)0); bw.Write(0u); bw.Write(en.LocalOffsetField ?? (uint)local[i]); bw.Write(name); bw.Write(extra);
        }
        long cdLen = o.Position - cd;
        if (zip64Eocd)
        {
            long at = o.Position;
            bw.Write(0x06064b50u); bw.Write(44UL); bw.Write((ushort)45); bw.Write((ushort)45); bw.Write(0u); bw.Write(0u);
            bw.Write(ulong.MaxValue); bw.Write(ulong.MaxValue); bw.Write((ulong)cdLen); bw.Write(0x8000000000000000UL);
            bw.Write(0x07064b50u); bw.Write(0u); bw.Write((ulong)at); bw.Write(1u);
        }
        ushort count = countField ?? (ushort)Math.Min(entries.Count, 0xFFFF);
        bw.Write(0x06054b50u); bw.Write((ushort)0); bw.Write((ushort)0); bw.Write(count); bw.Write(count);
        bw.Write((uint)cdLen); bw.Write((uint)Math.Max(0, cd + cdOffsetDelta)); bw.Write(commentLengthField ?? (ushort)0);
        return o.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new DeflateStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    internal static uint Crc32(byte[] d)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in d) { c ^= b; for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1; }
        return ~c;
    }

    // ---------------------------------------------------------------- MIME

    private const string Outer = "----=_outer_0001", Inner = "----=_inner_0002";

    public static byte[] Mime(Random r, byte[] smallZip)
    {
        var b = new EmlBuilder(smallZip) { Pdf = PdfImageHarnessTests.Pdf("/Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", "/Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8") };
        if (r.Next(2) == 0)
            b.SetHeader("X-MSS-INS", Pick(r, SampleCda.Matricule, "2 79 03 51 215 189 89", "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(SampleCda.Matricule)) + "?=",
                SampleCda.Matricule + "\r\n " + SampleCda.Matricule, SampleCda.Matricule[..13], "", new string('9', 5000), "\u001b[2J" + SampleCda.Matricule));
        var text = Encoding.Latin1.GetString(b.Build());
        int edits = 1 + r.Next(3);
        for (int k = 0; k < edits; k++)
        {
            switch (r.Next(9))
            {
                case 8: // RFC 2047 encoded words and RFC 2231 parameters in charsets .NET refuses or does not know
                {
                    var cs = Pick(r, "utf-7", "UTF-7", "x-unknown", "", "utf-8*fr", "\u0000", "ibm037", "utf-32BE", "iso-2022-jp", "unicodeFFFE", "x-user-defined", "csISO2022JP");
                    text = r.Next(2) == 0
                        ? text.Replace("Subject: ", "Subject: =?" + cs + "?" + Pick(r, "B", "Q", "b", "X") + "?" + Pick(r, "QUJDRA==", "A+AOk-", "=FF=FE", "", "????") + "?= ", StringComparison.Ordinal)
                        : text.Replace("Content-Disposition: attachment;", "Content-Disposition: attachment; title*=" + cs + "''%41%2B%FF; title*1*=%41;", StringComparison.Ordinal);
                    break;
                }
                case 0: // boundaries
                {
                    var which = r.Next(2) == 0 ? Outer : Inner;
                    text = Pick(r, "empty", "long", "same", "quote", "space") switch
                    {
                        "empty" => text.Replace("boundary=\"" + which + "\"", "boundary=\"\"", StringComparison.Ordinal),
                        "long" => text.Replace(which, which + new string('x', 200), StringComparison.Ordinal),
                        "same" => text.Replace(Inner, Outer, StringComparison.Ordinal),
                        "quote" => text.Replace("boundary=\"" + which + "\"", "boundary=" + which + "\"\"", StringComparison.Ordinal),
                        _ => text.Replace("boundary=\"" + which + "\"", "boundary=\" " + which + " \"", StringComparison.Ordinal),
                    };
                    break;
                }
                case 1: // closing delimiters dropped or repeated
                    text = r.Next(2) == 0 ? text.Replace("--" + Outer + "--", "", StringComparison.Ordinal).Replace("--" + Inner + "--", "", StringComparison.Ordinal)
                        : text.Replace("--" + Inner + "\r\n", "--" + Inner + "\r\n--" + Inner + "\r\n", StringComparison.Ordinal);
                    break;
                case 2: // nesting depth
                {
                    int depth = int.Parse(Pick(r, "5", "60", "400", "3000"), CultureInfo.InvariantCulture);
                    int split = text.IndexOf("Content-Type: multipart/mixed", StringComparison.Ordinal);
                    if (split < 0) break;
                    var head = new StringBuilder(text[..split]);
                    var tail = new StringBuilder();
                    for (int d = 0; d < depth; d++)
                    {
                        head.Append("Content-Type: multipart/mixed; boundary=\"n").Append(d).Append("\"\r\n\r\n--n").Append(d).Append("\r\n");
                        tail.Insert(0, "\r\n--n" + d.ToString(CultureInfo.InvariantCulture) + "--\r\n");
                    }
                    text = head.Append(text[split..]).Append(tail).ToString();
                    break;
                }
                case 3: // transfer encodings
                    text = text.Replace("Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: " + Pick(r, "quoted-printable", "x-uuencode", "7bit", "binary", "BASE64", "base64; x=1", ""), StringComparison.Ordinal);
                    break;
                case 4: // base64 bodies damaged
                {
                    int i = text.IndexOf("base64\r\n", StringComparison.Ordinal);
                    if (i < 0) break;
                    int at = text.IndexOf("\r\n\r\n", i, StringComparison.Ordinal) + 4 + r.Next(200);
                    if (at < 4 || at >= text.Length) break;
                    text = text[..at] + Pick(r, "====", "!@#$%^&*", "\r\n\r\n", "=", new string('A', 100000), "--" + Inner + "--\r\n") + text[at..];
                    break;
                }
                case 5: // headers: folding, huge, repeated, encoded words, missing colon
                    text = Pick(r, "fold", "huge", "repeat", "nocolon", "charset") switch
                    {
                        "fold" => text.Replace("Subject: ", "Subject:\r\n \r\n ", StringComparison.Ordinal),
                        "huge" => "X-Long: " + new string('a', 300_000) + "\r\n" + text,
                        "repeat" => string.Concat(Enumerable.Repeat("X-MSS-INS: " + SampleCda.Matricule + "\r\n", 2000)) + text,
                        "nocolon" => "Garbage header line without colon\r\n" + text,
                        _ => text.Replace("charset=UTF-8", "charset=" + Pick(r, "x-unknown", "utf-7", "IBM037", "\"\"", "utf-16"), StringComparison.Ordinal),
                    };
                    break;
                case 6: // Content-Type parameters
                    text = text.Replace("Content-Type: application/zip; name=\"IHE_XDM.ZIP\"", "Content-Type: " + Pick(r, "application/zip", "application/zip; name*0*=utf-8''%FF%FE; name*1*=%", "application/octet-stream; name=\"../../IHE_XDM.ZIP\"", "multipart/mixed", "application/zip; name=\"\u001b[31m.ZIP\""), StringComparison.Ordinal);
                    break;
                default: // line endings
                    text = r.Next(2) == 0 ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text.Replace("\r\n", "\r", StringComparison.Ordinal);
                    break;
            }
        }
        return Encoding.Latin1.GetBytes(text);
    }

    // ---------------------------------------------------------------- indicator extractions (dates and numbers)

    private static readonly string[] HostileDates =
    [
        "01/10/2026", "05/10/2026", "31/10/2026", "31/12/9999", "30/12/9999", "01/12/9999", "01/01/0001", "02/01/0001", "29/02/2000",
        "29/02/2100", "1/1/1", "31/12/9999 23:59", "31/12/9999 23:59:59", "01/10/2026 25:00", "00/00/0000", "99/99/9999", "01/10/99999",
        "2026-10-01", "45000", "1e308", "-1", "", " ", "\u0661\u0660/\u0661\u0660/\u0662\u0660\u0662\u0666",
    ];

    private static readonly string[] Activities = ["MCO", "SSR", "PSY", "HAD", "RADIOTHERAPIE", "CHIMIOTHERAPIE", "DIALYSE", "URGENCES", ""];

    /// <summary>
    /// A venues extraction of a few patients whose dates are drawn from the ends of the calendar and from what is not
    /// a date, across every counting mode (venue, chained venues, series, history), with the documents and traces of
    /// the sample month dated the same way.
    /// </summary>
    public static (string Venues, string Documents, string Traces) IndicatorMonth(Random r)
    {
        var v = new StringBuilder("IPP;N° venue;UF;Date entrée;Date sortie;Hospitalisé sortant;Acte chirurgical;Consultation ACE;Activité;Décédé;Non assuré;Type INS;Mineur ASE;Nouveau-né maternité;DMP;Opposition DMP;INS qualifiée;Passage urgences seul\n");
        var d = new StringBuilder("IPP;N° venue;Date production;Id local du document;Type de document;Fichier;Non-transmission;Document historique\n");
        var t = new StringBuilder("Id local document;Date émission;code LOINC;IPP;Statut traitement DMP;N° séjour\n");
        int venues = 2 + r.Next(10);
        for (int i = 0; i < venues; i++)
        {
            string ipp = "P" + r.Next(3), no = "V" + i, act = Pick(r, Activities);
            string entry = r.Next(3) == 0 ? Pick(r, HostileDates) : "0" + (1 + r.Next(9)) + "/10/2026";
            string exit = r.Next(3) == 0 ? Pick(r, HostileDates) : "0" + (1 + r.Next(9)) + "/10/2026";
            v.Append(CultureInfo.InvariantCulture, $"{ipp};{no};U1;{entry};{exit};{Pick(r, "oui", "non")};non;{Pick(r, "oui", "non")};{act};non;non;NIR;non;non;ouvert;non;oui;non\n");
            if (r.Next(2) == 0)
            {
                var date = r.Next(2) == 0 ? Pick(r, HostileDates) : exit;
                d.Append(CultureInfo.InvariantCulture, $"{ipp};{no};{date};D{i};11490-0;;non;non\n");
                t.Append(CultureInfo.InvariantCulture, $"D{i};{(r.Next(2) == 0 ? Pick(r, HostileDates) : date)};11490-0;{ipp};SUCCES;{no}\n");
            }
        }
        return (v.ToString(), d.ToString(), t.ToString());
    }

    // ---------------------------------------------------------------- CSV

    public static byte[] Csv(Random r, byte[] seed)
    {
        var text = Encoding.UTF8.GetString(seed);
        var lines = text.Split('\n').ToList();
        int edits = 1 + r.Next(4);
        for (int k = 0; k < edits; k++)
        {
            int li = r.Next(lines.Count);
            var fields = lines[li].Split(';').ToList();
            int fi = r.Next(fields.Count);
            switch (r.Next(8))
            {
                case 0: fields[fi] = "\"" + fields[fi].Replace("\"", "\"\"", StringComparison.Ordinal) + "\""; break;         // well quoted
                case 1: fields[fi] = "\"" + fields[fi]; break;                                                                 // unbalanced quote
                case 2: fields[fi] = "\"" + fields[fi] + Pick(r, "\r\n", "\n", "\r", ";", "\"\"") + "suite\""; break;           // CR/LF/delimiter inside a quoted field
                case 3: fields[fi] = fields[fi] + "\"" + fields[fi]; break;                                                     // quote inside an unquoted field
                case 4: fields[fi] = "\uFEFF" + fields[fi]; break;                                                              // BOM in the middle
                case 5: lines[li] = lines[li].Replace(';', Pick(r, ",", "\t", "|")[0]); continue;                              // other delimiter
                case 6: fields[fi] = Pick(r, "", "\u0000", new string('x', 70000), "=cmd|' /C calc'!A0", "\u001b[31m", "01/13/2026", "31/02/2026"); break;
                default: lines.Insert(li, Pick(r, "", ";;;;;;;;;;;;", "\"", "\"\"\"", string.Concat(Enumerable.Repeat(";", 5000)))); continue;
            }
            lines[li] = string.Join(';', fields);
        }
        var result = string.Join(Pick(r, "\n", "\r\n", "\r"), lines);
        if (r.Next(3) == 0) result = result.TrimStart('\uFEFF');
        else if (r.Next(4) == 0) result = "\uFEFF" + result;
        return Encoding.UTF8.GetBytes(result);
    }

    // ---------------------------------------------------------------- XML

    public static byte[] Xml(Random r, string seed)
    {
        var xml = seed;
        int root = xml.IndexOf("<ClinicalDocument", StringComparison.Ordinal);
        var prolog = xml[..root];
        var body = xml[root..];
        var encoding = Encoding.UTF8;
        bool bom = false;
        int edits = 1 + r.Next(3);
        for (int k = 0; k < edits; k++)
        {
            switch (r.Next(6))
            {
                case 0: // DTD: internal subset, external entities, parameter entities, expansion
                    prolog += Pick(r,
                        "<!DOCTYPE ClinicalDocument [<!ENTITY e \"x\">]>",
                        "<!DOCTYPE ClinicalDocument SYSTEM \"file:///etc/passwd\">",
                        "<!DOCTYPE ClinicalDocument [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x\"> %p;]>",
                        "<!DOCTYPE ClinicalDocument [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>",
                        "<!DOCTYPE x PUBLIC \"-//x\" \"http://127.0.0.1:9/x.dtd\" [<!ATTLIST ClinicalDocument classCode CDATA \"DOCCLIN\">]>");
                    break;
                case 1: // entity references in text and attributes
                {
                    int at = body.IndexOf("<title>", StringComparison.Ordinal);
                    if (at > 0) body = body.Insert(at + 7, Pick(r, "&e;", "&d;", "&#0;", "&#x1B;", "&#xD800;", "&#1114112;", "&amp;&lt;", "&undefined;", "&#99999999999;"));
                    break;
                }
                case 2: // deep nesting
                {
                    int depth = int.Parse(Pick(r, "100", "5000", "100000"), CultureInfo.InvariantCulture);
                    int at = body.IndexOf("</ClinicalDocument>", StringComparison.Ordinal);
                    if (at > 0) body = body[..at] + string.Concat(Enumerable.Repeat("<x>", depth)) + string.Concat(Enumerable.Repeat("</x>", depth)) + body[at..];
                    break;
                }
                case 3: // declared encoding vs bytes
                {
                    var declared = Pick(r, "UTF-8", "UTF-16", "ISO-8859-1", "IBM037", "windows-1252", "x-bogus", "UTF-32", "utf-8\"?><?xml version=\"1.0");
                    prolog = System.Text.RegularExpressions.Regex.Replace(prolog, "encoding=\"[^\"]*\"", "encoding=\"" + declared + "\"");
                    if (!prolog.Contains("<?xml", StringComparison.Ordinal)) prolog = "<?xml version=\"1.0\" encoding=\"" + declared + "\"?>" + prolog;
                    encoding = Pick(r, "same", "utf8", "utf16", "latin1") switch
                    {
                        "utf16" => Encoding.Unicode,
                        "latin1" => Encoding.Latin1,
                        "same" when declared is "UTF-16" => Encoding.Unicode,
                        _ => Encoding.UTF8,
                    };
                    bom = r.Next(3) == 0;
                    break;
                }
                case 4: // processing instructions, CDATA, comments, namespaces
                {
                    int at = body.IndexOf("<recordTarget", StringComparison.Ordinal);
                    if (at > 0) body = body.Insert(at, Pick(r, "<?xml-stylesheet href=\"http://127.0.0.1:9/x.xsl\"?>", "<![CDATA[]]]]><![CDATA[>]]>", "<!-- -- -->", "<x xmlns=\"\"/>",
                        "<a:b xmlns:a=\"urn:hl7-org:v3\"/>", "<recordTarget/>", string.Concat(Enumerable.Repeat("<id root=\"1.2.250.1.213.1.4.8\" extension=\"1\"/>", 3000))));
                    break;
                }
                default: // attributes: many, duplicated, huge
                    body = body.Replace("<ClinicalDocument ", "<ClinicalDocument " + Pick(r, "a=\"1\" a=\"2\" ", string.Concat(Enumerable.Range(0, 20000).Select(i => $"a{i}=\"\" ")), "x=\"" + new string('v', 200000) + "\" ", "xmlns:xsi=\"urn:other\" "), StringComparison.Ordinal);
                    break;
            }
        }
        var bytes = encoding.GetBytes(prolog + body);
        return bom ? [.. encoding.GetPreamble(), .. bytes] : bytes;
    }
}
