using System.Globalization;
using System.Text;
using CdaCheck.Core.Localization;

namespace CdaCheck.Core.Rules;

/// <summary>
/// Says what differs between two identity values without showing either: which positions, a length difference,
/// case or accents only, spaces only, the same words in another order, swapped fields, which part of a date.
/// Positions are 1-based and count characters, as the masks do (a mask has as many characters as its value).
/// </summary>
public static class IdentityDiff
{
    public enum Kind { Same, SpacesOnly, CaseOnly, CaseOrAccents, WordOrder, Length, Positions }

    /// <summary>How two values differ: <see cref="Positions"/> are the differing positions of the first value.</summary>
    public sealed record Result(Kind Kind, IReadOnlyList<int> Positions, int LengthA, int LengthB);

    public static Result Compare(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal)) return new(Kind.Same, [], a.Length, b.Length);
        var positions = DifferingPositions(a, b);
        if (string.Equals(CollapseSpaces(a), CollapseSpaces(b), StringComparison.Ordinal)) return new(Kind.SpacesOnly, positions, a.Length, b.Length);
        if (string.Equals(a.ToUpperInvariant(), b.ToUpperInvariant(), StringComparison.Ordinal)) return new(Kind.CaseOnly, positions, a.Length, b.Length);
        var na = NormaliseName(a);
        var nb = NormaliseName(b);
        if (string.Equals(na, nb, StringComparison.Ordinal)) return new(Kind.CaseOrAccents, positions, a.Length, b.Length);
        var wa = na.Split(' ');
        var wb = nb.Split(' ');
        if (wa.Length > 1 && wa.Order(StringComparer.Ordinal).SequenceEqual(wb.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            return new(Kind.WordOrder, positions, a.Length, b.Length);
        return new(a.Length == b.Length ? Kind.Positions : Kind.Length, positions, a.Length, b.Length);
    }

    /// <summary>What differs, in words, for a finding message (shows no character of either value).</summary>
    public static string Describe(string a, string b, Lang lang) => Describe(Compare(a, b), lang);

    public static string Describe(Result r, Lang lang) => r.Kind switch
    {
        Kind.Same => Texts.Get(lang, "identity.diff.same"),
        Kind.SpacesOnly => Texts.Format(lang, "identity.diff.spaces", r.LengthA, r.LengthB),
        Kind.CaseOnly => Texts.Format(lang, "identity.diff.case", Positions(r.Positions)),
        Kind.CaseOrAccents => Texts.Format(lang, "identity.diff.accents", Positions(r.Positions)),
        Kind.WordOrder => Texts.Get(lang, "identity.diff.order"),
        Kind.Length => Texts.Format(lang, "identity.diff.length", r.LengthA, r.LengthB, r.Positions.Count > 0 ? r.Positions[0] : 1),
        _ => Texts.Format(lang, "identity.diff.positions", Positions(r.Positions), r.LengthA),
    };

    /// <summary>
    /// Dates as yyyyMMdd: which part differs (year, month, day), or day and month swapped.
    /// Falls back to <see cref="Describe(string, string, Lang)"/> for anything else.
    /// </summary>
    public static string DescribeDate(string isoA, string isoB, Lang lang)
    {
        if (isoA.Length < 8 || isoB.Length < 8 || !isoA[..8].All(char.IsAsciiDigit) || !isoB[..8].All(char.IsAsciiDigit))
            return Describe(isoA, isoB, lang);
        string ya = isoA[..4], ma = isoA[4..6], da = isoA[6..8], yb = isoB[..4], mb = isoB[4..6], db = isoB[6..8];
        if (ya == yb && ma == db && da == mb && ma != mb) return Texts.Get(lang, "identity.diff.date.swapped");
        var parts = new List<string>(3);
        if (ya != yb) parts.Add(Texts.Get(lang, "identity.diff.date.year"));
        if (ma != mb) parts.Add(Texts.Get(lang, "identity.diff.date.month"));
        if (da != db) parts.Add(Texts.Get(lang, "identity.diff.date.day"));
        return parts.Count == 0 ? Describe(isoA, isoB, lang) : Texts.Format(lang, "identity.diff.date.parts", string.Join(", ", parts));
    }

    /// <summary>True when each of two fields holds the other's value (e.g. given names in S4 and family name in S3).</summary>
    public static bool Swapped(string fieldA, string fieldB, string expectedA, string expectedB) =>
        !string.Equals(NormaliseName(fieldA), NormaliseName(expectedA), StringComparison.Ordinal)
        && string.Equals(NormaliseName(fieldA), NormaliseName(expectedB), StringComparison.Ordinal)
        && string.Equals(NormaliseName(fieldB), NormaliseName(expectedA), StringComparison.Ordinal);

    /// <summary>
    /// Positions (1-based) of <paramref name="a"/> that differ from <paramref name="b"/>: character by character when
    /// the lengths are equal, else the span between their common beginning and common end.
    /// </summary>
    public static IReadOnlyList<int> DifferingPositions(string a, string b)
    {
        var list = new List<int>();
        if (a.Length == b.Length)
        {
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) list.Add(i + 1);
            return list;
        }
        int prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        int suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        for (int i = prefix; i < a.Length - suffix; i++) list.Add(i + 1);
        if (list.Count == 0) list.Add(prefix + 1); // b only adds characters: the position after the common beginning
        return list;
    }

    /// <summary>"3, 7, 12" (at most 8 positions, then "…").</summary>
    public static string Positions(IReadOnlyList<int> positions) =>
        string.Join(", ", positions.Take(8).Select(p => p.ToString(CultureInfo.InvariantCulture))) + (positions.Count > 8 ? ", …" : "");

    private static string CollapseSpaces(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Upper case, French accents and ligatures folded, whitespace collapsed (how identity traits are compared).</summary>
    public static string NormaliseName(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool space = false;
        foreach (var ch in s.ToUpperInvariant())
        {
            if (char.IsWhiteSpace(ch)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            switch (ch)
            {
                case 'À' or 'Â' or 'Ä' or 'Á' or 'Ã' or 'Å': sb.Append('A'); break;
                case 'Ç': sb.Append('C'); break;
                case 'È' or 'É' or 'Ê' or 'Ë': sb.Append('E'); break;
                case 'Î' or 'Ï' or 'Í' or 'Ì': sb.Append('I'); break;
                case 'Ô' or 'Ö' or 'Ó' or 'Ò' or 'Õ': sb.Append('O'); break;
                case 'Ù' or 'Û' or 'Ü' or 'Ú': sb.Append('U'); break;
                case 'Ÿ': sb.Append('Y'); break;
                case 'Ñ': sb.Append('N'); break;
                case 'Æ': sb.Append("AE"); break;
                case 'Œ': sb.Append("OE"); break;
                case '’': sb.Append('\''); break;
                default: sb.Append(ch); break;
            }
        }
        return sb.ToString();
    }
}
