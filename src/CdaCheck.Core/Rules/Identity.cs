namespace CdaCheck.Core.Rules;

/// <summary>Kinds of identity values that reports mask unless the user asks to reveal them.</summary>
public enum IdentityKind
{
    Matricule,
    Name,
    BirthDate,
    PlaceCode,
    Sex,
    /// <summary>Where an OID is expected (the INS authority, DataMatrix S2): shown when it is an OID, masked otherwise.</summary>
    Oid,
    Other,
}

/// <summary>
/// An identity value passed as an argument to a finding message or a report field. It renders
/// masked unless <see cref="ValidationOptions.RevealIdentity"/> is set. Never log its value.
/// </summary>
public readonly record struct Identity(string? Value, IdentityKind Kind)
{
    public string Render(bool reveal) => reveal ? Value ?? "" : IdentityMask.Mask(Value, Kind);
    public override string ToString() => IdentityMask.Mask(Value, Kind);

    public static Identity Matricule(string? v) => new(v, IdentityKind.Matricule);
    public static Identity Name(string? v) => new(v, IdentityKind.Name);
    public static Identity BirthDate(string? v) => new(v, IdentityKind.BirthDate);
    public static Identity Place(string? v) => new(v, IdentityKind.PlaceCode);
    public static Identity Sex(string? v) => new(v, IdentityKind.Sex);
    /// <summary>A value found where an OID is expected: shown when it is one, masked otherwise (it can be a matricule).</summary>
    public static Identity Oid(string? v) => new(v, IdentityKind.Oid);
}

public static class IdentityMask
{
    /// <summary>
    /// Masks a value so that no character of it is shown: one mask character per character of the value (so a
    /// finding can say at which positions two masked values differ); a birth date keeps its separators.
    /// </summary>
    public static string Mask(string? value, IdentityKind kind)
    {
        if (value is null) return "(none)";
        if (value.Length == 0) return "(empty)";
        return kind switch
        {
            // M/F/UN alone identifies nobody and is needed to read the finding; anything else in a sex field (a name
            // typed in the wrong field, a crafted value) is masked like any trait
            IdentityKind.Sex => IsSexCode(value) ? value : new string('*', value.Length),
            // an arc of 8 digits or more is masked: a birth date or a matricule appended to a real OID
            IdentityKind.Oid => IsOid(value) ? MaskLongArcs(value) : new string('*', value.Length),
            IdentityKind.BirthDate => string.Create(value.Length, value, static (span, v) =>
            {
                for (int i = 0; i < v.Length; i++) span[i] = char.IsLetterOrDigit(v[i]) ? '*' : v[i];
            }),
            _ => new string('*', value.Length),
        };
    }

    private static string MaskLongArcs(string oid)
    {
        var arcs = oid.Split('.');
        bool any = false;
        for (int i = 0; i < arcs.Length; i++)
            if (arcs[i].Length >= 8) { arcs[i] = new string('*', arcs[i].Length); any = true; }
        return any ? string.Join('.', arcs) : oid;
    }

    /// <summary>A sex code of HL7 v3 AdministrativeGender or HL7 v2 table 0001 (M, F, UN, U, O, A, N, I), any case.</summary>
    public static bool IsSexCode(string value) =>
        value.Length is 1 or 2 && value.ToUpperInvariant() is "M" or "F" or "UN" or "U" or "O" or "A" or "N" or "I";

