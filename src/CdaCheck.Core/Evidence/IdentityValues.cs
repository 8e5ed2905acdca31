using System.Text;
using CdaCheck.Core.DataMatrix;

namespace CdaCheck.Core.Evidence;

/// <summary>
/// The original identity values of a patient, as needles to find in text: matricule (and its 13-digit body),
/// names (whole values and each token of two letters or more), birth date in the usual printed forms, and
/// other values (birth place code, other patient ids, telecom) that are only searched in the CDA text. The patient's
/// address is removed from the header but not searched elsewhere (a shared city or street is not an identity value).
/// Matching is on normalised text (upper case, French accents folded) and bounded by non-letters
/// (names) or non-digits (numbers), so "PAUL" does not match "PAULINE" but does match "Paul,".
/// Never log these values.
/// </summary>
public sealed class IdentityValues
{
    private readonly List<string> _numbers = new();   // compared compact (whitespace removed), digit-bounded
    private readonly List<string> _names = new();     // compared normalised, letter-bounded
    private readonly List<string> _cdaOnly = new();   // CDA text only, normalised, bounded by letters/digits

    public IReadOnlyList<string> Numbers => _numbers;
    public IReadOnlyList<string> Names => _names;
    public IReadOnlyList<string> CdaOnly => _cdaOnly;
    public bool IsEmpty => _numbers.Count == 0 && _names.Count == 0;

    public void AddMatricule(string? m)
    {
        var c = Compact(m ?? "");
        if (c.Length < 8) return;
        Add(_numbers, c);
        if (c.Length == 15) Add(_numbers, c[..13]);
    }

    /// <summary>A name value; with <paramref name="tokens"/> (given-name lists) each space-separated name of 3+ letters too.</summary>
    public void AddName(string? name, bool tokens = false)
    {
        var n = DataMatrixStage.NormaliseName(name ?? "").Trim();
        if (n.Length < 2) return;
        Add(_names, n);
        if (n.Contains('-')) Add(_names, n.Replace('-', ' ')); // "MARTIN-DUPONT" printed as "MARTIN DUPONT"
        if (tokens)
            foreach (var tok in n.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (tok.Length >= 3) Add(_names, tok);
    }

    /// <summary>
    /// Birth date YYYYMMDD[...]: its printed forms (<see cref="CdaCheck.Core.Rules.IdentityMask.PrintedDates"/>: YYYYMMDD,
    /// DD/MM/YYYY…, "14 juillet 1985", "1er mai 1985"), compared compact, accents folded.
    /// </summary>
    public void AddBirthDate(string? ts)
    {
        foreach (var f in CdaCheck.Core.Rules.IdentityMask.PrintedDates(ts))
            Add(_numbers, Compact(DataMatrixStage.NormaliseName(f)));
    }

    /// <summary>Another patient identifier (IPP, NIR of the beneficiary…): searched everywhere, like a matricule, when 6+ characters.</summary>
    public void AddOtherId(string? value)
    {
        var c = DataMatrixStage.NormaliseName(Compact(value ?? ""));
        if (c.Length >= 6) Add(_numbers, c);
        else AddCdaOnly(value);
    }

    public void AddCdaOnly(string? value)
    {
        var n = DataMatrixStage.NormaliseName(value ?? "").Trim();
        if (n.Length >= 3) Add(_cdaOnly, n);
    }

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private void Add(List<string> list, string v)
    {
        // no duplicate within a list (a set per list, tagged, instead of a linear search: many ids stay linear)
        if (_seen.Add(ListTag(list) + v)) list.Add(v);
    }

    private char ListTag(List<string> list) => ReferenceEquals(list, _numbers) ? 'N' : ReferenceEquals(list, _names) ? 'A' : 'C';

    public static string Compact(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) if (!char.IsWhiteSpace(c)) sb.Append(c);
        return sb.ToString();
    }

    /// <summary>True when <paramref name="text"/> shows one of the PDF-relevant values (numbers compact, names as words).</summary>
    public bool Leaks(string text) => FirstLeak(text, includeCdaOnly: false) is not null;

    /// <summary>The kind of the first value found ("matricule or date", "name", "other identifier"), null when none. Never the value.</summary>
    /// <remarks>Linear in the text whatever the number of values: each list is indexed by value length (one hash set per
    /// distinct length), and every position of the text is looked up once per distinct length, instead of searching the
    /// text once per value (5,000 identifiers were 5,000 scans of every text run).</remarks>
    public string? FirstLeak(string text, bool includeCdaOnly)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var norm = DataMatrixStage.NormaliseName(text);
        var compact = Compact(norm);
        if (Index(_numbers, ref _numberIndex).Find(compact, char.IsAsciiDigit)) return "matricule or birth date";
        if (Index(_names, ref _nameIndex).Find(norm, char.IsLetter)) return "name";
        if (includeCdaOnly && Index(_cdaOnly, ref _cdaOnlyIndex).Find(norm, char.IsLetterOrDigit)) return "other identifying value";
        return null;
    }

    private NeedleIndex? _numberIndex, _nameIndex, _cdaOnlyIndex;
    private int _indexedCount = -1;

    private NeedleIndex Index(List<string> list, ref NeedleIndex? index)
    {
        int total = _numbers.Count + _names.Count + _cdaOnly.Count;
        if (total != _indexedCount) { _numberIndex = _nameIndex = _cdaOnlyIndex = null; _indexedCount = total; }
        return index ??= new NeedleIndex(list);
    }

    /// <summary>Values grouped by length, looked up by span (no substring allocated per position).</summary>
    private sealed class NeedleIndex
    {
        private readonly (int Length, HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Set)[] _byLength;

        public NeedleIndex(IEnumerable<string> values) =>
            _byLength = values.Where(v => v.Length > 0).GroupBy(v => v.Length).OrderBy(g => g.Key)
                .Select(g => (g.Key, new HashSet<string>(g, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>())).ToArray();

        /// <summary>Same answer as <see cref="ContainsBounded"/> for any of the values.</summary>
        public bool Find(string haystack, Func<char, bool> sameClass)
        {
            foreach (var (len, set) in _byLength)
            {
                if (len > haystack.Length) break;
                var span = haystack.AsSpan();
                for (int i = 0; i + len <= haystack.Length; i++)
                {
                    if (!set.Contains(span.Slice(i, len))) continue;
                    if (len >= 6) return true;
                    bool before = i == 0 || !(sameClass(haystack[i - 1]) && sameClass(haystack[i]));
                    int e = i + len;
                    bool after = e >= haystack.Length || !(sameClass(haystack[e]) && sameClass(haystack[e - 1]));
                    if (before && after) return true;
                }
            }
            return false;
        }
    }

    /// <summary>Occurrence of <paramref name="word"/> not glued to a character of the same class on either side.</summary>
    public static bool ContainsBounded(string haystack, string word, Func<char, bool> sameClass)
    {
        if (word.Length == 0) return false;
        // Long values are identifying wherever they stand (text runs glued together, damaged spacing):
        // only short ones need word boundaries to avoid false alarms ("LUC" in "LUCIDE").
        if (word.Length >= 6) return haystack.Contains(word, StringComparison.Ordinal);
        int i = 0;
        while ((i = haystack.IndexOf(word, i, StringComparison.Ordinal)) >= 0)
        {
            bool before = i == 0 || !(sameClass(haystack[i - 1]) && sameClass(word[0]));
            int e = i + word.Length;
            bool after = e >= haystack.Length || !(sameClass(haystack[e]) && sameClass(word[^1]));
            if (before && after) return true;
            i++;
        }
        return false;
    }
}
