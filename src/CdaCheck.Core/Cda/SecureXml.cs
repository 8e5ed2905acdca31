using System.Xml;
using System.Xml.Linq;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Cda;

/// <summary>
/// The only way the engine reads XML: no DTD (a DOCTYPE is refused and reported), no external
/// resolution, bounded size and depth, line information kept for findings.
/// </summary>
public static class SecureXml
{
    public static XmlReaderSettings Settings(Limits limits) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = limits.MaxXmlChars,
        IgnoreComments = true,
        IgnoreProcessingInstructions = false,
        IgnoreWhitespace = false,
        CloseInput = false,
    };

    /// <summary>
    /// Parses XML bytes. Returns null and reports a finding when the input is refused or is not
    /// well-formed; never throws for bad input.
    /// </summary>
    public static XDocument? Load(ReadOnlyMemory<byte> bytes, FindingSink sink, Limits limits)
    {
        if (!DeclaredEncodingIsRead(bytes.Span, sink)) return null;
        try
        {
            using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var seg)
                ? new MemoryStream(seg.Array!, seg.Offset, seg.Count, writable: false)
                : new MemoryStream(bytes.ToArray(), writable: false);
            int nesting = MaxNesting(bytes.Span, limits.MaxXmlDepth);
            return Load(stream, sink, limits, depthPrePass: nesting < 0 || nesting > limits.MaxXmlDepth);
        }
        catch (OutOfMemoryException)
        {
            sink.Report(SecurityRules.InputTooLarge, Location.None, bytes.Length, Limits.Named("xml-chars", limits.MaxXmlChars));
            return null;
        }
    }

    /// <summary>
    /// The encoding the XML declaration names, checked against the bytes before parsing: an encoding .NET does not
    /// read (IBM037, windows-1252 without a provider…) would be ignored by the parser, and ISO-8859-1 declared over
    /// UTF-8 bytes would be read as mojibake (names and birth places garbled, then compared). Both are reported
    /// (SEC-023) and the document is not read. A declaration that matches the bytes (UTF-8, or ISO-8859-1 over bytes
    /// that are not UTF-8) is honoured by the parser. Documents with a byte-order mark are left to the parser.
    /// </summary>
    internal static bool DeclaredEncodingIsRead(ReadOnlySpan<byte> bytes, FindingSink sink)
    {
        if (bytes.Length >= 2 && (bytes[0] is 0xFE or 0xFF || bytes[0] == 0 || bytes[1] == 0)) return true;
        var name = DeclaredEncoding(bytes);
        if (name is null || name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase)) return true;
        var shown = new string(name.Take(40).Select(c => c is >= ' ' and < (char)0x7F ? c : '?').ToArray());
        System.Text.Encoding? enc;
        try { enc = System.Text.Encoding.GetEncoding(name); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException) { enc = null; }
        if (enc is null || enc.CodePage is 1200 or 1201 or 12000 or 12001)
        {
            sink.Report(SecurityRules.DeclaredEncoding, new Location { Line = 1 }, shown, "CdaCheck does not read this encoding");
            return false;
        }
        if (enc.CodePage == 65001) return true;
        bool nonAscii = false;
        foreach (var b in bytes) if (b >= 0x80) { nonAscii = true; break; }
        if (nonAscii && System.Text.Unicode.Utf8.IsValid(bytes))
        {
            sink.Report(SecurityRules.DeclaredEncoding, new Location { Line = 1 }, shown, "the bytes are UTF-8");
            return false;
        }
        return true;
    }

    /// <summary>The encoding pseudo-attribute of an ASCII-compatible XML declaration, or null.</summary>
    internal static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var head = bytes[start..Math.Min(bytes.Length, start + 256)];
        if (!head.StartsWith("<?xml"u8)) return null;
        int end = head.IndexOf("?>"u8);
        if (end < 0) return null;
        var decl = System.Text.Encoding.ASCII.GetString(head[..end]);
        var m = System.Text.RegularExpressions.Regex.Match(decl, @"\sencoding\s*=\s*(?:""([^""]*)""|'([^']*)')");
        return m.Success ? (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) : null;
    }

    /// <summary>
    /// <see cref="Load(ReadOnlyMemory{byte}, FindingSink, Limits)"/> for validation: large base64 payloads
    /// are decoded straight from the bytes and ride on the document (<see cref="Base64Blobs"/>) instead of
    /// being built as strings. Same findings; the document must not be saved back (payloads are markers).
    /// </summary>
    public static XDocument? LoadForValidation(byte[] bytes, FindingSink sink, Limits limits)
    {
        byte[] input;
        Base64Blobs? blobs;
        try { input = Base64Blobs.Extract(bytes, limits.MaxEmbeddedBytes, limits.MaxXmlChars, out blobs); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { input = bytes; blobs = null; }
        var doc = Load(input, sink, limits);
        if (doc is not null && blobs is not null) doc.AddAnnotation(blobs);
        return doc;
    }

    public static XDocument? Load(Stream stream, FindingSink sink, Limits limits) => Load(stream, sink, limits, depthPrePass: true);

    /// <param name="depthPrePass">False only when the bytes are known to nest no deeper than the limit (<see cref="MaxNesting"/>).</param>
    private static XDocument? Load(Stream stream, FindingSink sink, Limits limits, bool depthPrePass)
    {
        try
        {
            if (depthPrePass && TooDeep(stream, limits))
            {
                sink.Report(SecurityRules.XmlTooDeep, Location.None, limits.MaxXmlDepth);
                return null;
            }
            using var reader = XmlReader.Create(new BudgetedStream(stream), Settings(limits));
            var doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
            var depth = MaxDepth(doc, limits.MaxXmlDepth + 1);
            if (depth > limits.MaxXmlDepth)
            {
                sink.Report(SecurityRules.XmlTooDeep, Location.None, limits.MaxXmlDepth);
                return null;
            }
            return doc;
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            sink.Report(SecurityRules.DoctypeRefused, new Location { Line = NullIfZero(ex.LineNumber), Column = NullIfZero(ex.LinePosition) });
            return null;
        }
        catch (XmlException ex) when (ex.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal)
                                      || ex.Message.Contains("maximum", StringComparison.OrdinalIgnoreCase) && ex.Message.Contains("characters", StringComparison.OrdinalIgnoreCase))
        {
            sink.Report(SecurityRules.InputTooLarge, Location.None, "> " + limits.MaxXmlChars.ToString(System.Globalization.CultureInfo.InvariantCulture), Limits.Named("xml-chars", limits.MaxXmlChars));
            return null;
        }
        catch (XmlException ex) when (ex.Message.Contains("given encoding", StringComparison.OrdinalIgnoreCase))
        {
            sink.Report(SecurityRules.InvalidEncoding, new Location { Line = NullIfZero(ex.LineNumber), Column = NullIfZero(ex.LinePosition) });
            return null;
        }
        catch (XmlException ex)
        {
            sink.Report(ParseRules.NotWellFormed, new Location { Line = NullIfZero(ex.LineNumber), Column = NullIfZero(ex.LinePosition) }, Sanitize(ex.Message, sink.Reveal));
            return null;
        }
        catch (System.Text.DecoderFallbackException)
        {
            sink.Report(SecurityRules.InvalidEncoding, Location.None);
            return null;
        }
    }

    /// <summary>
    /// A streaming pass over the elements (no tree built) that stops at the first one deeper than the limit: building
    /// the tree of 100,000 nested elements before measuring its depth took the whole time budget (SEC-004 instead of
    /// SEC-003). Any other problem is left to the parse that follows, which reports it; the stream is rewound.
    /// </summary>
    private static bool TooDeep(Stream stream, Limits limits)
    {
        if (!stream.CanSeek) return false;
        long start = stream.Position;
        try
        {
            using var pre = XmlReader.Create(new BudgetedStream(stream), Settings(limits));
            while (pre.Read())
                if (pre.NodeType == XmlNodeType.Element && pre.Depth >= limits.MaxXmlDepth) return true;
            return false;
        }
        catch (XmlException) { return false; }
        catch (System.Text.DecoderFallbackException) { return false; }
        finally { stream.Position = start; }
    }

    /// <summary>
    /// A bound on the element nesting an XML parser can reach in <paramref name="xml"/> before its first error, from
    /// the bytes alone (no parser, no strings), so that the streaming depth pass (<see cref="TooDeep"/>) runs only for
    /// documents that may be too deep. Returns a value above <paramref name="stopAbove"/> as soon as the nesting may go
    /// beyond it, and -1 when the bytes are not read here (not UTF-8 or ISO-8859-1, a DOCTYPE, a construct left open):
    /// the caller then runs the pass. Each element needs a '&lt;' byte, so their count bounds it when it is within the
    /// limit; otherwise the markup is followed as the parser does (comments, CDATA sections and processing instructions
    /// skipped, quoted attribute values, empty-element tags), which gives the nesting exactly for a well-formed
    /// document and for the well-formed part of any other.
    /// </summary>
    internal static int MaxNesting(ReadOnlySpan<byte> xml, int stopAbove)
    {
        // ASCII-compatible single-byte or UTF-8 text only: in both, the markup bytes are the markup characters
        if (xml.Length >= 2 && (xml[0] is 0xFE or 0xFF || xml[0] == 0 || xml[1] == 0)) return -1;
        if (DeclaredEncoding(xml) is { } name && !(name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase)
                                                  || name.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase))) return -1;
        int count = xml.Count((byte)'<');
        if (count <= stopAbove) return count;
        int depth = 0, max = 0, i = 0;
        while (true)
        {
            int lt = xml[i..].IndexOf((byte)'<');
            if (lt < 0) return max;
            i += lt + 1;
            if (i >= xml.Length) return -1;
            var rest = xml[i..];
            int skip;
            switch (rest[0])
            {
                case (byte)'!' when rest.StartsWith("!--"u8):
                    skip = rest[3..].IndexOf("-->"u8); if (skip < 0) return -1; i += 3 + skip + 3; break;
                case (byte)'!' when rest.StartsWith("![CDATA["u8):
                    skip = rest[8..].IndexOf("]]>"u8); if (skip < 0) return -1; i += 8 + skip + 3; break;
                case (byte)'!':
                    return -1; // DOCTYPE (refused by the parser) or not XML
                case (byte)'?':
                    skip = rest.IndexOf("?>"u8); if (skip < 0) return -1; i += skip + 2; break;
                case (byte)'/':
                    skip = rest.IndexOf((byte)'>'); if (skip < 0) return -1; i += skip + 1; depth--; break;
                default:
                {
                    // a start tag: its '>' is the first one outside a quoted attribute value
                    int j = 0;
                    byte quote = 0;
                    for (; j < rest.Length; j++)
                    {
                        byte b = rest[j];
                        if (quote != 0) { if (b == quote) quote = 0; }
                        else if (b is (byte)'"' or (byte)'\'') quote = b;
                        else if (b == (byte)'>') break;
                    }
                    if (j == rest.Length) return -1;
                    if (++depth > max && (max = depth) > stopAbove) return max;
                    if (j > 0 && rest[j - 1] == (byte)'/') depth--; // empty-element tag
                    i += j + 1;
                    break;
                }
            }
        }
    }

    /// <summary>Depth of the deepest element, stopping as soon as <paramref name="stopAt"/> is reached. Iterative.</summary>
    public static int MaxDepth(XDocument doc, int stopAt)
    {
        if (doc.Root is null) return 0;
        int max = 0;
        var stack = new Stack<(XElement e, int d)>();
        stack.Push((doc.Root, 1));
        while (stack.Count > 0)
        {
            var (e, d) = stack.Pop();
            if (d > max) { max = d; if (max >= stopAt) return max; }
            // XNode.PreviousNode walks the sibling list from the start (quadratic on wide elements): go forward.
            foreach (var ce in e.Elements()) stack.Push((ce, d + 1));
        }
        return max;
    }

    private static int? NullIfZero(int v) => v == 0 ? null : v;

    /// <summary>
    /// The parser's reason on one line, at most 200 characters. The parser quotes the document's own text between
    /// apostrophes ("'MARTIN-DUPONT' is an unexpected token", "undeclared entity 'x'", "the end tag of 'x'"), which can
    /// be a patient's name or matricule: unless identity is revealed, every quoted text longer than one character is
    /// shown as one '*' per character (the line and column still say where it is).
    /// </summary>
    internal static string Sanitize(string message, bool reveal)
    {
        var m = message.ReplaceLineEndings(" ");
        if (!reveal) m = MaskQuoted(m);
        return m.Length > 200 ? m[..200] + "…" : m;
    }

    private static string MaskQuoted(string m)
    {
        var sb = new System.Text.StringBuilder(m.Length);
        int i = 0;
        while (i < m.Length)
        {
            int open = m.IndexOf('\'', i);
            if (open < 0) { sb.Append(m, i, m.Length - i); break; }
            int close = m.IndexOf('\'', open + 1);
            if (close < 0) { sb.Append(m, i, m.Length - i); break; }
            sb.Append(m, i, open + 1 - i);
            int len = close - open - 1;
            if (len > 1) sb.Append('*', len); else sb.Append(m, open + 1, len);
            sb.Append('\'');
            i = close + 1;
        }
        return sb.ToString();
    }
}
