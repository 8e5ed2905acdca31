using System.Text;

namespace CdaCheck.Core.DataMatrix;

/// <summary>How a data block of the INS message zone ends.</summary>
public enum SeparatorKind
{
    None,
    /// <summary>The GS byte 0x1D.</summary>
    Gs,
    /// <summary>The two characters "GS" written as text (seen in ANS example PDFs).</summary>
    LiteralGs,
    /// <summary>The text "&lt;GS&gt;" (keyboard-wedge scanners, hand-made payloads).</summary>
    AngleGs,
}

/// <summary>One data block <c>&lt;ID&gt;&lt;value&gt;[&lt;GS&gt;]</c>.</summary>
public sealed record InsField(string Id, string Value, int Offset, SeparatorKind Separator)
{
    public bool IsKnown => Id is "S1" or "S2" or "S3" or "S4" or "S5" or "S6" or "S7";
    /// <summary>Fixed length of S1, S5, S6, S7; null for variable fields.</summary>
    public int? FixedLength => InsPayload.FixedLength(Id);
    /// <summary>Maximum length of a variable field (S2 20, S3/S4 100).</summary>
    public int? MaxLength => InsPayload.MaxLength(Id);
}

/// <summary>
/// The INS DataMatrix payload (ANS "INS — Format datamatrix" v2.2): a 26-character header
/// <c>IS01</c> + 22 zeros, then data blocks S1–S7. Parsing is lenient (dispatch by identifier,
/// accepts literal "GS" separators) so that every defect can be named by its own rule.
/// </summary>
public sealed class InsPayload
{
    public const string ExpectedHeader = "IS010000000000000000000000";
    public const int HeaderLength = 26;

    public required string Raw { get; init; }
    /// <summary>The first 26 characters when the payload has a header (starts with "IS" or "DC"), else null.</summary>
    public string? Header { get; init; }
    public int ZoneStart { get; init; }
    public List<InsField> Fields { get; } = new();
    /// <summary>Offset where parsing stopped on data that is not an identifier, or -1.</summary>
    public int UnparsedAt { get; set; } = -1;

    public InsField? this[string id] => Fields.FirstOrDefault(f => f.Id == id);

    public static int? FixedLength(string id) => id switch { "S1" => 15, "S5" => 1, "S6" => 10, "S7" => 5, _ => null };
    public static int? MaxLength(string id) => id switch { "S2" => 20, "S3" or "S4" => 100, _ => null };

    public static InsPayload Parse(string raw)
    {
        const int maxFields = 64;
        string? header = null;
        int zone = 0;
        if (raw.Length >= 2 && (raw.StartsWith("IS", StringComparison.Ordinal) || raw.StartsWith("DC", StringComparison.Ordinal)))
        {
            header = raw.Length >= HeaderLength ? raw[..HeaderLength] : raw;
            zone = Math.Min(raw.Length, HeaderLength);
        }
        var p = new InsPayload { Raw = raw, Header = header, ZoneStart = zone };
        int pos = zone;
        while (pos < raw.Length)
        {
            if (raw[pos] < 0x20 && raw[pos] != '\u001D') { pos++; continue; } // control bytes: reported by their own rules
            if (p.Fields.Count >= maxFields || !IsId(raw, pos)) { p.UnparsedAt = pos; break; }
            string id = raw.Substring(pos, 2);
            int start = pos + 2, end = start;
            while (end < raw.Length && raw[end] != '\u001D' && !IsId(raw, end) && !IsAngleGs(raw, end) && !IsLiteralGs(raw, end)) end++;
            if (FixedLength(id) is int fixedLen && end - start > fixedLen) end = start + fixedLen; // the rest is not part of the field
            var value = raw[start..end];
            var sep = SeparatorKind.None;
            if (end < raw.Length)
            {
                if (raw[end] == '\u001D') { sep = SeparatorKind.Gs; end++; }
                else if (IsAngleGs(raw, end)) { sep = SeparatorKind.AngleGs; end += 4; }
                else if (IsLiteralGs(raw, end)) { sep = SeparatorKind.LiteralGs; end += 2; }
            }
            p.Fields.Add(new InsField(id, value, pos, sep));
            pos = end;
        }
        return p;
    }

    private static bool IsId(string s, int i) => i + 1 < s.Length && s[i] == 'S' && s[i + 1] >= '0' && s[i + 1] <= '9';
    private static bool IsAngleGs(string s, int i) => string.CompareOrdinal(s, i, "<GS>", 0, 4) == 0;
    /// <summary>"GS" as text, followed by the next identifier or the end of the payload.</summary>
    private static bool IsLiteralGs(string s, int i) =>
        i + 1 < s.Length && s[i] == 'G' && s[i + 1] == 'S' && (i + 2 == s.Length || IsId(s, i + 2));

    /// <summary>Builds a well-formed payload (GS only where the format wants it).</summary>
    public static string Build(IEnumerable<(string Id, string Value)> fields)
    {
        var list = fields.ToList();
        var sb = new StringBuilder(ExpectedHeader);
        for (int i = 0; i < list.Count; i++)
        {
            var (id, v) = list[i];
            sb.Append(id).Append(v);
            if (i < list.Count - 1 && MaxLength(id) is int max && v.Length < max) sb.Append('\u001D');
        }
        return sb.ToString();
    }
}
