using System.Text.Json;
using CdaCheck.Core.Reference;

namespace CdaCheck.Core.Indicators;

/// <summary>One indicator as defined in schemas/indicators/*.json.</summary>
public sealed class IndicatorDefinition
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>sejour, consultation, document, patient, correspondent, declared.</summary>
    public required string Unit { get; init; }
    public required string Population { get; init; }
    /// <summary>Ségur kind id (segur-kinds.json), "*" for any document, null for non-document indicators.</summary>
    public string? Kind { get; init; }
    public string? Channel { get; init; }
    public decimal Weighting { get; init; } = 1m;
    public bool ApplyExclusions { get; init; }
    public bool DmpAdjusted { get; init; }
    public string? ZeroDenominator { get; init; }
    public string? MinLevel { get; init; }
    public string? RequiredLevel { get; init; }
    public bool RequirePdf { get; init; }
    public bool RequireXdm { get; init; }
    public bool Historical { get; init; }
    public bool RequireConformantAttachment { get; init; } = true;
    /// <summary>HOP'EN 2: the SUN-ES domain (D1…D4) whose attainment sets this indicator's target tier; null = one target.</summary>
    public string? Domain { get; init; }
    /// <summary>SUN-ES DS4.2: a message counts without attachment, but an attached document must carry a qualified INS.</summary>
    public bool AttachmentMustHaveQualifiedIns { get; init; }
    /// <summary>SUN-ES DS4.1: the denominator holds the correspondents équipés MSSanté only.</summary>
    public bool EquippedOnly { get; init; }
    /// <summary>Target (percent) per tier or window; null value = no target in that window.</summary>
    public required IReadOnlyDictionary<string, decimal?> Targets { get; init; }
}

public sealed record Exclusion(string Id, string Column, string? EqualsValue, string Label)
{
    /// <summary>The column as a normalised header key (looked up for every venue).</summary>
    public string ColumnKey { get; } = CsvReader.NormalizeHeader(Column);
    /// <summary>The value to compare, normalised; null when the exclusion is a oui/non column.</summary>
    public string? EqualsKey { get; } = EqualsValue is null ? null : CsvReader.NormalizeValue(EqualsValue);
}

/// <summary>A SUN-ES domain (reached when every indicator listed is) or bonus (+percent of <paramref name="Domain"/>'s forfait when every indicator listed is reached).</summary>
public sealed record Verdict(string Id, string Title, IReadOnlyList<string> Indicators, decimal? Percent, string? Domain = null);

/// <summary>A SUN-ES window applied for (F1…F4): the months that count (yyyy-MM, <paramref name="Deadline"/> included).</summary>
public sealed record WindowDetail(string Id, string Name, string From, string Deadline, string? Note)
{
    public bool Contains(int year, int month)
    {
        var m = $"{year:0000}-{month:00}";
        return string.CompareOrdinal(m, From) >= 0 && string.CompareOrdinal(m, Deadline) <= 0;
    }
}

/// <summary>A SUN-ES prerequisite (PS1.1…PS4.1): declarative, or checked automatically (<c>ps41-eml</c>); required in the windows listed.</summary>
public sealed record Prerequisite(string Id, string Title, string Check, IReadOnlyList<string> Windows, IReadOnlyList<string> TestAddresses);

public sealed record StayDefinition(string Activity, IReadOnlyList<string> Aliases, string Mode, bool RequireDischarged,
    int MinDays, bool AdultsOnly, int MaxGapDays, int WindowMonths, int MinSessions, bool SameLegalEntity = false);

