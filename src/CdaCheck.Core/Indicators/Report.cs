namespace CdaCheck.Core.Indicators;

/// <summary>What to compute: programme, month, SUN-ES window or HOP'EN 2 tier, establishment.</summary>
public sealed record IndicatorRequest(string Program, int Year, int Month)
{
    public string? Window { get; init; }
    public string? Tier { get; init; }
    /// <summary>HOP'EN 2: SUN-ES domains reached (D1…D4), per-domain targets; null = from <see cref="Tier"/>.</summary>
    public IReadOnlySet<string>? SunEsReached { get; init; }
    public string? Establishment { get; init; }
    public string? Finess { get; init; }
    /// <summary>SUN-ES PS4.1: the test message (.eml) sent to the MSSanté test address, checked automatically.</summary>
    public string? Ps41Eml { get; init; }
    /// <summary>SUN-ES PS4.1: the MSSanté test address the message must be sent to (else the programme's list, else any MSSanté domain).</summary>
    public string? Ps41To { get; init; }
    /// <summary>Language of the texts for people (messages, notes, labels); machine values stay as they are.</summary>
    public CdaCheck.Core.Localization.Lang Language { get; init; } = CdaCheck.Core.Localization.Lang.Fr;
    public string Period => $"{Year:0000}-{Month:00}";
    public DateOnly Start => new(Year, Month, 1);
    /// <summary>The month's last day (December 9999 included: no date past it is computed).</summary>
    public DateOnly End => new(Year, Month, DateTime.DaysInMonth(Year, Month));
}

/// <summary>One séjour, consultation, document, patient or correspondent examined for an indicator (the detail sheet).</summary>
public sealed class UnitRow
{
    public required string Indicator { get; init; }
    public required string UnitType { get; init; }
    public required string UnitId { get; init; }
    public string? Ipp { get; init; }
    public bool InDenominator { get; set; } = true;
    /// <summary>Why the unit is outside the denominator (exclusion label), if it is.</summary>
    public string? Exclusion { get; set; }
    /// <summary>Credited by at least one conformant document / send.</summary>
    public bool Counted { get; set; }
    /// <summary>Credited by at least one SUCCES trace / send, conformant or not.</summary>
    public bool Naive { get; set; }
    // created on first use: most units of a large month credit no document or have no reason
    private List<string>? _documents;
    private SortedSet<string>? _reasons;
    public List<string> Documents => _documents ??= new();
    public SortedSet<string> Reasons => _reasons ??= new(StringComparer.Ordinal);
    /// <summary>True when <see cref="Reasons"/> holds a reason (without creating it).</summary>
    public bool HasReasons => _reasons is { Count: > 0 };
    public string? Note { get; set; }
}

public sealed class RejectedDocument
{
    public required string Document { get; init; }
    public string? File { get; set; }
    public SortedSet<string> Reasons { get; } = new(StringComparer.Ordinal);
    /// <summary>One message per reason (identity values masked).</summary>
    public List<string> Messages { get; } = new();
}

/// <summary>
/// The national verification formula: for séjour indicators (DS1.1–DS1.3) séjours with a DMP credited by a conformant
/// document (several documents of one séjour, e.g. ODS sent in lots, count once) over séjours with a DMP; for the
/// report indicators (DS2.1, DS3.1) documents produced.
/// </summary>
public sealed record NationalFormula(int Numerator, int Denominator, decimal? Rate, string Unit = "document");

/// <summary>One SUN-ES prerequisite in the report: required in the window or not, and its status.</summary>
public sealed class PrerequisiteResult
{
    public required Prerequisite Definition { get; init; }
    /// <summary>Required in the window applied for (null when there is no window).</summary>
    public bool? RequiredInWindow { get; init; }
    /// <summary>passed, failed, not-checked (automatic check without its input), declarative (to be attested by the establishment).</summary>
    public required string Status { get; init; }
    public IReadOnlyList<string> Reasons { get; init; } = [];
    public IReadOnlyList<string> Messages { get; init; } = [];
    public string? Note { get; init; }
}

/// <summary>SUN-ES forfait of one domain in the window: reached, the window's percent (degression), bonuses, what is earned.</summary>
public sealed record DomainForfait(string Domain, bool? Reached, decimal? WindowPercent, decimal BonusPercent, decimal? EarnedPercent);

