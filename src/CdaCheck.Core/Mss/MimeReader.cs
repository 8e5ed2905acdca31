using System.Globalization;
using System.Text;

namespace CdaCheck.Core.Mss;

/// <summary>One MIME entity: headers (unfolded), decoded body for leaves, children for multiparts.</summary>
public sealed class MimePart
{
    public required string PartPath { get; init; }
    public List<KeyValuePair<string, string>> Headers { get; } = new();
    public string MediaType { get; set; } = "text/plain";
    public Dictionary<string, string> ContentTypeParams { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string> DispositionParams { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public string? Disposition { get; set; }
    public byte[] Body { get; set; } = Array.Empty<byte>();
    public List<MimePart> Children { get; } = new();
    /// <summary>False when the header section is not closed by a blank line (truncated entity).</summary>
    public bool HeaderTerminated { get; set; } = true;
    /// <summary>Set when a multipart has no usable boundary or no part.</summary>
    public string? StructureProblem { get; set; }

    /// <summary>First structural problem in this entity or below (iterative).</summary>
    public string? FirstProblem()
    {
        var stack = new Stack<MimePart>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var p = stack.Pop();
            if (!p.HeaderTerminated) return "header section of part " + p.PartPath + " not terminated by a blank line";
            if (p.StructureProblem is not null) return p.StructureProblem + " in part " + p.PartPath;
            foreach (var c in p.Children) stack.Push(c);
        }
        return null;
    }

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>File name from Content-Disposition filename (RFC 2231/2047 decoded) or Content-Type name.</summary>
    public string? FileName =>
        DispositionParams.TryGetValue("filename", out var f) && f.Length > 0 ? f
        : ContentTypeParams.TryGetValue("name", out var n) && n.Length > 0 ? n : null;

    public bool IsMultipart => MediaType.StartsWith("multipart/", StringComparison.Ordinal);

    /// <summary>All leaf parts, depth-first (iterative).</summary>
    public IEnumerable<MimePart> Leaves()
    {
        var stack = new Stack<MimePart>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var p = stack.Pop();
            if (p.Children.Count == 0) { yield return p; continue; }
            for (int i = p.Children.Count - 1; i >= 0; i--) stack.Push(p.Children[i]);
        }
    }
}

public sealed class MimeLimitException(string what, int limit) : Exception($"MIME {what} above {limit}")
{
    public string What { get; } = what;
    public int Limit { get; } = limit;
}

/// <summary>
/// A narrow RFC 5322 / MIME reader for MSSanté messages: header folding, RFC 2047 encoded words,
/// RFC 2231 parameters (continuations and charsets), nested multiparts, base64 and
/// quoted-printable. Bounded: nesting depth, number of parts, header section size.
/// </summary>
public static class MimeReader
{
    public const int MaxDepth = 8;
    public const int MaxParts = 500;
    public const int MaxHeaderBytes = 256 * 1024;

    /// <summary>Parses a message. Throws <see cref="MimeLimitException"/> when a bound is exceeded.</summary>
    public static MimePart Parse(byte[] bytes, Action? budget = null)
    {
        // Latin-1 maps each byte to one char, so offsets and binary bodies survive the round trip.
        var text = Encoding.Latin1.GetString(bytes);
        int parts = 0;
        return ParseEntity(text, "0", 0, ref parts, budget);
    }

