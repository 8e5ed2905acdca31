using System.Text;

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

/// <summary>Reads the extractions (French headers of the regional counting tools).</summary>
public static class InputReader
{
    public static readonly string[] VenueColumns = ["IPP", "N° venue", "UF", "Date entrée", "Date sortie", "Hospitalisé sortant", "Acte chirurgical", "Consultation ACE"];
    public static readonly string[] DocumentColumns = ["IPP", "N° venue", "Date production", "Id local du document", "Type de document", "Fichier", "Non-transmission", "Document historique"];
    public static readonly string[] TraceColumns = ["Id local document", "Date émission", "code LOINC", "IPP", "Statut traitement DMP", "N° séjour"];
    public static readonly string[] MssColumns = ["Id message", "Date", "IPP", "N° venue", "Destinataire", "Type destinataire", "Correspondant équipé MSS", "Pièce jointe", "Statut"];
    public static readonly string[] IdentityColumns = ["IPP", "Statut identité", "Identité douteuse", "Identité fictive"];

    public static IndicatorInputs Read(string venues, string? documents, string? traces, string? mss, string? identities)
    {
        var inputs = new IndicatorInputs();
        ReadVenues(inputs, venues);
        if (documents is not null)
        {
            inputs.DocumentsFolder = Path.GetDirectoryName(Path.GetFullPath(documents));
            ReadDocuments(inputs, documents);
        }
        if (traces is not null) ReadTraces(inputs, traces);
        if (mss is not null)
        {
            inputs.MssFolder = Path.GetDirectoryName(Path.GetFullPath(mss));
            ReadMss(inputs, mss);
        }
        if (identities is not null)
        {
            inputs.HasIdentities = true;
            ReadIdentities(inputs, identities);
        }
        return inputs;
    }

    /// <summary>A column resolved once per table: its header (for messages) and its field index (-1 when absent).</summary>
    private readonly record struct Col(string Name, int Index);

    /// <summary>The row being converted and its errors (one instance per file, reused row after row).</summary>
    private sealed class RowErrors(CsvTable table, List<InputError> errors)
    {
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
            if (v is null) Fail($"'{column.Name}' is empty");
            return v;
        }

        public DateOnly Date(Col column, bool required)
        {
            var v = Get(column);
            if (v is null) { if (required) Fail($"'{column.Name}' is empty"); return default; }
            if (CsvValues.TryDate(v, out var d)) return d;
            Fail($"'{column.Name}' is not a date dd/MM/yyyy: '{Printable(v)}'");
            return default;
        }

        public DateOnly? OptDate(Col column)
        {
            var v = Get(column);
            if (v is null) return null;
            if (CsvValues.TryDate(v, out var d)) return d;
            Fail($"'{column.Name}' is not a date dd/MM/yyyy: '{Printable(v)}'");
            return null;
        }

        public bool Bool(Col column)
        {
            var v = Get(column);
            if (CsvValues.TryBool(v, false, out var b)) return b;
            Fail($"'{column.Name}' is not oui/non: '{Printable(v)}'");
            return false;
        }