public sealed class IndicatorResult
{
    public required IndicatorDefinition Definition { get; init; }
    public string Id => Definition.Id;
    public string Title => Definition.Title;
    public int Numerator { get; set; }
    /// <summary>After weighting (HOP'EN 2: × taux national MES) or DMP adjustment (SUN-ES).</summary>
    public decimal Denominator { get; set; }
    public int DenominatorRaw { get; set; }
    public decimal? Rate { get; set; }
    public decimal? Target { get; set; }
    /// <summary>HOP'EN 2: the tier whose target applies to this indicator (per SUN-ES domain).</summary>
    public string? TargetTier { get; set; }
    public bool? Reached { get; set; }
    public int NaiveNumerator { get; set; }
    public decimal? NaiveRate { get; set; }
    /// <summary>"non concerné" (0/0), "declared", or null.</summary>
    public string? Status { get; set; }
    /// <summary>SUN-ES: dmp-column, estimate or all-stays.</summary>
    public string? DenominatorMode { get; set; }
    public decimal? DenominatorEstimate { get; set; }
    public NationalFormula? National { get; set; }
    public List<RejectedDocument> Rejected { get; } = new();
    public List<UnitRow> Units { get; } = new();
    /// <summary>Units credited naively but not by a conformant document.</summary>
    public int GapUnits { get; set; }
    public SortedDictionary<string, int> GapByReason { get; } = new(StringComparer.Ordinal);
    public string? Note { get; set; }
}

public sealed class IndicatorReport
{
    public required IndicatorRequest Request { get; init; }
    public required ProgramDefinition Definitions { get; init; }
    public string? Window { get; init; }
    public string? Tier { get; init; }
    /// <summary>HOP'EN 2: the SUN-ES domains reached (per-domain targets).</summary>
    public IReadOnlySet<string>? SunEsReached { get; init; }
    /// <summary>SUN-ES: the window's detail (F1…F4, months, deadline).</summary>
    public WindowDetail? WindowInfo { get; init; }
    /// <summary>SUN-ES: true when the window is the one applied for (--window), false when deduced from the month.</summary>
    public bool WindowApplied { get; init; }
    public List<PrerequisiteResult> Prerequisites { get; } = new();
    public List<IndicatorResult> Indicators { get; } = new();
    public List<InputError> InputErrors { get; } = new();
    public List<InputFileSummary> Inputs { get; } = new();
    public int Validations { get; set; }

    /// <summary>
    /// SUN-ES domain verdicts and bonuses: true when every indicator listed is reached, false when one is not,
    /// null when one has no target in the window (or no window).
    /// </summary>
    public IEnumerable<(Verdict Verdict, bool? Reached)> Verdicts(IReadOnlyList<Verdict> list) =>
        list.Select(v =>
        {
            var rs = v.Indicators.Select(id => this[id]?.Reached).ToList();
            bool? reached = rs.Exists(r => r == false) ? false : rs.TrueForAll(r => r == true) ? true : null;
            return (v, reached);
        });

    public IndicatorResult? this[string id] => Indicators.Find(i => i.Id == id);

    /// <summary>
    /// SUN-ES forfait per domain in the window: a domain reached earns the window's percent of its forfait (the
    /// degression table) plus its bonuses reached (+10 % each); not reached earns 0; null when the window's percent is
    /// not known or a verdict is undecided.
    /// </summary>
    public IEnumerable<DomainForfait> Forfaits()
    {
        decimal? pct = Window is not null && Definitions.ForfaitPercent.TryGetValue(Window, out var p) ? p : null;
        var bonuses = Verdicts(Definitions.Bonuses).ToList();
        foreach (var (d, reached) in Verdicts(Definitions.DomainVerdicts))
        {
            decimal bonus = bonuses.Where(b => b.Verdict.Domain == d.Id && b.Reached == true).Sum(b => b.Verdict.Percent ?? 0m);
            decimal? earned = reached switch
            {
                false => 0m,
                true when pct is { } x => Math.Round(x * (100m + bonus) / 100m, 2, MidpointRounding.AwayFromZero),
                _ => null,
            };
            yield return new DomainForfait(d.Id, reached, pct, reached == true ? bonus : 0m, earned);
        }
    }
}

public static class Rates
{
    /// <summary>Percent with one decimal (half away from zero), null when the denominator is 0.</summary>
    public static decimal? Percent(decimal numerator, decimal denominator) =>
        denominator == 0 ? null : Math.Round(numerator * 100m / denominator, 1, MidpointRounding.AwayFromZero);

    /// <summary>Removes trailing zeros of a decimal (9.30 → 9.3) for output.</summary>
    public static decimal Trim(decimal d) => d / 1.000000000000000000000000000000000m;
}
