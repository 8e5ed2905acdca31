using System.Text;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Indicators;

/// <summary>A venue (row of the venues extraction).</summary>
public sealed class Venue
{
    public required string Ipp { get; init; }
    public required string Number { get; init; }
    public string? Uf { get; init; }
    public DateOnly Entry { get; init; }
    public DateOnly? Exit { get; init; }
    public bool Discharged { get; init; }
    public bool Surgery { get; init; }
    public bool AceConsultation { get; init; }
    public string? Activity { get; init; }
    public bool Deceased { get; init; }
    public bool NotInsured { get; init; }
    public string? InsType { get; init; }
    public bool MinorAse { get; init; }
    public bool NewbornMaternity { get; init; }
    /// <summary>DMP column as written (ouvert / non ouvert / inconnu), null when absent.</summary>
    public string? Dmp { get; init; }
    public bool DmpOpposition { get; init; }
    /// <summary>"INS qualifiée" column: null when the column or the value is absent.</summary>
    public bool? InsQualified { get; init; }
    public bool EmergencyOnly { get; init; }
    /// <summary>"Mineur" column if the extraction has one (SUN-ES HAD adults only).</summary>
    public bool Minor { get; init; }
    public int Line { get; init; }
    /// <summary>"Entité juridique" (FINESS juridique) when the extraction has it: dialysis séances of one séjour share it.</summary>
    public string? LegalEntity { get; init; }
    /// <summary>Raw values by normalised column name (for data-driven exclusions).</summary>
    public required IReadOnlyDictionary<string, string?> Raw { get; init; }
}

public sealed class ProducedDocument
{
    public string? Ipp { get; init; }
    public string? Venue { get; init; }
    public DateOnly Produced { get; init; }
    public required string LocalId { get; init; }
    public string? TypeCode { get; init; }
    public string? File { get; init; }
    public bool NotTransmitted { get; init; }
    public bool Historical { get; init; }
    public int Line { get; init; }
}

public sealed class DmpTrace
{
    public required string LocalId { get; init; }
    public DateOnly Emitted { get; init; }
    public string? TypeCode { get; init; }
    public string? Ipp { get; init; }
    public string? Status { get; init; }
    public string? Stay { get; init; }
    public int Line { get; init; }
}

public sealed class MssMessage
{
    public required string Id { get; init; }
    public DateOnly Date { get; init; }
    public string? Ipp { get; init; }
    public string? Venue { get; init; }
    public string? Recipient { get; init; }
    /// <summary>"ps" or "patient" (normalised).</summary>
    public string? RecipientType { get; init; }
    public bool RecipientEquipped { get; init; }
    public string? Attachment { get; init; }
    public string? Status { get; init; }
    public int Line { get; init; }
}

public sealed class IdentityRow
{
    public required string Ipp { get; init; }
    public string? Status { get; init; }
    public bool Doubtful { get; init; }
    public bool Fictitious { get; init; }
    public int Line { get; init; }
}

/// <summary>Rows read and rejected per input file (shown so nothing is dropped silently).</summary>
public sealed record InputFileSummary(string File, string Role, int Rows, int Rejected);

/// <summary>Every input of an indicators run, read and checked.</summary>
public sealed class IndicatorInputs
{
    public List<Venue> Venues { get; } = new();
    public List<ProducedDocument> Documents { get; } = new();
    public List<DmpTrace> Traces { get; } = new();
    public List<MssMessage> Mss { get; } = new();
    public List<IdentityRow> Identities { get; } = new();
    public List<InputError> Errors { get; } = new();
    public List<InputFileSummary> Files { get; } = new();
    /// <summary>Folder against which the Fichier column is resolved (the documents CSV's folder).</summary>
    public string? DocumentsFolder { get; set; }
    /// <summary>Folder against which MSS attachments are resolved (the MSS CSV's folder).</summary>
    public string? MssFolder { get; set; }
    public bool HasIdentities { get; set; }
    public bool VenuesHaveDmp { get; set; }
    public bool VenuesHaveInsQualified { get; set; }
}