    private static MimePart ParseEntity(string text, string path, int depth, ref int parts, Action? budget)
    {
        if (depth > MaxDepth) throw new MimeLimitException("nesting depth", MaxDepth);
        if (++parts > MaxParts) throw new MimeLimitException("part count", MaxParts);
        budget?.Invoke();
        var part = new MimePart { PartPath = path };
        int split = HeaderEnd(text, out int bodyStart);
        part.HeaderTerminated = bodyStart < text.Length || split < text.Length;
        if (split > MaxHeaderBytes) throw new MimeLimitException("header size", MaxHeaderBytes);
        ReadHeaders(text.AsSpan(0, split), part.Headers);
        var body = bodyStart <= text.Length ? text[bodyStart..] : "";

        var ct = part.Header("Content-Type");
        if (ct is not null)
        {
            var (value, ps) = ParseParameters(ct);
            if (value.Contains('/')) part.MediaType = value.ToLowerInvariant();
            part.ContentTypeParams = ps;
        }
        var cd = part.Header("Content-Disposition");
        if (cd is not null)
        {
            var (value, ps) = ParseParameters(cd);
            part.Disposition = value.ToLowerInvariant();
            part.DispositionParams = ps;
        }

        if (part.IsMultipart)
        {
            if (!part.ContentTypeParams.TryGetValue("boundary", out var boundary) || boundary.Length is 0 or > 200)
            {
                part.StructureProblem = "multipart without a valid boundary";
                return part;
            }
            int i = 1;
            foreach (var chunk in SplitMultipart(body, boundary))
            {
                part.Children.Add(ParseEntity(chunk, path == "0" ? i.ToString(CultureInfo.InvariantCulture) : path + "." + i, depth + 1, ref parts, budget));
                i++;
            }
            if (part.Children.Count == 0) part.StructureProblem = "multipart with no body part";
            return part;
        }
        part.Body = Decode(body, part.Header("Content-Transfer-Encoding"));
        return part;
    }

    /// <summary>Index of the end of the header section; <paramref name="bodyStart"/> is after the blank line.</summary>
    private static int HeaderEnd(string t, out int bodyStart)
    {
        if (t.StartsWith("\r\n", StringComparison.Ordinal)) { bodyStart = 2; return 0; }
        if (t.StartsWith('\n')) { bodyStart = 1; return 0; }
        int a = t.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        int b = t.IndexOf("\n\n", StringComparison.Ordinal);
        if (a >= 0 && (b < 0 || a <= b)) { bodyStart = a + 4; return a; }
        if (b >= 0) { bodyStart = b + 2; return b; }
        bodyStart = t.Length;
        return t.Length;
    }