        public bool? OptBool(Col column)
        {
            var v = Get(column);
            if (v is null) return null;
            if (CsvValues.TryBool(v, false, out var b)) return b;
            Fail($"'{column.Name}' is not oui/non: '{Printable(v)}'");
            return null;
        }
    }

    /// <summary>Quotes an input value in a message, shortened (input errors never carry identity columns).</summary>
    private static string Printable(string? v) => v is null ? "" : v.Length > 40 ? v[..40] + "…" : v;

    /// <summary>
    /// Reads an input file row by row (no raw row is kept): <paramref name="bind"/> resolves the columns once
    /// and returns the row converter, which returns false for a rejected row (its errors already recorded).
    /// The rows' errors follow the file's reader errors and SEC-082/083 notices, as in a whole-file read.
    /// </summary>
    private static CsvTable? ReadRows(IndicatorInputs inputs, string path, string role, string[] required, Func<RowErrors, Func<RowErrors, bool>> bind)
    {
        // I/O failures (missing file, no permission) propagate: the command maps them to exit code 3.
        var name = Path.GetFileName(path);
        var rowErrors = new List<InputError>();
        int rejected = 0;
        CsvTable? table;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        using (var reader = new StreamReader(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, 1 << 16))
            table = CsvTable.Stream(reader, name, required, inputs.Errors, t =>
            {
                var e = new RowErrors(t, rowErrors);
                var convert = bind(e);
                return row =>
                {
                    e.Start(row);
                    if (!convert(e)) rejected++;
                };
            });
        inputs.Errors.AddRange(rowErrors);
        inputs.Files.Add(new InputFileSummary(table?.File ?? role, role, table?.RowCount ?? 0, rejected));
        return table;
    }

    private static void ReadVenues(IndicatorInputs inputs, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var header = ReadRows(inputs, path, "venues", VenueColumns, e =>
        {
            Col ipp = e.Col("IPP"), no = e.Col("N° venue"), uf = e.Col("UF"), entryC = e.Col("Date entrée"), exitC = e.Col("Date sortie"),
                dischargedC = e.Col("Hospitalisé sortant"), surgeryC = e.Col("Acte chirurgical"), aceC = e.Col("Consultation ACE"),
                deceasedC = e.Col("Décédé"), notInsuredC = e.Col("Non assuré"), aseC = e.Col("Mineur ASE"),
                newbornC = e.Col("Nouveau-né maternité"), oppositionC = e.Col("Opposition DMP"), insQC = e.Col("INS qualifiée"),
                urgC = e.Col("Passage urgences seul"), minorC = e.Col("Mineur"), insTypeC = e.Col("Type INS"), dmpC = e.Col("DMP"),
                activityC = e.Col("Activité");
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
                    e.Fail($"'Type INS' is not NIR or NIA: '{Printable(insType)}'");
                var dmp = e.Get(dmpC);
                if (dmp is not null && CsvReader.NormalizeValue(dmp) is not ("ouvert" or "non ouvert" or "inconnu" or "oui" or "non"))
                    e.Fail($"'DMP' is not ouvert / non ouvert / inconnu: '{Printable(dmp)}'");
                if (exit is not null && !e.Bad && exit < entry) e.Fail("'Date sortie' is before 'Date entrée'");
                if (noV is not null && !e.Bad && !seen.Add(noV)) e.Fail($"duplicate N° venue '{Printable(noV)}'");
                if (e.Bad) return false;
                inputs.Venues.Add(new Venue
                {
                    Ipp = ippV!, Number = noV!, Uf = e.Get(uf), Entry = entry, Exit = exit, Discharged = discharged,
                    Surgery = surgery, AceConsultation = ace, Activity = e.Get(activityC), Deceased = deceased,
                    NotInsured = notInsured, InsType = insType, MinorAse = ase, NewbornMaternity = newborn, Dmp = dmp,
                    DmpOpposition = opposition, InsQualified = insQ, EmergencyOnly = urg, Minor = minor, Line = e.Line,
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

    private static void ReadDocuments(IndicatorInputs inputs, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadRows(inputs, path, "documents", DocumentColumns, e =>
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
                if (ipp is null && venue is null) e.Fail("neither 'IPP' nor 'N° venue' is given");
                if (id is not null && !e.Bad && !seen.Add(id)) e.Fail($"duplicate 'Id local du document' '{Printable(id)}'");
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

    private static void ReadTraces(IndicatorInputs inputs, string path)
    {
        ReadRows(inputs, path, "traces", TraceColumns, e =>
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

    private static void ReadMss(IndicatorInputs inputs, string path)
    {
        ReadRows(inputs, path, "mss", MssColumns, e =>
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
                    e.Fail($"'Type destinataire' is not PS or patient: '{Printable(type)}'");
                var ipp = e.Get(ippC);
                var venue = e.Get(venueC);
                if (ipp is null && venue is null) e.Fail("neither 'IPP' nor 'N° venue' is given");
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

    private static void ReadIdentities(IndicatorInputs inputs, string path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadRows(inputs, path, "identities", IdentityColumns, e =>
        {
            Col ippC = e.Col("IPP"), doubtfulC = e.Col("Identité douteuse"), fictC = e.Col("Identité fictive"), statusC = e.Col("Statut identité");
            return e =>
            {
                var ipp = e.Required(ippC);
                var doubtful = e.Bool(doubtfulC);
                var fict = e.Bool(fictC);
                if (ipp is not null && !e.Bad && !seen.Add(ipp)) e.Fail("duplicate IPP");
                if (e.Bad) return false;
                inputs.Identities.Add(new IdentityRow { Ipp = ipp!, Status = e.Get(statusC), Doubtful = doubtful, Fictitious = fict, Line = e.Line });
                return true;
            };
        });
    }
}