/// <summary>The extraction files of a run (CSV paths, or .xlsx workbooks, optionally <c>book.xlsx#Sheet</c>).</summary>
public sealed record InputPaths(string Venues, string? Documents, string? Traces, string? Mss, string? Identities);

/// <summary>How the extractions are read.</summary>
public sealed record InputOptions
{
    /// <summary>Header aliases (schemas/indicators/columns.json plus the user's --columns file).</summary>
    public ColumnAliases Aliases { get; init; } = ColumnAliases.None;
    /// <summary>Reference data (the zip reader's rules, for workbooks); loaded from the default folder when null.</summary>
    public ReferenceData? Data { get; init; }
    public Limits Limits { get; init; } = new();
    /// <summary>Stop (throw <see cref="IndicatorInputException"/>) on a missing required column or a file without a usable row.</summary>
    public bool Strict { get; init; } = true;
    /// <summary>Language of the input errors.</summary>
    public CdaCheck.Core.Localization.Lang Language { get; init; } = CdaCheck.Core.Localization.Lang.Fr;
}

/// <summary>Reads the extractions (French headers of the regional counting tools).</summary>
public static class InputReader
{
    public static readonly string[] VenueColumns = ["IPP", "N° venue", "UF", "Date entrée", "Date sortie", "Hospitalisé sortant", "Acte chirurgical", "Consultation ACE"];
    public static readonly string[] DocumentColumns = ["IPP", "N° venue", "Date production", "Id local du document", "Type de document", "Fichier", "Non-transmission", "Document historique"];
    public static readonly string[] TraceColumns = ["Id local document", "Date émission", "code LOINC", "IPP", "Statut traitement DMP", "N° séjour"];
    public static readonly string[] MssColumns = ["Id message", "Date", "IPP", "N° venue", "Destinataire", "Type destinataire", "Correspondant équipé MSS", "Pièce jointe", "Statut"];
    public static readonly string[] IdentityColumns = ["IPP", "Statut identité", "Identité douteuse", "Identité fictive"];

