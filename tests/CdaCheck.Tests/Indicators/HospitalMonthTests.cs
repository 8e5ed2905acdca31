using CdaCheck.Core.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// The synthetic October 2026 month (testdata/indicators). Every expected figure below was derived
/// by hand from the CSVs and the CDA variants written by HospitalMonth (see the comments), not by
/// running the engine.
/// </summary>
public class HospitalMonthTests(MonthFixture month) : IClassFixture<MonthFixture>
{
    private static void Check(IndicatorResult? r, int num, decimal den, int raw, decimal? rate, int naive, decimal? naiveRate, decimal? target, bool? reached)
    {
        r.ShouldNotBeNull();
        r.Numerator.ShouldBe(num, r.Id + " numerator");
        r.Denominator.ShouldBe(den, r.Id + " denominator");
        r.DenominatorRaw.ShouldBe(raw, r.Id + " denominatorRaw");
        r.Rate.ShouldBe(rate, r.Id + " rate");
        r.NaiveNumerator.ShouldBe(naive, r.Id + " naive numerator");
        r.NaiveRate.ShouldBe(naiveRate, r.Id + " naive rate");
        r.Target.ShouldBe(target, r.Id + " target");
        r.Reached.ShouldBe(reached, r.Id + " reached");
    }

    private static void Rejected(IndicatorResult? r, params (string Doc, string[] Reasons)[] expected)
    {
        r.ShouldNotBeNull();
        r.Rejected.Select(x => x.Document).ShouldBe(expected.Select(e => e.Doc).ToArray(), r.Id + " rejected documents");
        foreach (var (doc, reasons) in expected)
        {
            var rej = r.Rejected.Single(x => x.Document == doc);
            foreach (var reason in reasons)
                rej.Reasons.ShouldContain(reason, $"{r.Id} {doc}");
            rej.Reasons.ShouldNotBeEmpty();
        }
    }

    [Fact]
    public void Hopen2_every_figure_matches_the_hand_computation()
    {
        var report = month.Run("hopen2");
        report.Tier.ShouldBe("other");
        // Closed stays (hospitalisé sortant, exit in October, not urgences seules): V01..V07. Exclusions:
        // V05 non assuré, V06 décédé, V07 INS NIA → V01, V02, V03, V04 remain (4 × 0.93 = 3.72).
        // LDL SUCCES: V01 D01 conformant; V02 D02 test INS; V03 D03 is a CRH; V04 trace ECHEC → 1 (naive 3).
        Check(report["P1.02-LDL"], 1, 3.72m, 4, 26.9m, 3, 80.6m, 55m, false);
        Rejected(report["P1.02-LDL"], ("D02", ["IND-006"]), ("D03", ["IND-002", "IND-003"]));
        report["P1.02-LDL"]!.GapUnits.ShouldBe(2);
        report["P1.02-LDL"]!.GapByReason["IND-006"].ShouldBe(1);
        report["P1.02-LDL"]!.GapByReason["IND-002"].ShouldBe(1);
        // ODS produced (transmitted) in V01 (D17) and V02 (D18): 2 × 0.93 = 1.86; D17 SUCCES conformant → 1/1.86.
        Check(report["P1.02-ODS"], 1, 1.86m, 2, 53.8m, 1, 53.8m, 50m, true);
        // Surgery in V01 and V03: D08 conformant, D09's file is absent → 1/1.86 (naive 2/1.86 = 107.5).
        Check(report["P1.03"], 1, 1.86m, 2, 53.8m, 2, 107.5m, 55m, false);
        Rejected(report["P1.03"], ("D09", ["IND-001"]));
        // ACE consultations V08, V09: D10 (found under --documents-root by id) SUCCES; D11's trace has a bad date.
        Check(report["P1.04"], 1, 1.86m, 2, 53.8m, 1, 53.8m, 50m, true);
        // Biology produced in October: D12, D13 (non-transmission), D14 → 2 × 0.93; both N1 conformant (N1 accepted).
        Check(report["P1.05"], 2, 1.86m, 2, 107.5m, 2, 107.5m, 50m, true);
        // Imaging: D15 (V02), D16 (V05 non assuré, excluded) → 1/0.93.
        Check(report["P1.06"], 1, 0.93m, 1, 107.5m, 1, 107.5m, 45m, true);
        // Patients with a closed stay: P01..P07 (7). PS sends SUCCES: M01 (P01, conformant), M02 (P02, test INS),
        // M06 (P01, not a package); M03 ECHEC → 1 patient (naive 2).
        Check(report["P1.07"], 1, 7m, 7, 14.3m, 2, 28.6m, 50m, false);
        Rejected(report["P1.07"], ("M02", ["IND-006"]), ("M06", []));
        // Messages to patients SUCCES: M04 (P02), M05 (P04) → 2/7.
        Check(report["P1.08"], 2, 7m, 7, 28.6m, 2, 28.6m, 50m, false);
        // Active file (a venue overlapping October): P01..P11 (11); P06 douteuse and P09 fictive out → 9;
        // "disposant d'une INS" (récupérée or qualifiée): P03 validée and P05 provisoire out → 7;
        // qualified: P01, P02, P04, P08, P10, P11 → 6/7 = 85.7 % (P07 récupérée is not qualified).
        Check(report["P1.01"], 6, 7m, 7, 85.7m, 6, 85.7m, 80m, true);
        report.Indicators.Select(i => i.Id).ShouldBe(["P1.01", "P1.02-LDL", "P1.02-ODS", "P1.03", "P1.04", "P1.05", "P1.06", "P1.07", "P1.08"]);
    }

