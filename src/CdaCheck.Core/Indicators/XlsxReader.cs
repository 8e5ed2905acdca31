using System.Globalization;
using System.Text;
using System.Xml;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.Core.Xdm;

namespace CdaCheck.Core.Indicators;

/// <summary>
/// Reads the sheets of an .xlsx workbook (the regional counting workbook, one sheet per extraction) as rows of
/// text, the way <see cref="CsvReader"/> gives a CSV file: the zip through <see cref="SafeZip"/> (bounded, no path
/// leaves it, nothing on disk), every part with <see cref="SecureXml"/> settings (no DTD), shared strings, inline
/// strings, numbers (invariant, integers without a decimal point), booleans as 1/0, and numbers whose cell style
/// is a date format as <c>dd/MM/yyyy</c> (with <c>HH:mm</c> when the serial has a time). Runs in the native build
/// (plain XmlReader, no reflection). A row's <see cref="CsvRecord.Line"/> is its spreadsheet row number.
/// </summary>
public sealed class XlsxWorkbook
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    /// <summary>The same in a workbook saved as "Strict Open XML" (ISO/IEC 29500 strict).</summary>
    private const string StrictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    private const string StrictRelNs = "http://purl.oclc.org/ooxml/officeDocument/relationships";

    private static bool IsMain(string ns) => ns == Main || ns == StrictMain;
    /// <summary>Most cells of a row (same bound as a CSV record's fields).</summary>
    public const int MaxColumns = CsvReader.MaxFields;

    private readonly Dictionary<string, byte[]> _parts;
    private readonly List<(string Name, string Part)> _sheets = new();
    private readonly List<string> _shared = new();
    private readonly List<bool> _dateStyles = new();
    private readonly Limits _limits;
    private CdaCheck.Core.Localization.Lang _lang;
    private string T(string key, params object?[] args) => CdaCheck.Core.Localization.Texts.Format(_lang, key, args);
    private bool _date1904;

    public string File { get; }
    public IReadOnlyList<string> SheetNames => _sheets.Select(s => s.Name).ToArray();

    private XlsxWorkbook(string file, Dictionary<string, byte[]> parts, Limits limits)
    {
        File = file;
        _parts = parts;
        _limits = limits;
    }

    /// <summary>Opens a workbook; an unreadable one throws <see cref="IndicatorInputException"/> (the run stops, exit 2).</summary>
    public static XlsxWorkbook Open(string path, ReferenceData data, Limits? limits = null, CdaCheck.Core.Localization.Lang lang = CdaCheck.Core.Localization.Lang.Fr)
    {
        string T(string key, params object?[] args) => CdaCheck.Core.Localization.Texts.Format(lang, key, args);
        limits ??= new Limits();
        var name = Path.GetFileName(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException("no such file: " + path, path);
        if (info.Length > limits.MaxInputBytes)
            throw new IndicatorInputException(name, null, T("ind.book.tooLarge", limits.MaxInputBytes));
        var options = new ValidationOptions { Limits = limits, Language = lang };
        var bytes = IndicatorInputException.ReadWhole(path, name, options, T("ind.book.tooLarge", limits.MaxInputBytes),
            why => T("ind.book.unsafe", why ?? T("ind.book.unreadableZip")));
        if (!SafeZip.LooksLikeZip(bytes)) throw new IndicatorInputException(name, null, T("ind.book.notZip"));
        var sink = new FindingSink(options);
        var content = SafeZip.Read(bytes, sink, new ValidationContext(data, options));
        var refused = sink.Findings.FirstOrDefault(f => f.Severity >= Severity.Error);
        if (content is null || refused is not null)
            throw new IndicatorInputException(name, null, T("ind.book.unsafe", refused is null ? T("ind.book.unreadableZip") : refused.RuleId + " " + refused.Message));
        var parts = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in content.Files) parts.TryAdd(f.Name, f.Bytes);
        var book = new XlsxWorkbook(name, parts, limits) { _lang = lang };
        try
        {
            book.LoadWorkbook();
            book.LoadSharedStrings();
            book.LoadStyles();
        }
        catch (XmlException ex)
        {
            throw new IndicatorInputException(name, null, T("ind.book.partNotXml", ex.LineNumber));
        }
        if (book._sheets.Count == 0) throw new IndicatorInputException(name, null, T("ind.book.noSheet"));
        return book;
    }

    private XmlReader Reader(byte[] bytes) => XmlReader.Create(new MemoryStream(bytes, writable: false), SecureXml.Settings(_limits));

    private void LoadWorkbook()
    {
        if (!_parts.TryGetValue("xl/workbook.xml", out var wb)) throw new IndicatorInputException(File, null, T("ind.book.noWorkbookPart"));
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_parts.TryGetValue("xl/_rels/workbook.xml.rels", out var rels))
            using (var r = Reader(rels))
                while (r.Read())
                    if (r.NodeType == XmlNodeType.Element && r.LocalName == "Relationship" && r.GetAttribute("Id") is { } id && r.GetAttribute("Target") is { } t)
                        targets[id] = t.StartsWith('/') ? t.TrimStart('/') : "xl/" + t;
        using var x = Reader(wb);
        while (x.Read())
        {
            if (x.NodeType != XmlNodeType.Element || !IsMain(x.NamespaceURI)) continue;
            if (x.LocalName == "workbookPr") _date1904 = x.GetAttribute("date1904") is "1" or "true";
            else if (x.LocalName == "sheet" && x.GetAttribute("name") is { } n && (x.GetAttribute("id", RelNs) ?? x.GetAttribute("id", StrictRelNs)) is { } rid
                     && targets.TryGetValue(rid, out var part))
                _sheets.Add((n, NormalizePart(part)));
        }
    }

    private static string NormalizePart(string part)
    {
        var segs = new List<string>();
        foreach (var s in part.Split('/'))
        {
            if (s == "..") { if (segs.Count > 0) segs.RemoveAt(segs.Count - 1); }
            else if (s is not ("" or ".")) segs.Add(s);
        }
        return string.Join('/', segs);
    }

    private void LoadSharedStrings()
    {
        if (!_parts.TryGetValue("xl/sharedStrings.xml", out var ss)) return;
        using var r = Reader(ss);
        var sb = new StringBuilder();
        bool inSi = false, advance = true;
        int phonetic = 0;
        while (!advance || r.Read())
        {
            advance = true;
            if (r.NodeType == XmlNodeType.Element && IsMain(r.NamespaceURI))
            {
                if (r.LocalName == "si") { inSi = true; sb.Clear(); if (r.IsEmptyElement) { _shared.Add(""); inSi = false; } }
                else if (r.LocalName == "rPh" && !r.IsEmptyElement) phonetic++;
                else if (r.LocalName == "t" && inSi && phonetic == 0 && !r.IsEmptyElement)
                {
                    Append(sb, r.ReadElementContentAsString()); // leaves the reader on the next node
                    advance = false;
                }
            }
            else if (r.NodeType == XmlNodeType.EndElement && IsMain(r.NamespaceURI))
            {
                if (r.LocalName == "rPh") phonetic--;
                else if (r.LocalName == "si" && inSi) { _shared.Add(sb.ToString()); inSi = false; }
            }
        }
    }

    private void Append(StringBuilder sb, string s)
    {
        if (sb.Length + s.Length > CsvReader.MaxRecordChars)
            throw new IndicatorInputException(File, null, T("ind.book.cellTooLong", CsvReader.MaxRecordChars));
        sb.Append(s);
    }

    private void LoadStyles()
    {
        if (!_parts.TryGetValue("xl/styles.xml", out var st)) return;
        var custom = new Dictionary<int, string>();
        using var r = Reader(st);
        bool inCellXfs = false;
        while (r.Read())
        {
            if (r.NodeType == XmlNodeType.Element && IsMain(r.NamespaceURI))
            {
                if (r.LocalName == "numFmt" && int.TryParse(r.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                    custom[id] = r.GetAttribute("formatCode") ?? "";
                else if (r.LocalName == "cellXfs") inCellXfs = !r.IsEmptyElement;
                else if (r.LocalName == "xf" && inCellXfs)
                {
                    int.TryParse(r.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f);
                    _dateStyles.Add(IsDateFormat(f, custom.GetValueOrDefault(f)));
                }
            }
            else if (r.NodeType == XmlNodeType.EndElement && r.LocalName == "cellXfs") inCellXfs = false;
        }
    }

    /// <summary>Built-in date/time formats (ECMA-376 §18.8.30) or a custom code with day, month, year or hour parts outside quotes and brackets.</summary>
    public static bool IsDateFormat(int id, string? code)
    {
        if (id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58) return true;
        if (string.IsNullOrEmpty(code)) return false;
        bool quoted = false, bracket = false;
        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            if (c == '\\' || c == '_' || c == '*') { i++; continue; }
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '[') bracket = true;
            else if (!quoted && c == ']') bracket = false;
            else if (!quoted && !bracket && char.ToLowerInvariant(c) is 'd' or 'm' or 'y' or 'h' or 'j' or 'a') return char.ToLowerInvariant(c) != 'a' || code.Contains("aa", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    /// <summary>The sheet named <paramref name="name"/> (compared like headers: case, accents, spaces), null when absent.</summary>
    public string? FindSheet(string name)
    {
        var key = CsvReader.NormalizeHeader(name);
        return _sheets.Select(s => s.Name).FirstOrDefault(n => CsvReader.NormalizeHeader(n) == key);
    }

    /// <summary>Rows of a sheet, in order, blank rows skipped; cells between filled ones are empty strings.</summary>
    public IEnumerable<CsvRecord> Rows(string sheet)
    {
        var part = _sheets.First(s => s.Name == sheet).Part;
        if (!_parts.TryGetValue(part, out var bytes)) throw new IndicatorInputException(File, null, T("ind.book.sheetPartMissing", sheet, part));
        return ReadSheet(bytes, sheet);
    }

    private IEnumerable<CsvRecord> ReadSheet(byte[] bytes, string sheet)
    {
        using var r = Reader(bytes);
        var cells = new List<string>();
        int rowNumber = 0, col = 0;
        bool inRow = false;
        string? type = null;
        int style = 0;
        var text = new StringBuilder();
        bool inCell = false, hasValue = false, advance = true;
        while (!advance || SafeRead(r))
        {
            advance = true;
            if (r.NodeType == XmlNodeType.Element && IsMain(r.NamespaceURI))
            {
                switch (r.LocalName)
                {
                    case "row":
                        inRow = true;
                        cells.Clear();
                        col = 0;
                        rowNumber = int.TryParse(r.GetAttribute("r"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rn) && rn > rowNumber ? rn : rowNumber + 1;
                        if (r.IsEmptyElement) inRow = false;
                        break;
                    case "c" when inRow:
                        col = r.GetAttribute("r") is { } cref && ColumnIndex(cref) is var ci && ci >= 0 ? ci : col;
                        if (col >= MaxColumns) throw new IndicatorInputException(File + "[" + sheet + "]", rowNumber, T("ind.book.tooManyColumns", MaxColumns));
                        type = r.GetAttribute("t");
                        style = int.TryParse(r.GetAttribute("s"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
                        text.Clear();
                        hasValue = false;
                        inCell = !r.IsEmptyElement;
                        if (!inCell) col++;
                        break;
                    case "v" when inCell:
                    case "t" when inCell:
                        if (!r.IsEmptyElement)
                        {
                            try { Append(text, r.ReadElementContentAsString()); } // leaves the reader on the next node
                            catch (XmlException ex) { throw new IndicatorInputException(File, null, T("ind.book.sheetNotXml", ex.LineNumber)); }
                            hasValue = true;
                            advance = false;
                            continue;
                        }
                        break;
                }
            }
            else if (r.NodeType == XmlNodeType.EndElement && IsMain(r.NamespaceURI))
            {
                if (r.LocalName == "c" && inCell)
                {
                    inCell = false;
                    while (cells.Count < col) cells.Add("");
                    cells.Add(hasValue ? CellText(type, style, text.ToString()) : "");
                    col++;
                }
                else if (r.LocalName == "row" && inRow)
                {
                    inRow = false;
                    if (cells.Exists(c => c.Trim().Length > 0)) yield return new CsvRecord(rowNumber, cells.ToArray());
                }
            }
        }
    }

    private bool SafeRead(XmlReader r)
    {
        try { return r.Read(); }
        catch (XmlException ex) { throw new IndicatorInputException(File, null, T("ind.book.sheetNotXml", ex.LineNumber)); }
    }

    private string CellText(string? type, int style, string raw)
    {
        switch (type)
        {
            case "s":
                return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < _shared.Count ? _shared[i] : "";
            case "inlineStr" or "str" or "e":
                return raw;
            case "d": // an ISO 8601 date cell (Strict workbooks, some generators): the extractions' text form
                return DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var iso)
                    ? iso.ToString(iso.TimeOfDay == TimeSpan.Zero ? "dd/MM/yyyy" : "dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)
                    : raw;
            case "b":
                return raw.Trim() is "1" or "true" ? "oui" : "non";
        }
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return raw;
        if (style >= 0 && style < _dateStyles.Count && _dateStyles[style] && SerialToText(d, _date1904) is { } date) return date;
        if (Math.Abs(d) < 1e15 && d == Math.Floor(d)) return ((long)d).ToString(CultureInfo.InvariantCulture);
        return raw;
    }

    /// <summary>
    /// A date serial as the extractions' text form: dd/MM/yyyy, with HH:mm when it carries a time; null when it is
    /// not a date up to 31/12/9999 23:59 (negative, NaN, or past the last day once rounded to the minute, which the
    /// 1904 date system reaches four years early).
    /// </summary>
    public static string? SerialToText(double serial, bool date1904 = false)
    {
        var origin = date1904 ? new DateTime(1904, 1, 1) : new DateTime(1899, 12, 30);
        if (!(serial >= 0 && serial < 2958466)) return null;
        long minutes = (long)Math.Round(serial * TimeSpan.TicksPerDay / TimeSpan.TicksPerMinute);
        if (minutes > (DateTime.MaxValue.Ticks - origin.Ticks) / TimeSpan.TicksPerMinute) return null;
        var dt = origin.AddTicks(minutes * TimeSpan.TicksPerMinute);
        return dt.TimeOfDay == TimeSpan.Zero
            ? dt.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)
            : dt.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>"AB12" → 27 (0-based column), -1 when the reference has no letters.</summary>
    public static int ColumnIndex(string cellRef)
    {
        int n = 0, i = 0;
        for (; i < cellRef.Length && char.IsAsciiLetter(cellRef[i]); i++)
        {
            n = n * 26 + (char.ToUpperInvariant(cellRef[i]) - 'A' + 1);
            if (n > 16384) return -1;
        }
        return i == 0 ? -1 : n - 1;
    }
}

/// <summary>
/// An input the indicators cannot be computed on (a required column missing, no usable row, an unreadable
/// workbook, a bad column mapping): the run stops with exit code 2, naming the file and the column.
/// </summary>
public sealed class IndicatorInputException(string file, int? line, string message)
    : Exception(file + (line is { } l ? ":" + l.ToString(CultureInfo.InvariantCulture) : "") + ": " + message)
{
    public string File { get; } = file;
    public int? Line { get; } = line;
    public string Detail { get; } = message;

    /// <summary>
    /// An input file of the indicators (workbook, column mapping) read whole as <c>validate</c> reads an input (never
    /// File.ReadAllBytes): /dev/zero or a FIFO is refused, not read forever or waited on, and no more than the input
    /// limit of <paramref name="options"/> is read. A refusal stops the run: <paramref name="tooLarge"/> for the size
    /// limit, else the rule and its message (through <paramref name="wrap"/>; null when no finding says why).
    /// </summary>
    internal static byte[] ReadWhole(string path, string name, ValidationOptions options, string tooLarge, Func<string?, string>? wrap = null)
    {
        var bytes = Validator.ReadInput(path, options, out var refusal);
        if (bytes is not null) return bytes;
        var why = refusal?.Findings.FirstOrDefault();
        if (why is null || why.RuleId == SecurityRules.InputTooLarge.Id)
            throw new IndicatorInputException(name, null, why is null && wrap is not null ? wrap(null) : tooLarge);
        var reason = why.RuleId + " " + why.Message;
        throw new IndicatorInputException(name, null, wrap is null ? reason : wrap(reason));
    }
}