    /// <summary>Canonical columns (required and optional) of each extraction, as docs/indicators.md names them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> CanonicalColumns = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["venues"] = [.. VenueColumns, "Activité", "Décédé", "Non assuré", "Type INS", "Mineur ASE", "Nouveau-né maternité", "DMP", "Opposition DMP", "INS qualifiée", "Passage urgences seul", "Mineur", "Entité juridique"],
        ["documents"] = DocumentColumns,
        ["traces"] = TraceColumns,
        ["mss"] = MssColumns,
        ["identities"] = IdentityColumns,
    };

    /// <summary>Reads the extractions with the canonical headers only, keeping whatever is usable (unit tests and tools).</summary>
    public static IndicatorInputs Read(string venues, string? documents, string? traces, string? mss, string? identities) =>
        Read(new InputPaths(venues, documents, traces, mss, identities), new InputOptions { Strict = false });

    /// <summary>
    /// Reads the extractions: CSV files, or sheets of an .xlsx workbook (<c>book.xlsx</c>, or <c>book.xlsx#Sheet</c>
    /// for one sheet), headers matched through <see cref="InputOptions.Aliases"/>. With <see cref="InputOptions.Strict"/>
    /// a file missing a required column, or without a usable row (venues, documents, traces), throws
    /// <see cref="IndicatorInputException"/>: nothing is computed on a silently emptied input.
    /// </summary>
    public static IndicatorInputs Read(InputPaths paths, InputOptions options)
    {
        var inputs = new IndicatorInputs();
        var books = new Dictionary<string, XlsxWorkbook>(StringComparer.Ordinal);
        var src = new Source(options, books);
        ReadVenues(inputs, src.Of(paths.Venues, "venues"));
        if (paths.Documents is not null)
        {
            inputs.DocumentsFolder = Path.GetDirectoryName(Path.GetFullPath(SplitSheet(paths.Documents).Path));
            ReadDocuments(inputs, src.Of(paths.Documents, "documents"));
        }
        if (paths.Traces is not null) ReadTraces(inputs, src.Of(paths.Traces, "traces"));
        if (paths.Mss is not null)
        {
            inputs.MssFolder = Path.GetDirectoryName(Path.GetFullPath(SplitSheet(paths.Mss).Path));
            ReadMss(inputs, src.Of(paths.Mss, "mss"));
        }
        if (paths.Identities is not null)
        {
            inputs.HasIdentities = true;
            ReadIdentities(inputs, src.Of(paths.Identities, "identities"));
        }
        return inputs;
    }

    /// <summary>"book.xlsx#Séjours" → (book.xlsx, Séjours); a CSV path or a workbook without '#' has no sheet.</summary>
    public static (string Path, string? Sheet) SplitSheet(string path)
    {
        int hash = path.LastIndexOf('#');
        if (hash > 0 && path[..hash].EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase)) return (path[..hash], path[(hash + 1)..]);
        return (path, null);
    }

    public static bool IsWorkbook(string path) => SplitSheet(path).Path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase);

    /// <summary>One extraction to read: where it comes from and how its headers are matched.</summary>
    private sealed record Input(string Path, string Role, Source Source);

    private sealed class Source(InputOptions options, Dictionary<string, XlsxWorkbook> books)
    {
        public InputOptions Options => options;
        public Input Of(string path, string role) => new(path, role, this);

        public XlsxWorkbook Book(string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            if (!books.TryGetValue(full, out var b))
                books[full] = b = XlsxWorkbook.Open(path, options.Data ?? ReferenceData.Load(), options.Limits, options.Language);
            return b;
        }
    }

    /// <summary>A column resolved once per table: its header (for messages) and its field index (-1 when absent).</summary>
    private readonly record struct Col(string Name, int Index);

    /// <summary>The row being converted and its errors (one instance per file, reused row after row).</summary>
    private sealed class RowErrors(CsvTable table, List<InputError> errors, CdaCheck.Core.Localization.Lang lang)
    {
        public string T(string key, params object?[] args) => CdaCheck.Core.Localization.Texts.Format(lang, key, args);
        private CsvRecord _row = null!;
        public bool Bad { get; private set; }
        public CsvRecord Row => _row;
        public int Line => _row.Line;

        public Col Col(string column) => new(column, table.Column(column));

        public void Start(CsvRecord row)
        {
            _row = row;
            Bad = false;
        }

        public void Fail(string message)
        {
            errors.Add(new InputError(table.File, _row.Line, message));
            Bad = true;
        }

        public string? Get(Col column) => table.Get(_row, column.Index);

        /// <summary>The row's values by normalised column (a view over its fields, for data-driven exclusions).</summary>
        public IReadOnlyDictionary<string, string?> RowMap() => table.RowMap(_row);

        public string? Required(Col column)
        {
            var v = Get(column);
            if (v is null) Fail(T("ind.input.empty", column.Name));
            return v;
        }

        public DateOnly Date(Col column, bool required)
        {
            var v = Get(column);
            if (v is null) { if (required) Fail(T("ind.input.empty", column.Name)); return default; }
            if (CsvValues.TryDate(v, out var d)) return d;
            Fail(T("ind.input.notDate", column.Name, Printable(v)));
            return default;
        }

        public DateOnly? OptDate(Col column)
        {
            var v = Get(column);
            if (v is null) return null;
            if (CsvValues.TryDate(v, out var d)) return d;
            Fail(T("ind.input.notDate", column.Name, Printable(v)));
            return null;
        }

        public bool Bool(Col column)
        {
            var v = Get(column);
            if (CsvValues.TryBool(v, false, out var b)) return b;
            Fail(T("ind.input.notYesNo", column.Name, Printable(v)));
            return false;
        }

        public bool? OptBool(Col column)
        {
            var v = Get(column);
            if (v is null) return null;
            if (CsvValues.TryBool(v, false, out var b)) return b;
            Fail(T("ind.input.notYesNo", column.Name, Printable(v)));
            return null;
        }
    }

    /// <summary>
    /// Quotes an input value in a message, shortened. Input errors never read identity columns, but a row whose fields
    /// are shifted (a name holding the separator, a column inserted by the export) puts a name, a matricule or a birth
    /// date under a checked header: every run of 3 letters or more and of 5 digits or more is shown as '*' (the shape
    /// that tells a date format, a code or a yes/no from another stays readable: "2025-07-05", "O", "NIR"). Control,
    /// bidi and invisible characters are escaped (\x1B, \u202E).
    /// </summary>
    internal static string Printable(string? v)
    {
        if (v is null) return "";
        var s = v.Length > 40 ? v[..40] : v;
        var chars = s.ToCharArray();
        for (int i = 0; i < chars.Length;)
        {
            int j = i;
            if (char.IsLetter(chars[i])) { while (j < chars.Length && char.IsLetter(chars[j])) j++; if (j - i >= 3 && !IsCode(s[i..j])) chars.AsSpan(i, j - i).Fill('*'); }
            else if (char.IsDigit(chars[i])) { while (j < chars.Length && char.IsDigit(chars[j])) j++; if (j - i >= 5) chars.AsSpan(i, j - i).Fill('*'); }
            i = Math.Max(j, i + 1);
        }
        return CdaCheck.Core.Reporting.Printable.Escape(new string(chars)) + (v.Length > 40 ? "…" : "");
    }

    /// <summary>The words the checked columns hold (yes/no, INS types, DMP states, recipient types): shown as they are.</summary>
    private static bool IsCode(string word) => word.ToUpperInvariant() is "OUI" or "NON" or "YES" or "TRUE" or "FALSE" or "VRAI" or "FAUX"
        or "NIR" or "NIA" or "OUVERT" or "INCONNU" or "PATIENT" or "SUCCES" or "ECHEC";

    /// <summary>
    /// Reads an input file row by row (no raw row is kept): <paramref name="bind"/> resolves the columns once
    /// and returns the row converter, which returns false for a rejected row (its errors already recorded).
    /// The rows' errors follow the file's reader errors and SEC-082/083 notices, as in a whole-file read.
    /// </summary>
    private static CsvTable? ReadRows(IndicatorInputs inputs, Input input, string[] required, Func<RowErrors, Func<RowErrors, bool>> bind)
    {
        // I/O failures (missing file, no permission) propagate: the command maps them to exit code 3.
        var (path, sheet) = SplitSheet(input.Path);
        var role = input.Role;
        var options = input.Source.Options;
        var alias = options.Aliases.For(role, CanonicalColumns[role]);
        var rowErrors = new List<InputError>();
        int rejected = 0, kept = 0;
        int errorsBefore = inputs.Errors.Count;
        Func<CsvTable, Action<CsvRecord>> handler = t =>
        {
            var e = new RowErrors(t, rowErrors, options.Language);
            var convert = bind(e);
            return row =>
            {
                e.Start(row);
                if (!convert(e)) rejected++;
                else kept++;
            };
        };
        CsvTable? table;
        string display;
        if (IsWorkbook(input.Path))
        {
            var book = input.Source.Book(path);
            sheet = sheet is null ? ChooseSheet(book, role, required, options, alias) : book.FindSheet(sheet)
                ?? throw new IndicatorInputException(book.File, null, Tx(options, "ind.input.noSheet", sheet, string.Join(", ", book.SheetNames)));
            display = book.File + "[" + sheet + "]";
            table = CsvTable.Stream(book.Rows(sheet), display, required, inputs.Errors, handler, alias, options.Language);
        }
        else
        {
            display = Path.GetFileName(path);
            // what the path is, asked before opening it: /dev/zero (one endless record) or a FIFO (no writer) as an
            // extraction read or waited on forever
            if (CdaCheck.Core.Input.FileProbe.Kind(path) is var kind && kind is not (CdaCheck.Core.Input.FileKind.Regular or CdaCheck.Core.Input.FileKind.Missing)
                && Validator.Refused(path, kind, new ValidationOptions { Limits = options.Limits, Language = options.Language }).Findings.FirstOrDefault() is { } refusal)
                throw new IndicatorInputException(display, null, refusal.RuleId + " " + refusal.Message);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = CsvReader.OpenText(stream, 1 << 16, out var windows1252, out var separator);
            if (windows1252) inputs.Errors.Add(new InputError(display, 1, Tx(options, "ind.csv.windows1252")));
            if (separator != ';') inputs.Errors.Add(new InputError(display, 1, Tx(options, separator == '\t' ? "ind.csv.separatorTab" : "ind.csv.separatorComma")));
            table = CsvTable.Stream(reader, display, required, inputs.Errors, handler, alias, options.Language, separator);
        }
        inputs.Errors.AddRange(rowErrors);
        inputs.Files.Add(new InputFileSummary(table?.File ?? display, role, table?.RowCount ?? 0, rejected));
        if (options.Strict)
        {
            if (table is null)
            {
                var why = inputs.Errors.Skip(errorsBefore).FirstOrDefault(e => e.File == display);
                throw new IndicatorInputException(display, why?.Line, (why?.Message ?? Tx(options, "ind.input.unreadable")) + Tx(options, "ind.input.mappingHint"));
            }
            if (kept == 0 && role is "venues" or "documents" or "traces")
            {
                var first = rowErrors.FirstOrDefault();
                throw new IndicatorInputException(display, first?.Line, table.RowCount == 0
                    ? Tx(options, "ind.input.emptyExtraction")
                    : Tx(options, "ind.input.noUsableRow", table.RowCount, first?.Message));
            }
        }
        return table;
    }

    private static string Tx(InputOptions options, string key, params object?[] args) => CdaCheck.Core.Localization.Texts.Format(options.Language, key, args);

    /// <summary>The sheet of a workbook holding an extraction: by its name (alias table), else the first whose header has the required columns.</summary>
    private static string ChooseSheet(XlsxWorkbook book, string role, string[] required, InputOptions options, Func<string, string?> alias)
    {
        var aliases = options.Aliases;
        var names = book.SheetNames;
        var byName = names.FirstOrDefault(n => aliases.IsSheetOf(role, n));
        if (byName is not null) return byName;
        foreach (var n in names)
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            // the header row, or one of the rows below a title (as CsvTable.Stream finds it)
            foreach (var row in book.Rows(n).Take(CsvTable.MaxRowsAboveHeader + 1))
            {
                keys.Clear();
                foreach (var h in row.Fields)
                {
                    keys.Add(CsvReader.NormalizeHeader(h));
                    if (alias(h) is { } c) keys.Add(c);
                }
                if (required.All(r => keys.Contains(CsvReader.NormalizeHeader(r)))) return n;
            }
        }
        if (names.Count == 1) return names[0];
        throw new IndicatorInputException(book.File, null,
            Tx(options, "ind.input.noSheetForRole", IndicatorWriters.RoleLabel(options.Language, role), string.Join(", ", required), book.File) + Tx(options, "ind.input.mappingHint"));
    }

    private static void ReadVenues(IndicatorInputs inputs, Input path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var header = ReadRows(inputs, path, VenueColumns, e =>
        {
            Col ipp = e.Col("IPP"), no = e.Col("N° venue"), uf = e.Col("UF"), entryC = e.Col("Date entrée"), exitC = e.Col("Date sortie"),
                dischargedC = e.Col("Hospitalisé sortant"), surgeryC = e.Col("Acte chirurgical"), aceC = e.Col("Consultation ACE"),
                deceasedC = e.Col("Décédé"), notInsuredC = e.Col("Non assuré"), aseC = e.Col("Mineur ASE"),
                newbornC = e.Col("Nouveau-né maternité"), oppositionC = e.Col("Opposition DMP"), insQC = e.Col("INS qualifiée"),
                urgC = e.Col("Passage urgences seul"), minorC = e.Col("Mineur"), insTypeC = e.Col("Type INS"), dmpC = e.Col("DMP"),
                activityC = e.Col("Activité"), entityC = e.Col("Entité juridique");
            return e =>
            {
                var ippV = e.Required(ipp);
                var noV = e.Required(no);
                var entry = e.Date(entryC, true);
                var exit = e.OptDate(exitC);
                var discharged = e.Bool(dischargedC);
                var surgery = e.Bool(surgeryC);
                var ace = e.Bool(aceC);
                var deceased = e.OptBool(deceasedC) ?? false;
                var notInsured = e.OptBool(notInsuredC) ?? false;
                var ase = e.OptBool(aseC) ?? false;
                var newborn = e.OptBool(newbornC) ?? false;
                var opposition = e.OptBool(oppositionC) ?? false;
                var insQ = e.OptBool(insQC);
                var urg = e.OptBool(urgC) ?? false;
                var minor = e.OptBool(minorC) ?? false;
                var insType = e.Get(insTypeC);
                if (insType is not null && CsvReader.NormalizeValue(insType) is not ("nir" or "nia"))
                    e.Fail(e.T("ind.input.insType", Printable(insType)));
                var dmp = e.Get(dmpC);
                if (dmp is not null && CsvReader.NormalizeValue(dmp) is not ("ouvert" or "non ouvert" or "inconnu" or "oui" or "non"))
                    e.Fail(e.T("ind.input.dmp", Printable(dmp)));
                if (exit is not null && !e.Bad && exit < entry) e.Fail(e.T("ind.input.exitBeforeEntry"));
                if (noV is not null && !e.Bad && !seen.Add(noV)) e.Fail(e.T("ind.input.duplicateVenue", Printable(noV)));
                if (e.Bad) return false;
                inputs.Venues.Add(new Venue
                {
                    Ipp = ippV!, Number = noV!, Uf = e.Get(uf), Entry = entry, Exit = exit, Discharged = discharged,
                    Surgery = surgery, AceConsultation = ace, Activity = e.Get(activityC), Deceased = deceased,
                    NotInsured = notInsured, InsType = insType, MinorAse = ase, NewbornMaternity = newborn, Dmp = dmp,
                    DmpOpposition = opposition, InsQualified = insQ, EmergencyOnly = urg, Minor = minor, Line = e.Line,
                    LegalEntity = e.Get(entityC),
                    Raw = e.RowMap(),
                });
                return true;
            };
        });
        if (header is not null)
        {
            inputs.VenuesHaveDmp = header.Has("DMP");
            inputs.VenuesHaveInsQualified = header.Has("INS qualifiée");
        }
    }

    private static void ReadDocuments(IndicatorInputs inputs, Input path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadRows(inputs, path, DocumentColumns, e =>
        {
            Col idC = e.Col("Id local du document"), producedC = e.Col("Date production"), ntC = e.Col("Non-transmission"),
                histC = e.Col("Document historique"), ippC = e.Col("IPP"), venueC = e.Col("N° venue"), typeC = e.Col("Type de document"),
                fileC = e.Col("Fichier");
            return e =>
            {
                var id = e.Required(idC);
                var produced = e.Date(producedC, true);
                var nt = e.Bool(ntC);
                var hist = e.Bool(histC);
                var ipp = e.Get(ippC);
                var venue = e.Get(venueC);
                if (ipp is null && venue is null) e.Fail(e.T("ind.input.noIppNoVenue"));
                if (id is not null && !e.Bad && !seen.Add(id)) e.Fail(e.T("ind.input.duplicateDocument", Printable(id)));
                if (e.Bad) return false;
                inputs.Documents.Add(new ProducedDocument
                {
                    Ipp = ipp, Venue = venue, Produced = produced, LocalId = id!,
                    TypeCode = e.Get(typeC), File = e.Get(fileC), NotTransmitted = nt,
                    Historical = hist, Line = e.Line,
                });
                return true;
            };
        });
    }

    private static void ReadTraces(IndicatorInputs inputs, Input path)
    {
        ReadRows(inputs, path, TraceColumns, e =>
        {
            Col idC = e.Col("Id local document"), dateC = e.Col("Date émission"), statusC = e.Col("Statut traitement DMP"),
                codeC = e.Col("code LOINC"), ippC = e.Col("IPP"), stayC = e.Col("N° séjour");
            return e =>
            {
                var id = e.Required(idC);
                var date = e.Date(dateC, true);
                var status = e.Required(statusC);
                var code = e.Required(codeC);
                if (e.Bad) return false;
                inputs.Traces.Add(new DmpTrace
                {
                    LocalId = id!, Emitted = date, TypeCode = code, Ipp = e.Get(ippC), Status = status,
                    Stay = e.Get(stayC), Line = e.Line,
                });
                return true;
            };
        });
    }

    private static void ReadMss(IndicatorInputs inputs, Input path)
    {
        ReadRows(inputs, path, MssColumns, e =>
        {
            Col idC = e.Col("Id message"), dateC = e.Col("Date"), typeC = e.Col("Type destinataire"), statusC = e.Col("Statut"),
                equippedC = e.Col("Correspondant équipé MSS"), ippC = e.Col("IPP"), venueC = e.Col("N° venue"),
                recipientC = e.Col("Destinataire"), attachmentC = e.Col("Pièce jointe");
            return e =>
            {
                var id = e.Required(idC);
                var date = e.Date(dateC, true);
                var type = e.Required(typeC);
                var status = e.Required(statusC);
                var equipped = e.Bool(equippedC);
                var norm = CsvReader.NormalizeValue(type);
                if (type is not null && norm is not ("ps" or "patient" or "professionnel" or "usager"))
                    e.Fail(e.T("ind.input.recipientType", Printable(type)));
                var ipp = e.Get(ippC);
                var venue = e.Get(venueC);
                if (ipp is null && venue is null) e.Fail(e.T("ind.input.noIppNoVenue"));
                if (e.Bad) return false;
                inputs.Mss.Add(new MssMessage
                {
                    Id = id!, Date = date, Ipp = ipp, Venue = venue,
                    Recipient = e.Get(recipientC), RecipientType = norm is "ps" or "professionnel" ? "ps" : "patient",
                    RecipientEquipped = equipped, Attachment = e.Get(attachmentC), Status = status, Line = e.Line,
                });
                return true;
            };
        });
    }

    private static void ReadIdentities(IndicatorInputs inputs, Input path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadRows(inputs, path, IdentityColumns, e =>
        {
            Col ippC = e.Col("IPP"), doubtfulC = e.Col("Identité douteuse"), fictC = e.Col("Identité fictive"), statusC = e.Col("Statut identité");
            return e =>
            {
                var ipp = e.Required(ippC);
                var doubtful = e.Bool(doubtfulC);
                var fict = e.Bool(fictC);
                if (ipp is not null && !e.Bad && !seen.Add(ipp)) e.Fail(e.T("ind.input.duplicateIpp"));
                if (e.Bad) return false;
                inputs.Identities.Add(new IdentityRow { Ipp = ipp!, Status = e.Get(statusC), Doubtful = doubtful, Fictitious = fict, Line = e.Line });
                return true;
            };
        });
    }
}
