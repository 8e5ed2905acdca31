using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Xml.Linq;

namespace CdaCheck.Core.Cda;

/// <summary>
/// Fast path for the large base64 payloads of CDA bodies (the embedded PDF is 95 % of an N1 document):
/// before the XML parser sees the bytes, each text content of an element whose start tag says
/// <c>representation="B64"</c> that is only base64 and XML white space (≥ <see cref="MinRun"/> bytes,
/// followed by the element's end tag) is decoded straight from the UTF-8 bytes and replaced by a short
/// marker (line breaks kept, so line numbers of later nodes do not move). The decoded bytes ride on the
/// <see cref="XDocument"/> as this annotation; <see cref="BodyChecks"/> takes them from there.
/// Anything unusual (invalid base64, over the size limit, CDATA, DOCTYPE, non-UTF-8 input) is left
/// untouched for the ordinary path, which reports it exactly as before. Only the validator loads
/// with this option: a document loaded this way must not be saved back.
/// </summary>
public sealed class Base64Blobs
{
    public const int MinRun = 1024;
    private const string Prefix = "cdacheck-b64:";
    private readonly List<byte[]> _blobs = new();

    public int Count => _blobs.Count;

    /// <summary>The bytes extracted for the text content of <paramref name="e"/> (null when it was not extracted).</summary>
    public static byte[]? For(XElement e)
    {
        var blobs = e.Document?.Annotation<Base64Blobs>();
        if (blobs is null || e.FirstNode is not XText t || t.NextNode is not null) return null;
        var v = t.Value;
        if (!v.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        int end = Prefix.Length;
        while (end < v.Length && char.IsAsciiDigit(v[end])) end++;
        if (!int.TryParse(v.AsSpan(Prefix.Length, end - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int k)) return null;
        for (int i = end; i < v.Length; i++) if (v[i] is not ('\n' or '\r' or ' ' or '\t')) return null;
        return k >= 0 && k < blobs._blobs.Count ? blobs._blobs[k] : null;
    }

    /// <summary>
    /// Returns <paramref name="xml"/> with the extractable payloads replaced by markers (the same array
    /// when there is none) and the decoded payloads in <paramref name="blobs"/>.
    /// </summary>
    public static byte[] Extract(byte[] xml, long maxDecodedBytes, long maxChars, out Base64Blobs? blobs)
    {
        blobs = null;
        var span = xml.AsSpan();
        if (xml.Length < MinRun || xml.LongLength > maxChars) return xml;
        // UTF-8 (or ASCII-compatible) only: a UTF-16 BOM means the bytes are not what we scan
        if (span.Length >= 2 && (span[0] == 0xFE && span[1] == 0xFF || span[0] == 0xFF && span[1] == 0xFE)) return xml;
        if (span.IndexOf("<![CDATA["u8) >= 0 || span.IndexOf("<!DOCTYPE"u8) >= 0) return xml;
        var head = span[..Math.Min(span.Length, 200)];
        int enc = head.IndexOf("encoding="u8);
        if (enc >= 0)
        {
            var rest = head[(enc + 9)..];
            if (rest.Length < 2) return xml;
            var name = rest[1..];
            int q = name.IndexOfAny((byte)'"', (byte)'\'');
            if (q < 0) return xml;
            name = name[..q];
            if (!(System.Text.Ascii.EqualsIgnoreCase(name, "UTF-8"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "UTF8"u8))) return xml;
        }

        List<(int Start, int End, byte[] Bytes, int Breaks)>? runs = null;
        int pos = 0;
        while (pos < span.Length)
        {
            int rel = span[pos..].IndexOf("representation="u8);
            if (rel < 0) break;
            int at = pos + rel;
            pos = at + 15;
            if (pos + 5 > span.Length) break;
            if (!(span[pos] is (byte)'"' or (byte)'\'') || !span.Slice(pos + 1, 3).SequenceEqual("B64"u8) || span[pos + 4] != span[pos]) continue;
            // the attribute must be in a start tag: the nearest '<' before it opens an element, no '>' in between
            int lt = span[..at].LastIndexOf((byte)'<');
            if (lt < 0 || span[(lt + 1)..at].IndexOf((byte)'>') >= 0) continue;
            if (lt + 1 >= span.Length || span[lt + 1] is (byte)'/' or (byte)'!' or (byte)'?') continue;
            int gt = span[(pos + 5)..].IndexOf((byte)'>');
            if (gt < 0) break;
            gt += pos + 5;
            if (span[gt - 1] == (byte)'/') { pos = gt; continue; } // empty element
            int start = gt + 1;
            int ltNext = span[start..].IndexOf((byte)'<');
            if (ltNext < 0) break;
            int end = start + ltNext;
            pos = end;
            if (end - start < MinRun || end + 1 >= span.Length || span[end + 1] != (byte)'/') continue;
            var bytes = DecodeRun(span[start..end], maxDecodedBytes, out int breaks);
            if (bytes is null) continue;
            (runs ??= new()).Add((start, end, bytes, breaks));
        }
        if (runs is null) return xml;

        blobs = new Base64Blobs();
        using var outStream = new MemoryStream(xml.Length / 8 + 1024);
        int copied = 0;
        foreach (var (start, end, bytes, breaks) in runs)
        {
            outStream.Write(span[copied..start]);
            var marker = System.Text.Encoding.ASCII.GetBytes(Prefix + blobs._blobs.Count.ToString(CultureInfo.InvariantCulture));
            outStream.Write(marker);
            WriteLineBreaks(outStream, breaks);
            blobs._blobs.Add(bytes);
            copied = end;
        }
        outStream.Write(span[copied..]);
        return outStream.ToArray();
    }

    /// <summary>
    /// Writes <paramref name="breaks"/> '\n': as many as the run had line breaks as the XML parser counts them
    /// ('\r\n', lone '\r' and lone '\n' are one each, see <see cref="DecodeRun"/>), so the lines of later nodes keep
    /// their numbers. Writing the breaks as they were would not do: with the base64 gone, a lone '\r' can end up just
    /// before a '\n' and the two count once.
    /// </summary>
    private static void WriteLineBreaks(MemoryStream output, int breaks)
    {
        Span<byte> newlines = stackalloc byte[256];
        newlines.Fill((byte)'\n');
        for (; breaks > 0; breaks -= newlines.Length) output.Write(newlines[..Math.Min(breaks, newlines.Length)]);
    }

    private static readonly SearchValues<byte> XmlSpace = SearchValues.Create(" \t\r\n"u8);

    /// <summary>
    /// Decodes base64 with XML white space ignored, or null when it is not plain valid base64 within the limit
    /// (bad characters, bad padding, a length not a multiple of 4). The white space is squeezed out first with
    /// vectorised searches so that the decoder stays on its vectorised path (it handles white space one block at a
    /// time otherwise), and the result is decoded straight into an array of its exact size. <paramref name="breaks"/>
    /// counts the line breaks met on the way, as the XML parser does: each '\r', and each '\n' not just after a '\r'.
    /// </summary>
    private static byte[]? DecodeRun(ReadOnlySpan<byte> run, long maxDecodedBytes, out int breaks)
    {
        breaks = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(run.Length);
        try
        {
            int n = 0, pos = 0;
            while (pos < run.Length)
            {
                int ws = run[pos..].IndexOfAny(XmlSpace);
                var piece = ws < 0 ? run[pos..] : run.Slice(pos, ws);
                piece.CopyTo(buffer.AsSpan(n));
                n += piece.Length;
                if (ws < 0) break;
                int at = pos + ws;
                byte c = run[at];
                if (c == (byte)'\r' || c == (byte)'\n' && !(at > 0 && run[at - 1] == (byte)'\r')) breaks++;
                pos = at + 1;
            }
            var text = buffer.AsSpan(0, n);
            if (n == 0 || n % 4 != 0) return null;
            int padding = text[^1] == (byte)'=' ? text[^2] == (byte)'=' ? 2 : 1 : 0;
            long length = n / 4 * 3L - padding;
            if (length <= 0 || length > maxDecodedBytes) return null;
            var bytes = GC.AllocateUninitializedArray<byte>((int)length);
            var status = Base64.DecodeFromUtf8(text, bytes, out int consumed, out int written);
            if (status != OperationStatus.Done || consumed != n || written != length) return null;
            return bytes;
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }
}
