using System.Buffers;
using System.Globalization;
using System.Text;

namespace CdaCheck.Core.Indicators;

/// <summary>An input problem with a file and a 1-based line (JSON <c>inputErrors</c>).</summary>
/// <summary>A problem in an input file, with the rule it falls under when it is a limit or hostile-input defence (SEC-08x).</summary>
public sealed record InputError(string File, int Line, string Message, string? RuleId = null);

/// <summary>One CSV record: its fields and the physical line it started on.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// Semicolon-separated reader for the hospital extractions: UTF-8 (BOM tolerated), RFC 4180 quoting
/// (quoted fields may hold ';', '"' doubled and newlines). Bounded: a record longer than
/// <see cref="MaxRecordChars"/> stops the file with an input error instead of exhausting memory.
/// </summary>
public static class CsvReader
{
    public const int MaxRecordChars = 1 << 20;
    public const int MaxFields = 1000;

    /// <summary>Bytes looked at to tell a Windows-1252 export from UTF-8 (the header and the first rows).</summary>
    public const int EncodingSampleBytes = 1 << 16;

    /// <summary>
    /// A reader for an extraction file: UTF-8 (a BOM is honoured), unless the file has no BOM and its first
    /// <see cref="EncodingSampleBytes"/> bytes hold byte sequences that are not UTF-8 and not one that is (what
    /// Excel's "CSV (séparateur : point-virgule)" writes on a French Windows: "Date Entrée" with é as the single
    /// byte E9): that file is read as Windows-1252 and <paramref name="windows1252"/> is true. A file with valid
    /// UTF-8 accents and a stray bad byte stays UTF-8 (the bad byte becomes U+FFFD, SEC-082).
    /// </summary>
    public static StreamReader OpenText(Stream stream, int bufferSize, out bool windows1252) => OpenText(stream, bufferSize, out windows1252, out _);

