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
        ReadVenues(inputs, Open(venues, "venues", VenueColumns, inputs));
        if (documents is not null)
        {
            inputs.DocumentsFolder = Path.GetDirectoryName(Path.GetFullPath(documents));
            ReadDocuments(inputs, Open(documents, "documents", DocumentColumns, inputs));
        }
        if (traces is not null) ReadTraces(inputs, Open(traces, "traces", TraceColumns, inputs));
        if (mss is not null)
        {
            inputs.MssFolder = Path.GetDirectoryName(Path.GetFullPath(mss));
            ReadMss(inputs, Open(mss, "mss", MssColumns, inputs));
        }
        if (identities is not null)
        {
            inputs.HasIdentities = true;
            ReadIdentities(inputs, Open(identities, "identities", IdentityColumns, inputs));
        }
        return inputs;
    }

    private static (CsvTable? Table, string Role) Open(string path, string role, string[] required, IndicatorInputs inputs)
    {
        // I/O failures (missing file, no permission) propagate: the command maps them to exit code 3.
        var table = CsvTable.Load(path, Path.GetFileName(path), required, inputs.Errors);
        return (table, role);
    }

    private sealed class RowErrors(IndicatorInputs inputs, CsvTable table, CsvRecord row)
    {
        public bool Bad { get; private set; }

        public void Fail(string message)
        {
            inputs.Errors.Add(new InputError(table.File, row.Line, message));
            Bad = true;
        }

        public string? Required(string column)
        {
            var v = table.Get(row, column);
            if (v is null) Fail($"'{column}' is empty");
            return v;
        }

        public DateOnly Date(string column, bool required)
        {
            var v = table.Get(row, column);
            if (v is null) { if (required) Fail($"'{column}' is empty"); return default; }
            if (CsvValues.TryDate(v, out var d)) return d;
            Fail($"'{column}' is not a date dd/MM/yyyy: '{Printable(v)}'");
            return default;
        }

        public DateOnly? OptDate(string column)
        {
            var v = table.Get(row, column);
            if (v is null) return null;
            if (CsvValues.TryDate(v, out var d)) return d;
            Fail($"'{column}' is not a date dd/MM/yyyy: '{Printable(v)}'");
            return null;
        }

        public bool Bool(string column)
        {
            var v = table.Get(row, column);
            if (CsvValues.TryBool(v, false, out var b)) return b;
            Fail($"'{column}' is not oui/non: '{Printable(v)}'");
            return false;
        }

        public bool? OptBool(string column)
        {
            var v = table.Get(row, column);
            if (v is null) return null;
            if (CsvValues.TryBool(v, false, out var b)) return b;
            Fail($"'{column}' is not oui/non: '{Printable(v)}'");
            return null;
        }
    }

    /// <summary>Quotes an input value in a message, shortened (input errors never carry identity columns).</summary>
    private static string Printable(string? v) => v is null ? "" : v.Length > 40 ? v[..40] + "…" : v;

    private static void Summarize(IndicatorInputs inputs, CsvTable? table, string role, int rows, int rejected, string fallbackName)
    {
        inputs.Files.Add(new InputFileSummary(table?.File ?? fallbackName, role, rows, rejected));
    }

    /// <summary>Reads every row of an input file: <paramref name="row"/> returns false for a rejected row (its errors already recorded).</summary>
    private static void ReadRows(IndicatorInputs inputs, (CsvTable? Table, string Role) t, Func<CsvTable, CsvRecord, RowErrors, bool> row)
    {
        var table = t.Table;
        if (table is null) { Summarize(inputs, null, t.Role, 0, 0, t.Role); return; }
        int rejected = 0;
        foreach (var r in table.Rows)
            if (!row(table, r, new RowErrors(inputs, table, r))) rejected++;
        Summarize(inputs, table, t.Role, table.Rows.Count, rejected, t.Role);
    }

    private static void ReadVenues(IndicatorInputs inputs, (CsvTable? Table, string Role) t)
    {
        if (t.Table is { } header)
        {
            inputs.VenuesHaveDmp = header.Has("DMP");
            inputs.VenuesHaveInsQualified = header.Has("INS qualifiée");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadRows(inputs, t, (table, row, e) =>
        {
            var ipp = e.Required("IPP");
            var no = e.Required("N° venue");
            var entry = e.Date("Date entrée", true);
            var exit = e.OptDate("Date sortie");
            var discharged = e.Bool("Hospitalisé sortant");
            var surgery = e.Bool("Acte chirurgical");
            var ace = e.Bool("Consultation ACE");
            var deceased = e.OptBool("Décédé") ?? false;
            var notInsured = e.OptBool("Non assuré") ?? false;
            var ase = e.OptBool("Mineur ASE") ?? false;
            var newborn = e.OptBool("Nouveau-né maternité") ?? false;
            var opposition = e.OptBool("Opposition DMP") ?? false;
            var insQ = e.OptBool("INS qualifiée");
            var urg = e.OptBool("Passage urgences seul") ?? false;
            var minor = e.OptBool("Mineur") ?? false;
            var insType = table.Get(row, "Type INS");
            if (insType is not null && CsvReader.NormalizeValue(insType) is not ("nir" or "nia"))
                e.Fail($"'Type INS' is not NIR or NIA: '{Printable(insType)}'");
            var dmp = table.Get(row, "DMP");
            if (dmp is not null && CsvReader.NormalizeValue(dmp) is not ("ouvert" or "non ouvert" or "inconnu" or "oui" or "non"))
                e.Fail($"'DMP' is not ouvert / non ouvert / inconnu: '{Printable(dmp)}'");
            if (exit is not null && !e.Bad && exit < entry) e.Fail("'Date sortie' is before 'Date entrée'");
            if (no is not null && !e.Bad && !seen.Add(no)) e.Fail($"duplicate N° venue '{Printable(no)}'");
            if (e.Bad) return false;
            var raw = table.RowMap(row);
            inputs.Venues.Add(new Venue
            {
                Ipp = ipp!, Number = no!, Uf = table.Get(row, "UF"), Entry = entry, Exit = exit, Discharged = discharged,
                Surgery = surgery, AceConsultation = ace, Activity = table.Get(row, "Activité"), Deceased = deceased,
                NotInsured = notInsured, InsType = insType, MinorAse = ase, NewbornMaternity = newborn, Dmp = dmp,
                DmpOpposition = opposition, InsQualified = insQ, EmergencyOnly = urg, Minor = minor, Line = row.Line, Raw = raw,
            });
            return true;
        });
    }

    private static void ReadDocuments(IndicatorInputs inputs, (CsvTable? Table, string Role) t)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadRows(inputs, t, (table, row, e) =>
        {
            var id = e.Required("Id local du document");
            var produced = e.Date("Date production", true);
            var nt = e.Bool("Non-transmission");
            var hist = e.Bool("Document historique");
            if (table.Get(row, "IPP") is null && table.Get(row, "N° venue") is null) e.Fail("neither 'IPP' nor 'N° venue' is given");
            if (id is not null && !e.Bad && !seen.Add(id)) e.Fail($"duplicate 'Id local du document' '{Printable(id)}'");
            if (e.Bad) return false;
            inputs.Documents.Add(new ProducedDocument
            {
                Ipp = table.Get(row, "IPP"), Venue = table.Get(row, "N° venue"), Produced = produced, LocalId = id!,
                TypeCode = table.Get(row, "Type de document"), File = table.Get(row, "Fichier"), NotTransmitted = nt,
                Historical = hist, Line = row.Line,
            });
            return true;
        });
    }

    private static void ReadTraces(IndicatorInputs inputs, (CsvTable? Table, string Role) t)
    {
        ReadRows(inputs, t, (table, row, e) =>
        {
            var id = e.Required("Id local document");
            var date = e.Date("Date émission", true);
            var status = e.Required("Statut traitement DMP");
            var code = e.Required("code LOINC");
            if (e.Bad) return false;
            inputs.Traces.Add(new DmpTrace
            {
                LocalId = id!, Emitted = date, TypeCode = code, Ipp = table.Get(row, "IPP"), Status = status,
                Stay = table.Get(row, "N° séjour"), Line = row.Line,
            });
            return true;
        });
    }

    private static void ReadMss(IndicatorInputs inputs, (CsvTable? Table, string Role) t)
    {
        ReadRows(inputs, t, (table, row, e) =>
        {
            var id = e.Required("Id message");
            var date = e.Date("Date", true);
            var type = e.Required("Type destinataire");
            var status = e.Required("Statut");
            var equipped = e.Bool("Correspondant équipé MSS");
            var norm = CsvReader.NormalizeValue(type);
            if (type is not null && norm is not ("ps" or "patient" or "professionnel" or "usager"))
                e.Fail($"'Type destinataire' is not PS or patient: '{Printable(type)}'");
            if (table.Get(row, "IPP") is null && table.Get(row, "N° venue") is null) e.Fail("neither 'IPP' nor 'N° venue' is given");
            if (e.Bad) return false;
            inputs.Mss.Add(new MssMessage
            {
                Id = id!, Date = date, Ipp = table.Get(row, "IPP"), Venue = table.Get(row, "N° venue"),
                Recipient = table.Get(row, "Destinataire"), RecipientType = norm is "ps" or "professionnel" ? "ps" : "patient",
                RecipientEquipped = equipped, Attachment = table.Get(row, "Pièce jointe"), Status = status, Line = row.Line,
            });
            return true;
        });
    }

    private static void ReadIdentities(IndicatorInputs inputs, (CsvTable? Table, string Role) t)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ReadRows(inputs, t, (table, row, e) =>
        {
            var ipp = e.Required("IPP");
            var doubtful = e.Bool("Identité douteuse");
            var fict = e.Bool("Identité fictive");
            if (ipp is not null && !e.Bad && !seen.Add(ipp)) e.Fail("duplicate IPP");
            if (e.Bad) return false;
            inputs.Identities.Add(new IdentityRow { Ipp = ipp!, Status = table.Get(row, "Statut identité"), Doubtful = doubtful, Fictitious = fict, Line = row.Line });
            return true;
        });
    }
}
