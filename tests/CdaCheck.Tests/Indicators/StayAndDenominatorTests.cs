using CdaCheck.Core.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>SUN-ES séjour definitions and DMP-based denominators on in-memory extractions.</summary>
public class StayAndDenominatorTests
{
    private static int _n;

    internal static Venue V(string ipp, string entry, string? exit, bool discharged = true, string? activity = null, string? dmp = null,
        bool? insQualified = null, bool surgery = false, bool opposition = false, bool minor = false)
    {
        CsvValues.TryDate(entry, out var e);
        DateOnly? x = exit is null ? null : CsvValues.TryDate(exit, out var xx) ? xx : throw new ArgumentException(exit);
        return new Venue
        {
            Ipp = ipp, Number = "V" + Interlocked.Increment(ref _n).ToString("00000"), Entry = e, Exit = x, Discharged = discharged,
            Activity = activity, Dmp = dmp, InsQualified = insQualified, Surgery = surgery, DmpOpposition = opposition, Minor = minor,
            Raw = new Dictionary<string, string?>(),
        };
    }

    private static IndicatorReport Run(IndicatorInputs inputs, string program = "sun-es", int year = 2023, int month = 10) =>
        new IndicatorEngine(new ConformanceGate(Shared.Data, null))
            .Compute(new IndicatorRequest(program, year, month), inputs, ProgramDefinition.Load(Shared.Data, program));

    [Fact]
    public void Guide_example_100_stays_10_of_60_qualified_without_DMP_40_not_qualified_gives_83()
    {
        var inputs = new IndicatorInputs { VenuesHaveDmp = true, VenuesHaveInsQualified = true };
        for (int i = 0; i < 10; i++) inputs.Venues.Add(V("Q" + i, "02/10/2023", "05/10/2023", dmp: "non ouvert", insQualified: true));
        for (int i = 10; i < 60; i++) inputs.Venues.Add(V("Q" + i, "02/10/2023", "05/10/2023", dmp: "ouvert", insQualified: true));
        for (int i = 0; i < 40; i++) inputs.Venues.Add(V("N" + i, "02/10/2023", "05/10/2023", dmp: "inconnu", insQualified: false));
        var r = Run(inputs)["DS1.1"]!;
        r.DenominatorMode.ShouldBe("estimate");
        r.DenominatorRaw.ShouldBe(100);
        r.DenominatorEstimate.ShouldBe(83.33m); // 100 − 10 − 40 × 10/60
        r.Denominator.ShouldBe(83m);
    }