/// <summary>A programme (HOP'EN 2 or SUN-ES): its indicators, exclusions, targets and séjour definitions.</summary>
public sealed class ProgramDefinition
{
    public required string Program { get; init; }
    public required string Title { get; init; }
    public required string Version { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyList<IndicatorDefinition> Indicators { get; init; }
    public IReadOnlyList<string> Tiers { get; init; } = [];
    public string? DefaultTier { get; init; }
    public IReadOnlyList<string> Windows { get; init; } = [];
    public IReadOnlyList<Exclusion> Exclusions { get; init; } = [];
    public IReadOnlyList<Exclusion> ExcludedVenues { get; init; } = [];
    public IReadOnlyList<StayDefinition> Stays { get; init; } = [];
    public string DefaultActivity { get; init; } = "MCO";
    public required IReadOnlySet<string> DmpSuccess { get; init; }
    public required IReadOnlySet<string> MssSuccess { get; init; }
    public IReadOnlySet<string> DmpOpen { get; init; } = new HashSet<string>();
    public IReadOnlySet<string> DmpNotOpen { get; init; } = new HashSet<string>();
    public bool OppositionExcludes { get; init; } = true;
    public int HistoryYears { get; init; } = 5;
    /// <summary>SUN-ES DMP estimate: séjours removed first (patients who cannot have an INS).</summary>
    public IReadOnlyList<Exclusion> DmpRemovals { get; init; } = [];
    /// <summary>DMP trace statuses that say the patient's DMP is closed (normalised).</summary>
    public IReadOnlySet<string> DmpClosedStatuses { get; init; } = new HashSet<string>();
    /// <summary>SUN-ES domains and bonuses with the indicators each needs reached.</summary>
    public IReadOnlyList<Verdict> DomainVerdicts { get; init; } = [];
    public IReadOnlyList<Verdict> Bonuses { get; init; } = [];
    /// <summary>HOP'EN 2: the SUN-ES domains a tier is reached for.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];
    /// <summary>First and last month the programme counts (yyyy-MM), null when any month is accepted.</summary>
    public string? MonthsFrom { get; init; }
    public string? MonthsTo { get; init; }
    /// <summary>SUN-ES windows applied for (F1 extended to September 2022, F2 deadline December 2022…).</summary>
    public IReadOnlyList<WindowDetail> WindowDetails { get; init; } = [];
    /// <summary>SUN-ES forfait degression: percent of a domain's forfait per window (null = not known), and its source.</summary>
    public IReadOnlyDictionary<string, decimal?> ForfaitPercent { get; init; } = new Dictionary<string, decimal?>();
    public string? ForfaitSource { get; init; }
    /// <summary>SUN-ES prerequisites PS1.1–PS4.1 and their source.</summary>
    public IReadOnlyList<Prerequisite> Prerequisites { get; init; } = [];
    public string? PrerequisitesSource { get; init; }

    /// <summary>The window with this id (S1-2022) or name (F1), case-insensitive; null when unknown.</summary>
    public WindowDetail? FindWindow(string? idOrName) =>
        idOrName is null ? null : WindowDetails.FirstOrDefault(w => string.Equals(w.Id, idOrName, StringComparison.OrdinalIgnoreCase) || string.Equals(w.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a month is inside the programme's months (HOP'EN 2 phase 1: December 2024 to July 2025).</summary>
    public bool AcceptsMonth(int year, int month)
    {
        var m = $"{year:0000}-{month:00}";
        return (MonthsFrom is null || string.CompareOrdinal(m, MonthsFrom) >= 0) && (MonthsTo is null || string.CompareOrdinal(m, MonthsTo) <= 0);
    }

    /// <summary>Parses "D1,D4" into domains of this programme; false with the first unknown one.</summary>
    public static bool TryDomains(string list, ProgramDefinition p, out IReadOnlySet<string> domains, out string? bad)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        bad = null;
        foreach (var raw in list.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var d = raw.Trim().ToUpperInvariant();
            if (d is "NONE" or "AUCUN") continue;
            if (!p.Domains.Contains(d)) { bad = raw; domains = set; return false; }
            set.Add(d);
        }
        domains = set;
        return true;
    }

    /// <summary>HOP'EN 2 tier of one indicator: "sun-es-reached" when its SUN-ES domain is reached, else "other"; an indicator without a domain takes "other" unless every domain is reached (its targets are equal).</summary>
    public static string TierOf(IndicatorDefinition def, IReadOnlySet<string> reached, IReadOnlyList<string> allDomains) =>
        def.Domain is { } d ? (reached.Contains(d) ? "sun-es-reached" : "other")
            : allDomains.Count > 0 && allDomains.All(reached.Contains) ? "sun-es-reached" : "other";

    public static readonly string[] Programs = ["hopen2", "sun-es"];

    public static ProgramDefinition Load(ReferenceData data, string program) => program switch
    {
        "hopen2" => data.Get("indicators/hopen2.json", Parse),
        "sun-es" => data.Get("indicators/sun-es.json", Parse),
        _ => throw new ArgumentException("Unknown programme " + program),
    };

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ReferenceDataException($"indicator definitions: '{name}' is missing.");
    private static string? OptStr(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    private static bool Bool(JsonElement e, string name, bool dflt) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : dflt;
    private static int Int(JsonElement e, string name, int dflt) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : dflt;
    private static IReadOnlyList<string> Strs(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
    private static IReadOnlySet<string> Norm(IEnumerable<string> values) => values.Select(CsvReader.NormalizeValue).ToHashSet(StringComparer.Ordinal);

    private static IReadOnlyList<Verdict> Verdicts(JsonElement root, string name) =>
        root.TryGetProperty(name, out var arr) && arr.ValueKind == JsonValueKind.Array
            ? arr.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object)
                .Select(x => new Verdict(Str(x, "id"), Str(x, "title"), Strs(x, "indicators"),
                    x.TryGetProperty("percent", out var pc) && pc.ValueKind == JsonValueKind.Number ? pc.GetDecimal() : null, OptStr(x, "domain"))).ToArray()
            : [];

    private static ProgramDefinition Parse(JsonElement root)
    {
        var indicators = new List<IndicatorDefinition>();
        foreach (var i in root.GetProperty("indicators").EnumerateArray())
        {
            var targets = new Dictionary<string, decimal?>(StringComparer.Ordinal);
            if (i.TryGetProperty("targets", out var t))
                foreach (var p in t.EnumerateObject())
                    targets[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDecimal() : null;
            indicators.Add(new IndicatorDefinition
            {
                Id = Str(i, "id"), Title = Str(i, "title"), Unit = Str(i, "unit"), Population = Str(i, "population"),
                Kind = OptStr(i, "kind"), Channel = OptStr(i, "channel"),
                Weighting = i.TryGetProperty("weighting", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetDecimal() : 1m,
                ApplyExclusions = Bool(i, "applyExclusions", false), DmpAdjusted = Bool(i, "dmpAdjusted", false),
                ZeroDenominator = OptStr(i, "zeroDenominator"), MinLevel = OptStr(i, "minLevel"), RequiredLevel = OptStr(i, "requiredLevel"),
                RequirePdf = Bool(i, "requirePdf", false), RequireXdm = Bool(i, "requireXdm", false), Historical = Bool(i, "historical", false),
                RequireConformantAttachment = Bool(i, "requireConformantAttachment", true), Targets = targets, Domain = OptStr(i, "domain"),
                AttachmentMustHaveQualifiedIns = Bool(i, "attachmentMustHaveQualifiedIns", false), EquippedOnly = Bool(i, "equippedOnly", false),
            });
        }
        if (indicators.Count == 0) throw new ReferenceDataException("indicator definitions: no indicators.");
        static IReadOnlyList<Exclusion> Excl(JsonElement root, string name) =>
            root.TryGetProperty(name, out var arr)
                ? arr.EnumerateArray().Select(x => new Exclusion(Str(x, "id"), Str(x, "column"), OptStr(x, "equals"), Str(x, "label"))).ToArray()
                : [];
        var stays = new List<StayDefinition>();
        if (root.TryGetProperty("stayDefinitions", out var sd))
            foreach (var s in sd.EnumerateArray())
                stays.Add(new StayDefinition(Str(s, "activity"), Strs(s, "aliases").Select(ColumnAliases.Key).ToArray(), Str(s, "mode"),
                    Bool(s, "requireDischarged", false), Int(s, "minDays", 0), Bool(s, "adultsOnly", false), Int(s, "maxGapDays", 0),
                    Int(s, "windowMonths", 0), Int(s, "minSessions", 0), Bool(s, "sameLegalEntity", false)));
        var dmp = root.TryGetProperty("dmpDenominator", out var dd) ? dd : default;
        return new ProgramDefinition
        {
            Program = Str(root, "program"), Title = Str(root, "title"), Version = Str(root, "version"), Source = Str(root, "source"),
            Indicators = indicators, Tiers = Strs(root, "tiers"), DefaultTier = OptStr(root, "defaultTier"), Windows = Strs(root, "windows"),
            Exclusions = Excl(root, "exclusions"), ExcludedVenues = Excl(root, "excludedVenues"), Stays = stays,
            DefaultActivity = OptStr(root, "defaultActivity") ?? "MCO",
            DmpSuccess = Norm(Strs(root, "dmpSuccessStatuses")), MssSuccess = Norm(Strs(root, "mssSuccessStatuses")),
            DmpOpen = dmp.ValueKind == JsonValueKind.Object ? Norm(Strs(dmp, "openValues")) : new HashSet<string>(),
            DmpNotOpen = dmp.ValueKind == JsonValueKind.Object ? Norm(Strs(dmp, "notOpenValues")) : new HashSet<string>(),
            OppositionExcludes = dmp.ValueKind != JsonValueKind.Object || Bool(dmp, "oppositionExcludes", true),
            DmpRemovals = dmp.ValueKind == JsonValueKind.Object ? Excl(dmp, "removals") : [],
            DmpClosedStatuses = dmp.ValueKind == JsonValueKind.Object ? Norm(Strs(dmp, "closedStatuses")) : new HashSet<string>(),
            HistoryYears = root.TryGetProperty("historical", out var h) ? Int(h, "lookbackYears", 5) : 5,
            Domains = root.TryGetProperty("domains", out var dm) && dm.ValueKind == JsonValueKind.Array && dm.GetArrayLength() > 0 && dm[0].ValueKind == JsonValueKind.String ? Strs(root, "domains") : [],
            DomainVerdicts = Verdicts(root, "domains"),
            Bonuses = Verdicts(root, "bonuses"),
            MonthsFrom = root.TryGetProperty("months", out var mo) ? OptStr(mo, "from") : null,
            MonthsTo = root.TryGetProperty("months", out var mt) ? OptStr(mt, "to") : null,
            WindowDetails = root.TryGetProperty("windowDetails", out var wd) && wd.ValueKind == JsonValueKind.Array
                ? wd.EnumerateArray().Select(x => new WindowDetail(Str(x, "id"), Str(x, "name"), Str(x, "from"), Str(x, "deadline"), OptStr(x, "note"))).ToArray() : [],
            ForfaitPercent = root.TryGetProperty("forfaits", out var fo) && fo.TryGetProperty("percentByWindow", out var fp)
                ? fp.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.ValueKind == JsonValueKind.Number ? x.Value.GetDecimal() : (decimal?)null, StringComparer.Ordinal)
                : new Dictionary<string, decimal?>(),
            ForfaitSource = root.TryGetProperty("forfaits", out var fs) ? OptStr(fs, "source") : null,
            Prerequisites = root.TryGetProperty("prerequisites", out var pq) && pq.ValueKind == JsonValueKind.Array
                ? pq.EnumerateArray().Select(x => new Prerequisite(Str(x, "id"), Str(x, "title"), Str(x, "check"), Strs(x, "windows"), Strs(x, "testAddresses"))).ToArray() : [],
            PrerequisitesSource = OptStr(root, "prerequisitesSource"),
        };
    }

    /// <summary>The SUN-ES window containing a month (S1 = January–June), if the programme defines it.</summary>
    public string? WindowOf(int year, int month)
    {
        var w = $"S{(month <= 6 ? 1 : 2)}-{year}";
        return Windows.Contains(w) ? w : null;
    }
}