    [Fact]
    public void Hopen2_tier_sun_es_reached_uses_the_higher_targets()
    {
        var report = month.Run("hopen2", tier: "sun-es-reached");
        report["P1.02-LDL"]!.Target.ShouldBe(70m);
        report["P1.02-ODS"]!.Target.ShouldBe(65m);
        report["P1.02-ODS"]!.Reached.ShouldBe(false); // 53.8 < 65
        report["P1.04"]!.Target.ShouldBe(50m);
        report["P1.01"]!.Target.ShouldBe(80m);
    }

    [Fact]
    public void SunEs_every_figure_matches_the_hand_computation()
    {
        var report = month.Run("sun-es", window: "S2-2023");
        // MCO stays closed in October (urgences-only V10 dropped, ACE V08/V09 not discharged): V01..V07 (7).
        // Removals first (guide's steps 1–2): V05 (non assuré: cannot have an INS); DMP column fully known →
        // V04 (non ouvert) leaves the denominator: 5.
        // LDL: V01 ✓, V02 test INS, V03 CRH, V06 no INS, V07 ✓ → 2/5 (naive 5/5).
        Check(report["DS1.1"], 2, 5m, 7, 40.0m, 5, 100.0m, 69m, false);
        Rejected(report["DS1.1"], ("D02", ["IND-006"]), ("D03", ["IND-002", "IND-003"]), ("D06", ["IND-007"]));
        report["DS1.1"]!.DenominatorMode.ShouldBe("dmp-column");
        // National verification formula, over séjours with a DMP (not documents produced): DMP ouvert V01, V02, V03,
        // V05, V06, V07 = 6 (V04 non ouvert; V05's removal is the establishment formula's); credited by a conformant
        // LDL: V01 (D01), V05 (D05), V07 (D07) = 3 → 50.0 % (the former documents formula gave 3/7).
        report["DS1.1"]!.National.ShouldBe(new NationalFormula(3, 6, 50.0m, "sejour"));
        // ODS: stays V01, V02 → D17 ✓ → 1/2; national D17 of D17, D18.
        Check(report["DS1.2"], 1, 2m, 2, 50.0m, 1, 50.0m, 63m, false);
        report["DS1.2"]!.National.ShouldBe(new NationalFormula(1, 2, 50.0m, "sejour")); // V01, V02 with a DMP and an ODS; V01 credited
        // CRO: V01 ✓, V03 file absent → 1/2.
        Check(report["DS1.3"], 1, 2m, 2, 50.0m, 2, 100.0m, 69m, false);
        Rejected(report["DS1.3"], ("D09", ["IND-001"]));
        // History: only P01 had another stay within 5 years (V11, March 2024); D19 (historical LDL of V11)
        // was sent on 03/10 during V01 → 1/1.
        Check(report["DS1.4"], 1, 1m, 1, 100.0m, 1, 100.0m, 50m, true);
        report["DS1.4"]!.National.ShouldBeNull();
        // Biology reports (the unit is the report, over séjours and ACE): D12 (V01), D14 (V03), D13 non-transmission;
        // both N1 → SUN-ES requires N3 + PDF → 0/2.
        Check(report["DS2.1"], 0, 2m, 2, 0.0m, 2, 100.0m, 63m, false);
        Rejected(report["DS2.1"], ("D12", ["IND-005"]), ("D14", ["IND-005"]));
        report["DS2.1"]!.GapByReason["IND-005"].ShouldBe(2);
        report["DS2.1"]!.National.ShouldBe(new NationalFormula(0, 2, 0.0m));
        // Imaging reports: D15 (V02) ✓ and D16 (V05) ✓ → 2/2 (reports produced: no DMP adjustment).
        Check(report["DS3.1"], 2, 2m, 2, 100.0m, 2, 100.0m, 63m, true);
        // Correspondents équipés MSSanté of the October stays: V01→dr.a, V01→dr.d, V02→dr.b = 3 (V03→dr.c is not
        // equipped: out of the denominator); none received a conformant CDA in XDM (M01/M02 are bare CDA files, M06 is not a package).
        Check(report["DS4.1"], 0, 3m, 3, 0.0m, 3, 100.0m, 56m, false);
        Rejected(report["DS4.1"], ("M01", ["IND-010"]), ("M02", ["IND-006", "IND-010"]), ("M06", []));
        // Patient messages, denominator "Nombre de séjours" (no DMP adjustment): M04 on V02 ✓, M05 on V04 ✓ → 2/7.
        Check(report["DS4.2"], 2, 7m, 7, 28.6m, 2, 28.6m, 56m, false);
        report["DS4.3"]!.Status.ShouldBe("declared");
        report["DS4.3"]!.Rate.ShouldBeNull();
        // Domain verdicts: D1 = DS1.1 (40 < 69) and DS1.2 (50 < 63) → not reached; D3 = DS3.1 (100 ≥ 63) → reached.
        var domains = report.Verdicts(report.Definitions.DomainVerdicts).ToDictionary(v => v.Verdict.Id, v => v.Reached);
        domains["D1"].ShouldBe(false);
        domains["D3"].ShouldBe(true);
        // Bonuses (+10 %): CRO needs DS1.3 (50 < 69) → no; historical needs DS1.4 (100 ≥ 50) AND DS1.1 and DS1.2 → no.
        var bonuses = report.Verdicts(report.Definitions.Bonuses).ToDictionary(v => v.Verdict.Id, v => v.Reached);
        bonuses["cro"].ShouldBe(false);
        bonuses["historique"].ShouldBe(false);
        report["DS1.4"]!.Reached.ShouldBe(true);
    }