    private static void ReadHeaders(ReadOnlySpan<char> section, List<KeyValuePair<string, string>> headers)
    {
        string? name = null;
        var value = new StringBuilder();
        foreach (var raw in section.ToString().Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (name is not null) value.Append(' ').Append(line.Trim());
                continue;
            }
            if (name is not null) headers.Add(new(name, value.ToString().Trim()));
            name = null;
            value.Clear();
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            name = line[..colon].Trim();
            value.Append(line[(colon + 1)..]);
        }
        if (name is not null) headers.Add(new(name, value.ToString().Trim()));
    }

    private static IEnumerable<string> SplitMultipart(string body, string boundary)
    {
        var delim = "--" + boundary;
        var result = new List<string>();
        int pos = 0;
        int start = -1;
        while (pos <= body.Length)
        {
            int idx = body.IndexOf(delim, pos, StringComparison.Ordinal);
            if (idx < 0) break;
            bool atLineStart = idx == 0 || body[idx - 1] == '\n';
            if (!atLineStart || !EndsDelimiterLine(body, idx + delim.Length)) { pos = idx + delim.Length; continue; }
            if (start >= 0)
            {
                int end = idx;
                if (end > 0 && body[end - 1] == '\n') end--;
                if (end > 0 && body[end - 1] == '\r') end--;
                result.Add(body[start..Math.Max(start, end)]);
            }
            int after = idx + delim.Length;
            if (after + 1 < body.Length + 1 && body.AsSpan(after).StartsWith("--")) return result;
            int nl = body.IndexOf('\n', after);
            if (nl < 0) return result;
            start = nl + 1;
            pos = start;
        }
        if (start >= 0 && start < body.Length) result.Add(body[start..]);
        return result;
    }

    /// <summary>
    /// Whether the text after "--boundary" at <paramref name="after"/> ends a delimiter line (RFC 2046 5.1.1): "--" (the
    /// close delimiter), or only transport padding (spaces, tabs) up to the line end. "--Bx" is a line of content for
    /// boundary "B", not a delimiter (1,000 such lines made 1,000 parts).
    /// </summary>
    private static bool EndsDelimiterLine(string body, int after)
    {
        if (body.AsSpan(after).StartsWith("--")) return true;
        for (int i = after; i < body.Length; i++)
        {
            char c = body[i];
            if (c is '\r' or '\n') return true;
            if (c is not (' ' or '\t')) return false;
        }
        return true;
    }

    private static byte[] Decode(string body, string? encoding)
    {
        switch (encoding?.Trim().ToLowerInvariant())
        {
            case "base64": return DecodeBase64(body);
            case "quoted-printable": return DecodeQuotedPrintable(body);
            default: return Encoding.Latin1.GetBytes(body);
        }
    }

    public static byte[] DecodeBase64(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            if (char.IsAsciiLetterOrDigit(c) || c is '+' or '/') sb.Append(c);
        // Padding is recomputed: a truncated last quantum is dropped rather than failing the whole part.
        int rem = sb.Length % 4;
        if (rem == 1) sb.Length -= 1;
        else if (rem > 1) sb.Append('=', 4 - rem);
        return Convert.FromBase64String(sb.ToString());
    }

    public static byte[] DecodeQuotedPrintable(string s)
    {
        var o = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '=')
            {
                if (i + 1 < s.Length && s[i + 1] == '\n') { i += 1; continue; }
                if (i + 2 < s.Length && s[i + 1] == '\r' && s[i + 2] == '\n') { i += 2; continue; }
                if (i + 2 < s.Length && Uri.IsHexDigit(s[i + 1]) && Uri.IsHexDigit(s[i + 2]))
                {
                    o.Add((byte)Convert.ToInt32(s.Substring(i + 1, 2), 16));
                    i += 2;
                    continue;
                }
            }
            o.Add((byte)c);
        }
        return o.ToArray();
    }

    /// <summary>Splits "value; a=b; c*=utf-8''x; d*0=..; d*1=.." and decodes RFC 2231 / RFC 2047 parameter values.</summary>
    public static (string Value, Dictionary<string, string> Params) ParseParameters(string header)
    {
        var parts = SplitParams(header);
        var ps = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var continuations = new Dictionary<string, SortedDictionary<int, (string Value, bool Encoded)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in parts.Skip(1))
        {
            int eq = p.IndexOf('=');
            if (eq <= 0) continue;
            var name = p[..eq].Trim();
            var val = Unquote(p[(eq + 1)..].Trim());
            bool encoded = name.EndsWith('*');
            if (encoded) name = name[..^1];
            int star = name.IndexOf('*');
            if (star > 0 && int.TryParse(name[(star + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int idx) && idx < 1000)
            {
                var baseName = name[..star];
                if (!continuations.TryGetValue(baseName, out var d)) continuations[baseName] = d = new();
                d[idx] = (val, encoded);
                continue;
            }
            ps[name] = encoded ? DecodeRfc2231(val, null, out _) : DecodeEncodedWords(val);
        }
        foreach (var (name, segs) in continuations)
        {
            string? charset = null;
            var raw = new List<byte>();
            bool first = true;
            foreach (var (_, (v, enc)) in segs)
            {
                bool isFirst = first;
                first = false;
                if (enc)
                {
                    var bytes = PercentBytes(v, ref charset, first: isFirst);
                    raw.AddRange(bytes);
                }
                else raw.AddRange(Encoding.Latin1.GetBytes(v));
            }
            ps[name] = GetEncoding(charset).GetString(raw.ToArray());
        }
        return (parts[0].Trim(), ps);
    }

    private static List<string> SplitParams(string s)
    {
        var list = new List<string>();
        var sb = new StringBuilder();
        bool q = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '"') q = !q;
            if (c == '\\' && q && i + 1 < s.Length) { sb.Append(c).Append(s[++i]); continue; }
            if (c == ';' && !q) { list.Add(sb.ToString()); sb.Clear(); continue; }
            sb.Append(c);
        }
        list.Add(sb.ToString());
        return list;
    }

    private static string Unquote(string v)
    {
        if (v.Length >= 2 && v[0] == '"' && v[^1] == '"')
        {
            var sb = new StringBuilder();
            for (int i = 1; i < v.Length - 1; i++)
            {
                if (v[i] == '\\' && i + 1 < v.Length - 1) i++;
                sb.Append(v[i]);
            }
            return sb.ToString();
        }
        return v;
    }

    private static byte[] PercentBytes(string v, ref string? charset, bool first)
    {
        if (first)
        {
            var a = v.IndexOf('\'');
            var b = a >= 0 ? v.IndexOf('\'', a + 1) : -1;
            if (a >= 0 && b > a) { charset = v[..a]; v = v[(b + 1)..]; }
        }
        var o = new List<byte>(v.Length);
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i] == '%' && i + 2 < v.Length && Uri.IsHexDigit(v[i + 1]) && Uri.IsHexDigit(v[i + 2]))
            {
                o.Add((byte)Convert.ToInt32(v.Substring(i + 1, 2), 16));
                i += 2;
            }
            else o.Add((byte)v[i]);
        }
        return o.ToArray();
    }

    /// <summary>Decodes an RFC 2231 extended value (charset'lang'percent-encoded).</summary>
    public static string DecodeRfc2231(string v, string? charsetIn, out string? charset)
    {
        charset = charsetIn;
        var bytes = PercentBytes(v, ref charset, first: true);
        return GetEncoding(charset).GetString(bytes);
    }

    private static Encoding GetEncoding(string? charset)
    {
        switch (charset?.Trim().ToLowerInvariant())
        {
            case null: case "": case "utf-8": case "utf8": return new UTF8Encoding(false, false);
            case "us-ascii": case "ascii": return Encoding.ASCII;
            case "iso-8859-1": case "latin1": case "iso-8859-15": case "windows-1252": case "cp1252": return Encoding.Latin1;
            default:
                // an unknown name is an ArgumentException, UTF-7 (disabled in .NET) a NotSupportedException
                try { return Encoding.GetEncoding(charset); }
                catch (Exception ex) when (ex is ArgumentException or NotSupportedException) { return new UTF8Encoding(false, false); }
        }
    }

    /// <summary>
    /// Decodes RFC 2047 encoded words (=?charset?B|Q?text?=). Whitespace between adjacent encoded
    /// words is dropped. Header values were read as Latin-1; raw 8-bit UTF-8 is repaired.
    /// </summary>
    public static string DecodeEncodedWords(string s)
    {
        if (!s.Contains("=?", StringComparison.Ordinal)) return RepairUtf8(s);
        var sb = new StringBuilder();
        int i = 0;
        bool lastWasEncoded = false;
        var pendingSpace = new StringBuilder();
        while (i < s.Length)
        {
            int start = s.IndexOf("=?", i, StringComparison.Ordinal);
            if (start < 0) { sb.Append(pendingSpace).Append(s[i..]); break; }
            int q1 = s.IndexOf('?', start + 2);
            int q2 = q1 < 0 ? -1 : s.IndexOf('?', q1 + 1);
            int end = q2 < 0 ? -1 : s.IndexOf("?=", q2 + 1, StringComparison.Ordinal);
            if (q1 < 0 || q2 != q1 + 2 || end < 0)
            {
                sb.Append(pendingSpace).Append(s[i..(start + 2)]);
                pendingSpace.Clear();
                i = start + 2;
                lastWasEncoded = false;
                continue;
            }
            var between = s[i..start];
            if (!(lastWasEncoded && string.IsNullOrWhiteSpace(between))) sb.Append(RepairUtf8(between));
            var charset = s[(start + 2)..q1];
            int star = charset.IndexOf('*');
            if (star >= 0) charset = charset[..star];
            var mode = char.ToUpperInvariant(s[q1 + 1]);
            var payload = s[(q2 + 1)..end];
            byte[] bytes;
            try
            {
                bytes = mode == 'B' ? DecodeBase64(payload) : DecodeQuotedPrintable(payload.Replace('_', ' '));
            }
            catch (FormatException) { bytes = Encoding.Latin1.GetBytes(payload); }
            sb.Append(GetEncoding(charset).GetString(bytes));
            i = end + 2;
            lastWasEncoded = true;
        }
        return sb.ToString();
    }

    /// <summary>Raw 8-bit header text read as Latin-1: re-read as UTF-8 when that is valid.</summary>
    private static string RepairUtf8(string s)
    {
        if (s.All(c => c < 0x80)) return s;
        var bytes = Encoding.Latin1.GetBytes(s);
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { return s; }
    }
}