    /// <summary>
    /// An OID as a report may show it (the authority of an INS, S2 of a DataMatrix): arcs of digits without leading zeros,
    /// at most 64 characters. Anything else found where an OID is expected is shown masked, because it can be a
    /// matricule or a name written in the wrong place.
    /// </summary>
    public static bool IsOid(string value)
    {
        if (value.Length is < 3 or > 64 || value[0] is < '0' or > '2') return false;
        int arcStart = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                int len = i - arcStart;
                if (len == 0 || len > 1 && value[arcStart] == '0') return false;
                arcStart = i + 1;
            }
            else if (value[i] is < '0' or > '9') return false;
        }
        return value.Contains('.');
    }

    /// <summary>
    /// A value found where a fixed text is expected (the 26-character header of an INS DataMatrix): its beginning as far
    /// as it is the expected text, then one '*' per character (the rest can be the matricule or a name when the payload
    /// is shifted or crafted; showing the characters that happen to match further on would show some of its digits).
    /// </summary>
    public static string AgainstExpected(string value, string expected) => string.Create(value.Length, (value, expected), static (span, s) =>
    {
        int i = 0;
        for (; i < s.value.Length && i < s.expected.Length && s.value[i] == s.expected[i]; i++) span[i] = s.value[i];
        span[i..].Fill('*');
    });

    /// <summary>
    /// Free text of a document shown in a report (its title…) with every identity trait it contains masked: see
    /// <see cref="TraitScrubber"/>.
    /// </summary>
    public static string Scrub(string text, IEnumerable<string?> traits) => TraitScrubber.For(traits)?.Apply(text) ?? text;

    private static readonly string[] FrenchMonths =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    /// <summary>
    /// A birth date (YYYYMMDD…) in the forms people print it: YYYYMMDD, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY, YYYY-MM-DD
    /// and in words as a French letter writes it ("14 juillet 1985", "1 mai 1985", "1er mai 1985"); empty when the
    /// value does not start with 8 digits. Both the report scrubber and <c>evidence</c> search these.
    /// </summary>
    public static IEnumerable<string> PrintedDates(string? ts)
    {
        if (ts is null || ts.Length < 8 || ts.AsSpan(0, 8).IndexOfAnyExceptInRange('0', '9') >= 0) yield break;
        string y = ts[..4], m = ts[4..6], d = ts[6..8];
        yield return y + m + d;
        yield return $"{d}/{m}/{y}";
        yield return $"{d}-{m}-{y}";
        yield return $"{d}.{m}.{y}";
        yield return $"{y}-{m}-{d}";
        int month = (m[0] - '0') * 10 + (m[1] - '0'), day = (d[0] - '0') * 10 + (d[1] - '0');
        if (month is < 1 or > 12) yield break;
        var name = FrenchMonths[month - 1];
        yield return $"{d} {name} {y}";
        if (day < 10) yield return $"{day} {name} {y}";
        if (day == 1) yield return $"1er {name} {y}";
    }

    /// <summary>Upper case without accents, one character for one (so positions in the folded text are those of the text).</summary>
    internal static string Fold(string s) => string.Create(s.Length, s, static (span, v) =>
    {
        for (int i = 0; i < v.Length; i++)
        {
            char c = char.ToUpperInvariant(v[i]);
            span[i] = c switch
            {
                'À' or 'Â' or 'Ä' or 'Á' or 'Ã' or 'Å' => 'A',
                'Ç' => 'C',
                'È' or 'É' or 'Ê' or 'Ë' => 'E',
                'Î' or 'Ï' or 'Í' or 'Ì' => 'I',
                'Ô' or 'Ö' or 'Ó' or 'Ò' or 'Õ' => 'O',
                'Ù' or 'Û' or 'Ü' or 'Ú' => 'U',
                'Ÿ' or 'Ý' => 'Y',
                'Ñ' => 'N',
                _ => c,
            };
        }
    });
}

/// <summary>
/// Masks, in any text, the identity traits of the documents of one input, one '*' per character: the values themselves
/// (3 characters or more), the words of the names (3 letters or more), the birth date as YYYYMMDD, YYYY-MM-DD,
/// DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY and DDMMYYYY, the matricule without its key and spaced as on a carte Vitale.
/// Matched as whole words, whatever the case and the accents. The last net under every message that quotes the
/// input's own text (an entry name, a title, a parser's or a kit's message).
/// </summary>
public sealed class TraitScrubber
{
    private readonly string[] _forms; // folded, longest first

    private TraitScrubber(string[] forms) => _forms = forms;

    /// <summary>Null when there is no trait to look for.</summary>
    public static TraitScrubber? For(IEnumerable<string?> traits)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        void Add(string f) { if (f.Length >= 3) forms.Add(IdentityMask.Fold(f)); }
        foreach (var t in traits)
        {
            if (t is null) continue;
            var v = t.Trim();
            if (v.Length < 3) continue;
            Add(v);
            foreach (var w in v.Split([' ', '-', ',', '\''], StringSplitOptions.RemoveEmptyEntries)) Add(w);
            if (v.Length >= 8 && v.AsSpan(0, 8).IndexOfAnyExceptInRange('0', '9') < 0)
            {
                foreach (var f in IdentityMask.PrintedDates(v)) Add(f);
                Add(v[6..8] + v[4..6] + v[..4]); // DDMMYYYY
            }
            if (v.Length == 15)
                foreach (var f in new[] { v[..13], $"{v[..1]} {v[1..3]} {v[3..5]} {v[5..7]} {v[7..10]} {v[10..13]} {v[13..]}", $"{v[..1]} {v[1..3]} {v[3..5]} {v[5..7]} {v[7..10]} {v[10..13]}" }) Add(f);
        }
        if (forms.Count == 0) return null;
        var sorted = forms.ToArray();
        Array.Sort(sorted, (a, b) => b.Length.CompareTo(a.Length)); // a full name before its words
        return new TraitScrubber(sorted);
    }

    public string Apply(string text)
    {
        if (text.Length < 3) return text;
        var folded = IdentityMask.Fold(text);
        char[]? chars = null;
        foreach (var f in _forms)
        {
            int at = 0;
            while ((at = folded.IndexOf(f, at, StringComparison.Ordinal)) >= 0)
            {
                int end = at + f.Length;
                if ((at == 0 || !char.IsLetterOrDigit(folded[at - 1])) && (end == folded.Length || !char.IsLetterOrDigit(folded[end])))
                {
                    chars ??= text.ToCharArray();
                    for (int i = at; i < end; i++) if (!char.IsWhiteSpace(chars[i])) chars[i] = '*';
                }
                at = end;
            }
        }
        return chars is null ? text : new string(chars);
    }
}