    /// <summary>
    /// The same, and the separator: ';' (the extractions' own), unless the first line has no ';' and holds tabs or
    /// commas (a DPI's tab-separated export, an English-locale CSV): then the more frequent of the two.
    /// </summary>
    public static StreamReader OpenText(Stream stream, int bufferSize, out bool windows1252, out char separator)
    {
        windows1252 = false;
        separator = ';';
        if (stream.CanSeek)
        {
            var sample = new byte[EncodingSampleBytes];
            int n = 0, got;
            while (n < sample.Length && (got = stream.Read(sample, n, sample.Length - n)) > 0) n += got;
            stream.Seek(0, SeekOrigin.Begin);
            windows1252 = LooksLikeWindows1252(sample.AsSpan(0, n));
            separator = Separator(sample.AsSpan(0, n));
        }
        return windows1252
            ? new StreamReader(stream, CodePagesEncodingProvider.Instance.GetEncoding(1252)!, detectEncodingFromByteOrderMarks: false, bufferSize)
            : new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize);
    }

    /// <summary>
    /// ';' when one of the first lines (the header and the title lines that may sit above it) holds one; else tabs or
    /// commas if the first line holds some (the more frequent; tabs on a tie); else ';'.
    /// </summary>
    public static char Separator(ReadOnlySpan<byte> sample)
    {
        var rest = sample;
        ReadOnlySpan<byte> first = default;
        for (int line = 0; line <= CsvTable.MaxRowsAboveHeader && !rest.IsEmpty; line++)
        {
            int end = rest.IndexOf((byte)'\n');
            var current = end < 0 ? rest : rest[..end];
            if (line == 0) first = current;
            if (current.Contains((byte)';')) return ';';
            rest = end < 0 ? default : rest[(end + 1)..];
        }
        int tabs = first.Count((byte)'\t'), commas = first.Count((byte)',');
        return tabs == 0 && commas == 0 ? ';' : tabs >= commas ? '\t' : ',';
    }

    /// <summary>No BOM, at least one byte sequence that is not UTF-8 and no non-ASCII sequence that is (a cut sequence at the end of the sample is ignored).</summary>
    public static bool LooksLikeWindows1252(ReadOnlySpan<byte> sample)
    {
        if (sample.StartsWith("\uFEFF"u8) || sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return false;
        bool invalid = false;
        int i = 0;
        while (i < sample.Length)
        {
            if (sample[i] < 0x80) { i++; continue; }
            var status = System.Text.Rune.DecodeFromUtf8(sample[i..], out _, out int consumed);
            if (status == System.Buffers.OperationStatus.Done) return false; // real UTF-8 accents: a UTF-8 file
            if (status == System.Buffers.OperationStatus.NeedMoreData) break;
            invalid = true;
            i += Math.Max(1, consumed);
        }
        return invalid;
    }

    public static IEnumerable<CsvRecord> Read(TextReader textReader, string file, List<InputError> errors, char separator = ';', CdaCheck.Core.Localization.Lang lang = CdaCheck.Core.Localization.Lang.Fr)
    {
        var reader = new CsvRecordReader(textReader, file, errors, separator, lang);
        var fields = new List<string>();
        while (reader.Next(fields)) yield return new CsvRecord(reader.RecordLine, fields.ToArray());
    }

    /// <summary>
    /// The reader's state machine, one record per <see cref="Next"/> (no iterator, no per-character virtual
    /// call): runs of ordinary characters are copied from the block buffer at once, and short values that
    /// repeat down a column (oui/non, dates, codes, statuses) are shared instead of allocated per row.
    /// </summary>
    internal sealed class CsvRecordReader(TextReader inner, string file, List<InputError> errors, char separator, CdaCheck.Core.Localization.Lang lang = CdaCheck.Core.Localization.Lang.Fr)
    {
        private readonly char[] _buf = new char[1 << 16];
        private int _pos, _len;
        private char[] _field = new char[256];
        private int _fieldLen;
        private int _line = 1;
        private bool _done;
        private readonly SearchValues<char> _plain = SearchValues.Create([separator, '"', '\r', '\n']);
        private static readonly SearchValues<char> QuotedSpecial = SearchValues.Create(['"', '\n']);
        private readonly ValueCache _values = new();

        /// <summary>Physical line the last record returned by <see cref="Next"/> started on.</summary>
        public int RecordLine { get; private set; }

        /// <summary>Reads the next non-blank record into <paramref name="fields"/>; false at the end (or when a limit stopped the file).</summary>
        public bool Next(List<string> fields)
        {
            fields.Clear();
            if (_done) return false;
            _fieldLen = 0;
            int recordLine = _line, recordChars = 0;
            bool inQuotes = false, quotedField = false, any = false;
            while (true)
            {
                // bulk copy of a run of characters with no meaning in the current state (same accounting as one by one)
                if (_pos < _len)
                {
                    var span = _buf.AsSpan(_pos, _len - _pos);
                    int run = inQuotes ? span.IndexOfAny(QuotedSpecial) : span.IndexOfAny(_plain);
                    if (run < 0) run = span.Length;
                    run = Math.Min(run, MaxRecordChars - recordChars); // the character over the bound takes the path below
                    if (run > 0)
                    {
                        Append(span[..run]);
                        recordChars += run;
                        any = true;
                        _pos += run;
                        continue;
                    }
                }
                int c = Read();
                if (c == -1)
                {
                    _done = true;
                    if (inQuotes) errors.Add(new InputError(file, recordLine, CdaCheck.Core.Localization.Texts.Get(lang, "ind.csv.unterminatedQuote")));
                    if (any || _fieldLen > 0 || fields.Count > 0)
                    {
                        fields.Add(TakeField(fields.Count));
                        if (!IsBlank(fields)) { RecordLine = recordLine; return true; }
                    }
                    fields.Clear();
                    return false;
                }
                if (++recordChars > MaxRecordChars)
                {
                    if (inQuotes)
                    {
                        // an open quoted field cannot be resynchronised reliably
                        errors.Add(new InputError(file, recordLine, CdaCheck.Core.Localization.Texts.Format(lang, "ind.csv.recordTooLongQuoted", MaxRecordChars), CsvRules.RecordTooLong.Id));
                        _done = true;
                        fields.Clear();
                        return false;
                    }
                    errors.Add(new InputError(file, recordLine, CdaCheck.Core.Localization.Texts.Format(lang, "ind.csv.recordTooLong", MaxRecordChars), CsvRules.RecordTooLong.Id));
                    while (c != -1 && c != '\n') c = Read();
                    fields.Clear();
                    _fieldLen = 0;
                    quotedField = false;
                    any = false;
                    _line++;
                    recordLine = _line;
                    recordChars = 0;
                    if (c == -1) { _done = true; return false; }
                    continue;
                }
                char ch = (char)c;
                any = true;
                if (inQuotes)
                {
                    if (ch == '"')
                    {
                        if (Peek() == '"') { Read(); Append('"'); }
                        else inQuotes = false;
                    }
                    else
                    {
                        if (ch == '\n') _line++;
                        Append(ch);
                    }
                    continue;
                }
                if (ch == '"' && _fieldLen == 0 && !quotedField) { inQuotes = true; quotedField = true; continue; }
                if (ch == separator)
                {
                    fields.Add(TakeField(fields.Count));
                    quotedField = false;
                    if (fields.Count > MaxFields)
                    {
                        errors.Add(new InputError(file, recordLine, CdaCheck.Core.Localization.Texts.Format(lang, "ind.csv.tooManyFields", MaxFields), CsvRules.TooManyFields.Id));
                        _done = true;
                        fields.Clear();
                        return false;
                    }
                    continue;
                }
                if (ch == '\r' && Peek() == '\n') continue;
                if (ch == '\n' || ch == '\r')
                {
                    fields.Add(TakeField(fields.Count));
                    quotedField = false;
                    _line++;
                    if (!IsBlank(fields)) { RecordLine = recordLine; return true; }
                    fields.Clear();
                    recordLine = _line;
                    recordChars = 0;
                    any = false;
                    continue;
                }
                Append(ch);
            }
        }

        private void Append(char ch)
        {
            if (_fieldLen == _field.Length) Array.Resize(ref _field, _field.Length * 2);
            _field[_fieldLen++] = ch;
        }

        private void Append(ReadOnlySpan<char> chars)
        {
            if (_fieldLen + chars.Length > _field.Length) Array.Resize(ref _field, Math.Max(_field.Length * 2, _fieldLen + chars.Length));
            chars.CopyTo(_field.AsSpan(_fieldLen));
            _fieldLen += chars.Length;
        }

        private string TakeField(int column)
        {
            var s = _values.Get(column, _field.AsSpan(0, _fieldLen));
            _fieldLen = 0;
            return s;
        }

        private int Read()
        {
            if (_pos >= _len && !Fill()) return -1;
            return _buf[_pos++];
        }

        private int Peek()
        {
            if (_pos >= _len && !Fill()) return -1;
            return _buf[_pos];
        }

        private bool Fill()
        {
            _len = inner.Read(_buf, 0, _buf.Length);
            _pos = 0;
            return _len > 0;
        }
    }

    /// <summary>
    /// Shares the strings of short values that repeat down a column. Bounded: a column keeps at most
    /// <see cref="PerColumn"/> values and stops being looked up once it proves to hold identifiers
    /// (many misses when full); at most <see cref="Total"/> values per file.
    /// </summary>
    private sealed class ValueCache
    {
        private const int MaxLength = 32, PerColumn = 512, Total = 8192, Columns = 64, MissesWhenFull = 2048;
        private readonly Column?[] _columns = new Column?[Columns];
        private int _total;

        private sealed class Column
        {
            public readonly Dictionary<string, string> Map = new(StringComparer.Ordinal);
            public Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup;
            public int Misses;
            public bool Off;
            public Column() => Lookup = Map.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public string Get(int column, ReadOnlySpan<char> value)
        {
            if (value.IsEmpty) return "";
            if (value.Length > MaxLength || column >= Columns) return new string(value);
            var col = _columns[column] ??= new Column();
            if (col.Off) return new string(value);
            if (col.Lookup.TryGetValue(value, out var hit)) return hit;
            var s = new string(value);
            if (col.Map.Count < PerColumn && _total < Total) { col.Map.Add(s, s); _total++; }
            else if (++col.Misses > MissesWhenFull) col.Off = true;
            return s;
        }
    }

    private static bool IsBlank(List<string> fields)
    {
        foreach (var f in fields)
            if (!string.IsNullOrWhiteSpace(f)) return false;
        return true;
    }

    /// <summary>Header key: lower case, no accents (explicit Latin-1/Latin Extended-A folding: the build uses invariant globalization), single spaces, '°'/'º' as 'o'.</summary>
    public static string NormalizeHeader(string s)
    {
        // memoised: headers, statuses, yes/no and activity values repeat on every row of a large month
        if (s.Length <= 64 && NormalizedCache.TryGetValue(s, out var cached)) return cached;
        var n = NormalizeUncached(s);
        if (s.Length <= 64 && NormalizedCache.Count < 65_536) NormalizedCache.TryAdd(s, n);
        return n;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> NormalizedCache = new(StringComparer.Ordinal);

    private static string NormalizeUncached(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool space = false;
        foreach (var raw in s)
        {
            if (char.IsWhiteSpace(raw) || raw == '\uFEFF') { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            var ch = char.ToLowerInvariant(raw);
            switch (ch)
            {
                case 'à' or 'â' or 'ä' or 'á' or 'ã' or 'å': sb.Append('a'); break;
                case 'ç': sb.Append('c'); break;
                case 'é' or 'è' or 'ê' or 'ë': sb.Append('e'); break;
                case 'î' or 'ï' or 'í' or 'ì': sb.Append('i'); break;
                case 'ô' or 'ö' or 'ó' or 'ò' or 'õ': sb.Append('o'); break;
                case 'ù' or 'û' or 'ü' or 'ú': sb.Append('u'); break;
                case 'ÿ' or 'ý': sb.Append('y'); break;
                case 'ñ': sb.Append('n'); break;
                case 'œ': sb.Append("oe"); break;
                case 'æ': sb.Append("ae"); break;
                case '°' or 'º': sb.Append('o'); break;
                case '\u0301' or '\u0300' or '\u0302' or '\u0308' or '\u0327': break; // combining accents (decomposed input)
                default: sb.Append(ch); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Value key for comparisons (statuses, activities): like headers, without accents and case.</summary>
    public static string NormalizeValue(string? s) => s is null ? "" : NormalizeHeader(s);

    /// <summary>Neutralises a cell for spreadsheet export: a leading = + - @ (or tab/CR) gets a quote prefix.</summary>
    public static string Neutralize(string? s)
    {
        if (string.IsNullOrEmpty(s)) return s ?? "";
        return s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;
    }

    /// <summary>Writes one CSV field (semicolon-separated, quoted when needed, neutralised).</summary>
    public static string Field(string? s)
    {
        s = Neutralize(s);
        return s.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}

/// <summary>A CSV file with a header row, read into records addressable by normalised column name.</summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string file, Dictionary<string, int> columns, List<CsvRecord> rows)
    {
        File = file;
        _columns = columns;
        Rows = rows;
    }

    public string File { get; }
    /// <summary>The rows kept by <see cref="Load(TextReader, string, IReadOnlyList{string}, List{InputError})"/> (empty when the table was streamed).</summary>
    public List<CsvRecord> Rows { get; }
    /// <summary>Rows read (kept or streamed), blank lines and skipped over-long records excluded.</summary>
    public int RowCount { get; private set; }

    public bool Has(string column) => _columns.ContainsKey(CsvReader.NormalizeHeader(column));

    /// <summary>Field index of a column (resolve once per table, then <see cref="Get(CsvRecord, int)"/>), -1 when absent.</summary>
    public int Column(string column) => _columns.TryGetValue(CsvReader.NormalizeHeader(column), out var i) ? i : -1;

    public string? Get(CsvRecord row, string column) => Get(row, Column(column));

    /// <summary>The trimmed value of a field, null when the column is absent or the value blank.</summary>
    public string? Get(CsvRecord row, int column) => Value(row.Fields, column);

    internal static string? Value(IReadOnlyList<string> fields, int column)
    {
        if ((uint)column >= (uint)fields.Count) return null;
        var v = fields[column].Trim();
        return v.Length == 0 ? null : v;
    }

    /// <summary>Every column of a row by normalised header: a view over the row's fields (no copy).</summary>
    public IReadOnlyDictionary<string, string?> RowMap(CsvRecord row) => new CsvRowMap(_columns, row.Fields);

    /// <summary>Reads a file; null (with an input error) when it is unreadable or lacks a required column.</summary>
    public static CsvTable? Load(string path, string displayName, IReadOnlyList<string> required, List<InputError> errors)
    {
        using var stream = CdaCheck.Core.Input.FileProbe.OpenRegular(path);
        using var reader = CsvReader.OpenText(stream, 4096, out _, out var separator);
        return Load(reader, displayName, required, errors, separator);
    }

    /// <summary>The whole table (every row kept), read with <paramref name="separator"/>.</summary>
    public static CsvTable? Load(TextReader reader, string displayName, IReadOnlyList<string> required, List<InputError> errors, char separator = ';')
    {
        List<CsvRecord>? rows = null;
        return Stream(reader, displayName, required, errors, t => { rows = t.Rows; return row => rows.Add(row); }, separator: separator);
    }

    /// <summary>
    /// Reads a file row by row: <paramref name="bind"/> is called once with the table (its header read and
    /// checked, no rows kept) and returns the handler of each row, which sees every row in file order and
    /// may drop it. Errors are those of <see cref="Load(TextReader, string, IReadOnlyList{string}, List{InputError}, char)"/>,
    /// in the same order: reader limits as met, then the file's SEC-082 and SEC-083 notices.
    /// </summary>
    public static CsvTable? Stream(TextReader reader, string displayName, IReadOnlyList<string> required, List<InputError> errors,
        Func<CsvTable, Action<CsvRecord>> bind, Func<string, string?>? alias = null, CdaCheck.Core.Localization.Lang lang = CdaCheck.Core.Localization.Lang.Fr, char separator = ';') =>
        Stream(CsvReader.Read(reader, displayName, errors, separator, lang), displayName, required, errors, bind, alias, lang);

    /// <summary>Rows looked at below a first row that lacks a required column, for the real header (a title above it).</summary>
    public const int MaxRowsAboveHeader = 10;

    /// <summary>The column map of a header row (exact canonical names first, then aliases) and the required columns it lacks.</summary>
    private static (Dictionary<string, int> Columns, List<string> Missing) HeaderColumns(CsvRecord header, IReadOnlyList<string> required, Func<string, string?>? alias)
    {
        var cols = new Dictionary<string, int>(header.Fields.Count, StringComparer.Ordinal);
        for (int i = 0; i < header.Fields.Count; i++)
        {
            var key = CsvReader.NormalizeHeader(header.Fields[i].TrimStart('\uFEFF'));
            if (key.Length > 0) cols.TryAdd(key, i);
        }
        if (alias is not null)
            for (int i = 0; i < header.Fields.Count; i++)
                if (alias(header.Fields[i].TrimStart('\uFEFF')) is { } canonical) cols.TryAdd(canonical, i);
        return (cols, required.Where(r => !cols.ContainsKey(CsvReader.NormalizeHeader(r))).ToList());
    }

    /// <summary>
    /// The same over records already split (an .xlsx sheet's rows): the first record is the header.
    /// <paramref name="alias"/> maps a header as written to the normalised canonical column it stands for
    /// (the alias table and the user's mapping); a header matching a canonical column exactly wins over an alias.
    /// </summary>
    public static CsvTable? Stream(IEnumerable<CsvRecord> records, string displayName, IReadOnlyList<string> required, List<InputError> errors,
        Func<CsvTable, Action<CsvRecord>> bind, Func<string, string?>? alias = null, CdaCheck.Core.Localization.Lang lang = CdaCheck.Core.Localization.Lang.Fr)
    {
        using var e = records.GetEnumerator();
        if (!e.MoveNext()) { errors.Add(new InputError(displayName, 1, CdaCheck.Core.Localization.Texts.Get(lang, "ind.csv.emptyFile"))); return null; }
        var header = e.Current;
        var (cols, missing) = HeaderColumns(header, required, alias);
        if (missing.Count > 0)
        {
            // a title or comment lines above the header (a report's first rows, a workbook's title cell): the header is
            // the first of the next rows that holds every required column; the lines above it are ignored (noted)
            // (when none has them all, the missing columns are those of the row closest to a header)
            for (int lookahead = 0; lookahead < MaxRowsAboveHeader && e.MoveNext(); lookahead++)
            {
                var (c2, m2) = HeaderColumns(e.Current, required, alias);
                if (m2.Count < missing.Count) (header, cols, missing) = (e.Current, c2, m2);
                if (m2.Count > 0) continue;
                errors.Add(new InputError(displayName, e.Current.Line, CdaCheck.Core.Localization.Texts.Format(lang, "ind.csv.headerBelow", e.Current.Line)));
                break;
            }
        }
        if (missing.Count > 0)
        {
            errors.Add(new InputError(displayName, header.Line, CdaCheck.Core.Localization.Texts.Format(lang, "ind.csv.missingColumns", string.Join(", ", missing))));
            return null;
        }
        var table = new CsvTable(displayName, cols, new List<CsvRecord>());
        var onRow = bind(table);
        int? badUtf8 = null, formula = null;
        int count = 0;
        while (e.MoveNext())
        {
            var row = e.Current;
            count++;
            if (badUtf8 is null || formula is null)
                foreach (var f in row.Fields)
                {
                    if (badUtf8 is null && f.Contains('\uFFFD')) badUtf8 = row.Line;
                    if (formula is null && f.TrimStart() is { Length: > 1 } t && t[0] is '=' or '+' or '@' or '-' && !char.IsDigit(t[1])) formula = row.Line;
                }
            onRow(row);
        }
        table.RowCount = count;
        if (badUtf8 is { } l1)
            errors.Add(new InputError(displayName, l1, CdaCheck.Core.Localization.Texts.Get(lang, "ind.csv.invalidUtf8"), CsvRules.InvalidUtf8.Id));
        if (formula is { } l2)
            errors.Add(new InputError(displayName, l2, CdaCheck.Core.Localization.Texts.Get(lang, "ind.csv.formulaCell"), CsvRules.FormulaCell.Id));
        return table;
    }
}

/// <summary>
/// A row's values by normalised header, read through the table's column map: what the data-driven
/// exclusions need of a venue without a dictionary per row. Values are trimmed, blank ones null; every
/// column of the header is a key (null beyond a short row's last field).
/// </summary>
public sealed class CsvRowMap(IReadOnlyDictionary<string, int> columns, IReadOnlyList<string> fields) : IReadOnlyDictionary<string, string?>
{
    public string? this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
    public IEnumerable<string> Keys => columns.Keys;
    public IEnumerable<string?> Values => columns.Values.Select(i => CsvTable.Value(fields, i));
    public int Count => columns.Count;
    public bool ContainsKey(string key) => columns.ContainsKey(key);

    public bool TryGetValue(string key, out string? value)
    {
        if (columns.TryGetValue(key, out var i)) { value = CsvTable.Value(fields, i); return true; }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        foreach (var (key, i) in columns) yield return new(key, CsvTable.Value(fields, i));
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Field parsers for the extractions' formats (dd/MM/yyyy, oui/non).</summary>
public static class CsvValues
{
    private static readonly string[] DateFormats =
    [
        "dd/MM/yyyy", "d/M/yyyy", "dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss", "dd/MM/yyyy H:mm", "dd/MM/yyyy H:mm:ss",
    ];

    public static bool TryDate(string? s, out DateOnly date)
    {
        date = default;
        if (s is null) return false;
        if (TryPlainDate(s, out date)) return true;
        if (DateTime.TryParseExact(s.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
        {
            date = DateOnly.FromDateTime(dt);
            return true;
        }
        return false;
    }

    /// <summary>
    /// The extractions' usual form, exactly "dd/MM/yyyy" (ASCII digits, a valid calendar date), read without
    /// the general parser; anything else (other formats, impossible dates) is left to it.
    /// </summary>
    private static bool TryPlainDate(string s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[2] != '/' || s[5] != '/') return false;
        int day = Digits(s, 0, 2), month = Digits(s, 3, 2), year = Digits(s, 6, 4);
        if (day < 1 || month < 1 || month > 12 || year < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>Value of <paramref name="count"/> ASCII digits, -1 if one is not a digit.</summary>
    private static int Digits(string s, int start, int count)
    {
        int v = 0;
        for (int i = start; i < start + count; i++)
        {
            int d = s[i] - '0';
            if ((uint)d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    /// <summary>oui/non (also o/n, 1/0, vrai/faux, yes/no). Empty → <paramref name="empty"/>.</summary>
    public static bool TryBool(string? s, bool empty, out bool value)
    {
        value = empty;
        if (s is null) return true;
        switch (s) // the usual spellings as written, before normalising (accents, case, spaces)
        {
            case "oui": case "non": case "Oui": case "Non": case "OUI": case "NON":
                value = s[0] is 'o' or 'O';
                return true;
        }
        switch (CsvReader.NormalizeValue(s))
        {
            case "oui": case "o": case "1": case "vrai": case "yes": case "y": case "true": value = true; return true;
            case "non": case "n": case "0": case "faux": case "no": case "false": value = false; return true;
            default: return false;
        }
    }
}

/// <summary>Limits and hostile input in the CSV extractions (reported in the indicators' inputErrors with their rule ID).</summary>
public static class CsvRules
{
    public static readonly CdaCheck.Core.Rules.RuleDescriptor RecordTooLong = new(
        "SEC-080", CdaCheck.Core.Rules.Severity.Error,
        "CdaCheck limits (README, Security); RFC 4180");

    public static readonly CdaCheck.Core.Rules.RuleDescriptor TooManyFields = new(
        "SEC-081", CdaCheck.Core.Rules.Severity.Error,
        "CdaCheck limits (README, Security)");

    public static readonly CdaCheck.Core.Rules.RuleDescriptor InvalidUtf8 = new(
        "SEC-082", CdaCheck.Core.Rules.Severity.Warning,
        "Indicator inputs are UTF-8 (docs/indicators.md)");

    public static readonly CdaCheck.Core.Rules.RuleDescriptor FormulaCell = new(
        "SEC-083", CdaCheck.Core.Rules.Severity.Info,
        "OWASP CSV injection");
}