    [Fact]
    public void Guide_rounding_rounds_the_not_qualified_share_before_subtracting_and_removals_come_first()
    {
        // 100 − 10 − 7 = 83 where 7 = round(40 × 10/60 = 6.67); with 2 non-assurés and 3 oppositions removed first
        // (105 séjours of the domain), the same 100 remain.
        var inputs = new IndicatorInputs { VenuesHaveDmp = true, VenuesHaveInsQualified = true };
        for (int i = 0; i < 10; i++) inputs.Venues.Add(V("Q" + i, "02/10/2023", "05/10/2023", dmp: "non ouvert", insQualified: true));
        for (int i = 10; i < 60; i++) inputs.Venues.Add(V("Q" + i, "02/10/2023", "05/10/2023", dmp: "ouvert", insQualified: true));
        for (int i = 0; i < 40; i++) inputs.Venues.Add(V("N" + i, "02/10/2023", "05/10/2023", dmp: "inconnu", insQualified: false));
        for (int i = 0; i < 3; i++) inputs.Venues.Add(V("O" + i, "02/10/2023", "05/10/2023", dmp: "inconnu", insQualified: false, opposition: true));
        for (int i = 0; i < 2; i++)
        {
            var v = V("X" + i, "02/10/2023", "05/10/2023", dmp: "inconnu", insQualified: false);
            inputs.Venues.Add(new Venue
            {
                Ipp = v.Ipp, Number = v.Number, Entry = v.Entry, Exit = v.Exit, Discharged = true, Dmp = v.Dmp, InsQualified = false, NotInsured = true,
                Raw = new Dictionary<string, string?> { [CsvReader.NormalizeHeader("Non assuré")] = "oui" },
            });
        }
        var r = Run(inputs)["DS1.1"]!;
        r.DenominatorRaw.ShouldBe(105);
        r.DenominatorMode.ShouldBe("estimate");
        r.Denominator.ShouldBe(83m);
        r.Units.Count(u => u.Exclusion == "opposition à l'alimentation du DMP").ShouldBe(3);
        r.Units.Count(u => u.Exclusion is { } e && e.Contains("INS", StringComparison.Ordinal) && e.Contains("non assuré", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public void A_trace_status_ERREUR_DMP_CLOS_says_the_patient_has_no_DMP()
    {
        var inputs = new IndicatorInputs { VenuesHaveDmp = true };
        inputs.Venues.Add(V("A", "02/10/2023", "05/10/2023", dmp: "ouvert"));
        inputs.Venues.Add(V("B", "02/10/2023", "05/10/2023", dmp: "ouvert"));
        inputs.Traces.Add(new DmpTrace { LocalId = "T1", Emitted = new DateOnly(2023, 10, 5), TypeCode = "11490-0", Ipp = "B", Status = "ERREUR_DMP_CLOS" });
        var r = Run(inputs)["DS1.1"]!;
        r.DenominatorMode.ShouldBe("dmp-column");
        r.Denominator.ShouldBe(1m);
        r.Units.Single(u => u.Ipp == "B").InDenominator.ShouldBeFalse();
    }

    [Theory]
    [InlineData("Identité qualifiée", true)]
    [InlineData("qualifiée", true)]
    [InlineData("Identité non qualifiée", false)]
    [InlineData("Identité récupérée", false)]
    public void P1_01_matches_identity_statuses_exactly(string status, bool counted)
    {
        var inputs = new IndicatorInputs { HasIdentities = true };
        inputs.Venues.Add(V("A", "02/10/2023", "05/10/2023"));
        inputs.Identities.Add(new IdentityRow { Ipp = "A", Status = status });
        var r = Run(inputs, "hopen2")["P1.01"]!;
        r.Numerator.ShouldBe(counted ? 1 : 0);
        // "disposant d'une INS": a non qualifiée status (not an RNIV status) is outside the denominator
        r.DenominatorRaw.ShouldBe(status.Contains("non") ? 0 : 1);
    }

    [Fact]
    public void DS3_1_counts_imaging_reports_of_sejours_and_external_consultations()
    {
        var inputs = new IndicatorInputs();
        var stay = V("A", "02/10/2023", "05/10/2023");
        var ace = new Venue { Ipp = "B", Number = "ACE1", Entry = new DateOnly(2023, 10, 9), Exit = new DateOnly(2023, 10, 9), AceConsultation = true, Raw = new Dictionary<string, string?>() };
        var open = V("C", "20/10/2023", null, discharged: false);
        inputs.Venues.AddRange([stay, ace, open]);
        ProducedDocument Img(string id, string venue) => new() { LocalId = id, Venue = venue, Produced = new DateOnly(2023, 10, 10), TypeCode = "18748-4" };
        inputs.Documents.AddRange([Img("I1", stay.Number), Img("I2", stay.Number), Img("I3", "ACE1"), Img("I4", open.Number)]);
        var r = Run(inputs)["DS3.1"]!;
        r.Definition.Unit.ShouldBe("document");
        r.DenominatorRaw.ShouldBe(3); // two reports of the séjour (not one séjour) and the ACE report; I4's venue is neither
        r.Units.Single(u => u.UnitId == "I4").Exclusion.ShouldBe("ni séjour ni consultation externe");
    }

    [Fact]
    public void DS1_4_needs_a_previous_sejour_and_credits_historical_sends_made_before_admission()
    {
        var inputs = new IndicatorInputs();
        var old = V("A", "01/03/2021", "05/03/2021");
        var now = V("A", "10/10/2023", "15/10/2023");
        var aceOnly = new Venue { Ipp = "B", Number = "ACE9", Entry = new DateOnly(2022, 1, 9), Exit = new DateOnly(2022, 1, 9), AceConsultation = true, Raw = new Dictionary<string, string?>() };
        var nowB = V("B", "10/10/2023", "15/10/2023");
        inputs.Venues.AddRange([old, now, aceOnly, nowB]);
        inputs.Documents.Add(new ProducedDocument { LocalId = "H1", Ipp = "A", Venue = old.Number, Produced = new DateOnly(2021, 3, 5), TypeCode = "11490-0", Historical = true });
        // sent on 2 October, before the admission of 10 October ("en anticipation")
        inputs.Traces.Add(new DmpTrace { LocalId = "H1", Emitted = new DateOnly(2023, 10, 2), TypeCode = "11490-0", Ipp = "A", Status = "SUCCES" });
        var r = Run(inputs)["DS1.4"]!;
        r.Units.Select(u => u.Ipp).ShouldBe(["A"]); // B's earlier venue is a consultation, not a séjour
        r.NaiveNumerator.ShouldBe(1);
    }

    [Fact]
    public void Without_DMP_information_every_stay_is_in_the_denominator()
    {
        var inputs = new IndicatorInputs();
        inputs.Venues.Add(V("A", "02/10/2023", "05/10/2023"));
        inputs.Venues.Add(V("B", "02/10/2023", "05/10/2023"));
        var r = Run(inputs)["DS1.1"]!;
        r.DenominatorMode.ShouldBe("all-stays");
        r.Denominator.ShouldBe(2m);
    }

    [Fact]
    public void DMP_opposition_removes_the_stay_from_the_denominator()
    {
        var inputs = new IndicatorInputs { VenuesHaveDmp = true };
        inputs.Venues.Add(V("A", "02/10/2023", "05/10/2023", dmp: "ouvert"));
        inputs.Venues.Add(V("B", "02/10/2023", "05/10/2023", dmp: "ouvert", opposition: true));
        var r = Run(inputs)["DS1.1"]!;
        r.DenominatorMode.ShouldBe("dmp-column");
        r.Denominator.ShouldBe(1m);
        r.DenominatorRaw.ShouldBe(2);
    }

    [Fact]
    public void Psy_venues_chained_within_a_day_form_one_stay()
    {
        var inputs = new IndicatorInputs();
        inputs.Venues.Add(V("A", "01/09/2023", "20/09/2023", activity: "PSY"));
        inputs.Venues.Add(V("A", "21/09/2023", "10/10/2023", activity: "Psychiatrie"));   // chained (gap 1 day)
        inputs.Venues.Add(V("B", "01/10/2023", "03/10/2023", activity: "PSY"));
        inputs.Venues.Add(V("B", "10/10/2023", "12/10/2023", activity: "PSY"));           // gap 7 days: a second stay
        var units = Run(inputs)["DS1.1"]!.Units;
        units.Count.ShouldBe(3);
        units.Count(u => u.Ipp == "A").ShouldBe(1);
        units.Single(u => u.Ipp == "A").UnitId.ShouldContain("+");
    }

    [Fact]
    public void Had_counts_adults_with_8_days_or_more()
    {
        var inputs = new IndicatorInputs();
        inputs.Venues.Add(V("A", "01/10/2023", "09/10/2023", activity: "HAD"));              // 8 days
        inputs.Venues.Add(V("B", "01/10/2023", "08/10/2023", activity: "HAD"));              // 7 days
        inputs.Venues.Add(V("C", "01/10/2023", "20/10/2023", activity: "HAD", minor: true)); // minor
        Run(inputs)["DS1.1"]!.Units.Select(u => u.Ipp).ShouldBe(["A"]);
    }

    [Fact]
    public void Radiotherapy_needs_3_sessions_within_3_months_and_dialysis_3_within_4()
    {
        var inputs = new IndicatorInputs();
        // A: 3 radiotherapy sessions in 2 months, last one in October → one stay.
        foreach (var d in new[] { "10/08/2023", "01/09/2023", "02/10/2023" }) inputs.Venues.Add(V("A", d, d, discharged: false, activity: "Radiothérapie"));
        // B: 2 sessions only → no stay.
        foreach (var d in new[] { "01/10/2023", "05/10/2023" }) inputs.Venues.Add(V("B", d, d, discharged: false, activity: "Chimiothérapie"));
        // C: 3 radiotherapy sessions spread over 3.5 months → none within 3 months.
        foreach (var d in new[] { "20/06/2023", "01/08/2023", "05/10/2023" }) inputs.Venues.Add(V("C", d, d, discharged: false, activity: "RADIO"));
        // D: the same spread is a dialysis stay (4-month window).
        foreach (var d in new[] { "20/06/2023", "01/08/2023", "05/10/2023" }) inputs.Venues.Add(V("D", d, d, discharged: false, activity: "Dialyse"));
        var rep = Run(inputs);
        rep.InputErrors.ShouldBeEmpty();
        rep["DS1.1"]!.Units.Select(u => u.Ipp).Order().ShouldBe(["A", "D"]);
    }

    [Fact]
    public void Unknown_activity_is_reported_and_counted_as_MCO()
    {
        var inputs = new IndicatorInputs();
        inputs.Venues.Add(V("A", "01/10/2023", "05/10/2023", activity: "Cardio"));
        var report = Run(inputs);
        report["DS1.1"]!.Units.Count.ShouldBe(1);
        report.InputErrors.ShouldHaveSingleItem().Message.ShouldContain("Activité");
    }

    [Fact]
    public void Zero_denominator_is_non_concerne_with_a_null_rate()
    {
        var inputs = new IndicatorInputs();
        inputs.Venues.Add(V("A", "01/10/2023", "05/10/2023"));
        var report = Run(inputs, "hopen2");
        var ods = report["P1.02-ODS"]!;
        ods.Denominator.ShouldBe(0m);
        ods.Rate.ShouldBeNull();
        ods.Reached.ShouldBeNull();
        ods.Status.ShouldBe("non concerné");
        report["P1.02-LDL"]!.Status.ShouldBeNull();
        report["P1.02-LDL"]!.Denominator.ShouldBe(0.93m);
        report["P1.02-LDL"]!.Rate.ShouldBe(0.0m);
    }

    [Fact]
    public void Rates_are_percent_with_one_decimal_rounded_half_away_from_zero()
    {
        Rates.Percent(1, 3.72m).ShouldBe(26.9m);
        Rates.Percent(1, 8m).ShouldBe(12.5m);
        Rates.Percent(1, 16m).ShouldBe(6.3m); // 6.25 → 6.3
        Rates.Percent(0, 0).ShouldBeNull();
    }
}

public class AttributionTests
{
    [Fact]
    public void Traces_and_messages_that_credit_no_sejour_are_reported_not_dropped_silently()
    {
        var inputs = new IndicatorInputs();
        inputs.Files.Add(new InputFileSummary("t.csv", "traces", 2, 0));
        var v = StayAndDenominatorTests.V("A", "02/10/2023", "05/10/2023");
        inputs.Venues.Add(v);
        inputs.Traces.Add(new DmpTrace { LocalId = "X", Emitted = new DateOnly(2023, 10, 5), TypeCode = "11490-0", Status = "SUCCES", Line = 2 });
        inputs.Traces.Add(new DmpTrace { LocalId = "Y", Emitted = new DateOnly(2023, 10, 5), TypeCode = "11490-0", Status = "SUCCES", Stay = "NOPE", Line = 3 });
        inputs.Traces.Add(new DmpTrace { LocalId = "Z", Emitted = new DateOnly(2023, 10, 5), TypeCode = "11490-0", Status = "SUCCES", Stay = v.Number, Line = 4 });
        inputs.Mss.Add(new MssMessage { Id = "M", Date = new DateOnly(2023, 10, 5), Venue = "NOPE", RecipientType = "ps", Status = "SUCCES", Line = 2 });
        var report = new IndicatorEngine(new ConformanceGate(Shared.Data, null))
            .Compute(new IndicatorRequest("hopen2", 2023, 10), inputs, ProgramDefinition.Load(Shared.Data, "hopen2"));
        report.InputErrors.Where(e => e.File == "t.csv").Select(e => e.Line).ShouldBe([2, 3]);
        report.InputErrors.ShouldContain(e => e.File == "mss" && e.Line == 2);
        report["P1.02-LDL"]!.NaiveNumerator.ShouldBe(1); // Z credits the séjour
    }
}