    [Fact]
    public void SunEs_window_is_taken_from_the_month_when_in_range_and_targets_change_per_window()
    {
        month.Run("sun-es").Window.ShouldBeNull(); // October 2026 is outside S1-2022…S2-2023
        month.Run("sun-es")["DS1.1"]!.Target.ShouldBeNull();
        var s1 = month.Run("sun-es", window: "S1-2022");
        s1["DS1.1"]!.Target.ShouldBe(49m);
        s1["DS1.2"]!.Target.ShouldBe(40m);
        s1["DS4.1"]!.Target.ShouldBeNull(); // DS4.x targets start in S2 2022
        s1["DS1.1"]!.Reached.ShouldBe(false); // 40.0 < 49
        s1["DS1.4"]!.Target.ShouldBeNull(); // the guide has "/" for S1 2022
        month.Run("sun-es", window: "S2-2022")["DS4.2"]!.Target.ShouldBe(42m);
        month.Run("sun-es", window: "S1-2023")["DS2.1"]!.Target.ShouldBe(59m);
    }

    [Fact]
    public void Bad_rows_are_reported_with_file_and_line_and_counted()
    {
        var report = month.Run("hopen2");
        var e = report.InputErrors.ShouldHaveSingleItem();
        e.File.ShouldBe("traces.csv");
        e.Line.ShouldBe(12);
        e.Message.ShouldContain("Date émission");
        report.Inputs.Single(f => f.Role == "traces").ShouldBe(new InputFileSummary("traces.csv", "traces", 17, 1));
        report.Inputs.Single(f => f.Role == "venues").Rows.ShouldBe(13);
    }

    [Fact]
    public void Each_referenced_file_is_validated_once()
    {
        var gate = new ConformanceGate(Shared.Data, month.Root);
        month.Run("hopen2", gate: gate);
        // Files credited by a SUCCES trace that exist: D01 D02 D03 D05 D06 D07 D08 D10 D12 D14 D15 D16 D17 D19 (14;
        // D04's trace is ECHEC, D09 is absent) + the MSS attachments M01 M02 M03 M06 (4), each once for all indicators.
        gate.Validations.ShouldBe(18);
        month.Run("sun-es", gate: gate);
        // SUN-ES adds the historical validation of D19 (no DataMatrix required) only.
        gate.Validations.ShouldBe(19);
    }

    [Fact]
    public void Detail_rows_name_every_unit_with_its_exclusion()
    {
        var report = month.Run("hopen2");
        var ldl = report["P1.02-LDL"]!;
        ldl.Units.Select(u => u.UnitId).ShouldBe(["V01", "V02", "V03", "V04", "V05", "V06", "V07"]);
        ldl.Units.Single(u => u.UnitId == "V05").Exclusion.ShouldBe("patient non assuré social");
        ldl.Units.Single(u => u.UnitId == "V06").Exclusion.ShouldBe("patient décédé");
        ldl.Units.Single(u => u.UnitId == "V07").Exclusion.ShouldBe("INS de type NIA");
        report["P1.05"]!.Units.Single(u => u.UnitId == "D13").Exclusion.ShouldBe("non-transmission");
    }
}
