using System.Text;
using System.Text.Json;
using CdaCheck.Core.Reference;

namespace CdaCheck.Core.Indicators;

/// <summary>
/// The headers hospitals really have (schemas/indicators/columns.json: the regional counting workbook's own
/// headers and the usual export spellings) mapped to the canonical columns of docs/indicators.md, plus the
/// user's mapping file (<c>--columns FILE</c>, lines <c>canonical=Header as in my file</c>). Matching ignores
/// case, accents, spaces and punctuation ("Au moins un acte chirurgical ?" = "au moins un acte chirurgical").
/// </summary>
public sealed class ColumnAliases
{
    public static readonly string[] Roles = ["venues", "documents", "traces", "mss", "identities"];

    // role → header key → canonical column (normalised like CsvReader.NormalizeHeader)
    private readonly Dictionary<string, Dictionary<string, string>> _byRole = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _sheets = new(StringComparer.Ordinal);

    public string Version { get; private init; } = "";

    /// <summary>No alias: only the canonical headers (and their punctuation-free spellings) match.</summary>
    public static ColumnAliases None { get; } = new();

    public static ColumnAliases Load(ReferenceData data) => data.Get("indicators/columns.json", Parse);

    private static ColumnAliases Parse(JsonElement root)
    {
        var a = new ColumnAliases { Version = root.TryGetProperty("version", out var v) ? v.GetString() ?? "" : "" };
        if (!root.TryGetProperty("roles", out var roles) || roles.ValueKind != JsonValueKind.Object)
            throw new ReferenceDataException("indicators/columns.json: 'roles' is missing.");
        foreach (var role in roles.EnumerateObject())
        {
            var map = a.Map(role.Name);
            if (role.Value.TryGetProperty("sheets", out var sheets))
                a._sheets[role.Name] = sheets.EnumerateArray().Select(x => CsvReader.NormalizeHeader(x.GetString() ?? "")).ToList();
            if (!role.Value.TryGetProperty("columns", out var cols) || cols.ValueKind != JsonValueKind.Object)
                throw new ReferenceDataException($"indicators/columns.json: role '{role.Name}' has no columns.");
            foreach (var col in cols.EnumerateObject())
            {
                var canonical = CsvReader.NormalizeHeader(col.Name);
                map.TryAdd(Key(col.Name), canonical);
                foreach (var alias in col.Value.EnumerateArray())
                    if (alias.GetString() is { Length: > 0 } s) map.TryAdd(Key(s), canonical);
            }
        }
        if (a._byRole.Count == 0) throw new ReferenceDataException("indicators/columns.json: no role.");
        return a;
    }

    private Dictionary<string, string> Map(string role)
    {
        if (!_byRole.TryGetValue(role, out var m)) _byRole[role] = m = new Dictionary<string, string>(StringComparer.Ordinal);
        return m;
    }

    /// <summary>
    /// Header key: normalised (case, accents, spaces) and without punctuation ("N° venue" → "no venue"); the degree
    /// sign of "N°" ends a word, so "N°de venue" and "N°venue", as some exports write them, are "no de venue" and "no venue".
    /// </summary>
    public static string Key(string header)
    {
        var n = CsvReader.NormalizeHeader(header.Contains('°') || header.Contains('º') ? header.Replace("°", "° ").Replace("º", "º ") : header);
        var sb = new StringBuilder(n.Length);
        bool space = false;
        foreach (var c in n)
        {
            if (char.IsLetterOrDigit(c)) { if (space && sb.Length > 0) sb.Append(' '); sb.Append(c); space = false; }
            else space = true;
        }
        return sb.ToString();
    }

    /// <summary>The canonical column (normalised) a header stands for in a file of this role, null when none.</summary>
    public string? Canonical(string role, string header) =>
        _byRole.TryGetValue(role, out var m) && m.TryGetValue(Key(header), out var c) ? c : null;

    /// <summary>The resolver <see cref="CsvTable.Stream(IEnumerable{CsvRecord}, string, IReadOnlyList{string}, List{InputError}, Func{CsvTable, Action{CsvRecord}}, Func{string, string?}?)"/> takes for a role, with the canonical columns always known.</summary>
    public Func<string, string?> For(string role, IEnumerable<string> canonicalColumns)
    {
        var own = canonicalColumns.ToDictionary(Key, CsvReader.NormalizeHeader, StringComparer.Ordinal);
        return header => Canonical(role, header) ?? own.GetValueOrDefault(Key(header));
    }

    /// <summary>Whether a sheet name is one the table gives for this role ("Séjours" for venues…).</summary>
    public bool IsSheetOf(string role, string sheet) =>
        _sheets.TryGetValue(role, out var names) && names.Contains(CsvReader.NormalizeHeader(sheet));

    /// <summary>
    /// This table plus the user's mapping: each non-blank line not starting with '#' is
    /// <c>canonical column=header as in the file</c> (or <c>role.canonical=header</c> for one extraction only).
    /// A canonical column that no extraction has, or a line without '=', stops the run (exit 2).
    /// </summary>
    public ColumnAliases WithUserMapping(string path, IReadOnlyDictionary<string, string[]> canonicalByRole, CdaCheck.Core.Localization.Lang lang = CdaCheck.Core.Localization.Lang.Fr)
    {
        string T(string key, params object?[] args) => CdaCheck.Core.Localization.Texts.Format(lang, key, args);
        var copy = new ColumnAliases { Version = Version };
        foreach (var (role, m) in _byRole) copy._byRole[role] = new Dictionary<string, string>(m, StringComparer.Ordinal);
        foreach (var (role, s) in _sheets) copy._sheets[role] = s;
        var name = Path.GetFileName(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException("no such file: " + path, path);
        if (info.Length > 1 << 20) throw new IndicatorInputException(name, null, T("ind.columns.tooLarge"));
        var options = new CdaCheck.Core.Validation.ValidationOptions { Limits = new CdaCheck.Core.Validation.Limits { MaxInputBytes = 1 << 20 }, Language = lang };
        var bytes = IndicatorInputException.ReadWhole(path, name, options, T("ind.columns.tooLarge"));
        int line = 0;
        var user = new List<(string Role, string Key, string Canonical)>();
        foreach (var raw in ReadLines(bytes))
        {
            line++;
            var l = raw.Trim().TrimStart('\uFEFF');
            if (l.Length == 0 || l[0] == '#') continue;
            int eq = l.IndexOf('=');
            if (eq <= 0 || eq == l.Length - 1) throw new IndicatorInputException(name, line, T("ind.columns.expected"));
            var left = l[..eq].Trim();
            var header = l[(eq + 1)..].Trim();
            string[] roles = Roles;
            int dot = left.IndexOf('.');
            if (dot > 0 && Roles.Contains(left[..dot].Trim().ToLowerInvariant()))
            {
                roles = [left[..dot].Trim().ToLowerInvariant()];
                left = left[(dot + 1)..].Trim();
            }
            var canonical = CsvReader.NormalizeHeader(left);
            bool known = false;
            foreach (var role in roles)
                if (canonicalByRole.TryGetValue(role, out var cols) && cols.Any(c => CsvReader.NormalizeHeader(c) == canonical))
                {
                    known = true;
                    user.Add((role, Key(header), canonical));
                }
            if (!known) throw new IndicatorInputException(name, line, T("ind.columns.unknown", left));
        }
        // the user's lines win over the table's aliases
        foreach (var (role, key, canonical) in user) copy.Map(role)[key] = canonical;
        return copy;
    }

    private static IEnumerable<string> ReadLines(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        while (reader.ReadLine() is { } line) yield return line;
    }
}
