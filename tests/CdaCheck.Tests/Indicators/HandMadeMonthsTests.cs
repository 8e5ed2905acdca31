using System.Text;
using System.Text.Json;
using CdaCheck.TestData.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// Four more hand-made months, computed by hand from the guides' definitions (derivations in the comments), read
/// through the command line with the regional workbook's own headers: séjours by activity (dialysis per 4-month
/// period and legal entity, chemotherapy ≥ 3 séances in &lt; 3 months, HAD ≥ 8 days, PSY several venues), the 93 %
/// worked examples with per-domain tiers from an .xlsx workbook, unusable inputs stopping the run, and the SUN-ES DMP
/// estimate (100 − 10 − 7 = 83) with the national formula over séjours with a DMP.
/// </summary>
public sealed partial class HandMadeMonthsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdacheck-handmade").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private const string VenueHeader = "IPP Patient;N° de venue;UF;Date Entrée;Date Sortie;Hospitalisé sortant ?;Au moins un acte chirurgical ?;Consultation sur le mois (avec ACE);Activité;FINESS juridique;Mineur";
    private const string DocumentHeader = "IPP Patient;N° de venue;Date production du document;Identifiant du document;Type de document (code LOINC);Fichier;Non transmission;Document historique";
    private const string TraceHeader = "Identifiant du document;Date d'émission;Type de document (code LOINC);IPP Patient;Statut DMP;N° de venue";
    private const string Ldl = "11490-0", Ods = "57833-6";

    private string P(string name) => Path.Combine(_dir, name);

    private string Write(string name, IEnumerable<string> lines)
    {
        File.WriteAllText(P(name), string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return P(name);
    }

    /// <summary>A conformant CDA (production INS, N1 with its PDF) written under cda/; returns the relative path for the Fichier column.</summary>
    private string Cda(string id, string ipp, string code, DateTime date, bool testIns = false)
    {
        Directory.CreateDirectory(P("cda"));
        var spec = HospitalMonth.Spec(id, ipp, code, date);
        if (testIns) spec = spec with { InsOid = IndicatorCda.InsNirTestOid };
        File.WriteAllText(P("cda/" + id + ".xml"), IndicatorCda.Build(spec), new UTF8Encoding(false));
        return "cda/" + id + ".xml";
    }

    private static JsonElement Indicator(string json, string id) =>
        JsonDocument.Parse(json).RootElement.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == id);

    // ------------------------------------------------------------------ month 1: séjours by activity

    // April 2025, a dialysis and oncology clinic (HOP'EN 2 and SUN-ES use the same séjours). By hand:
    //  P41 dialyse A1 02/01, A2 10/02, A3 20/03, A4 15/04, all EJ1: one 4-month period from 02/01 (until 02/05) with
    //      4 séances ≥ 3, in one legal entity → 1 séjour ending 15/04 (April)              → 1
    //  P42 dialyse B1 03/04 EJ1, B2 10/04 EJ1, B3 17/04 EJ2: no legal entity has 3 séances → 0
    //  P43 dialyse C1..C4 05, 12, 19, 26/04 EJ2 → 1 séjour ending 26/04                    → 1
    //  P44 chimio K1 01/02, K2 01/03, K3 15/04: 3 séances, the third before 01/05 (< 3 months) → 1
    //  P45 chimio 10/04, 20/04: 2 séances                                                   → 0
    //  P46 HAD adult 01/04–09/04 = 8 days → 1; P47 HAD adult 01/04–08/04 = 7 days → 0; P48 HAD minor 20 days → 0
    //  P49 PSY W1 01/04–05/04, W2 06/04–15/04 (next day): several venues, one séjour      → 1
    //  P50 PSY X1 01/03–10/03 then X2 20/04–25/04: not chained; only X2 ends in April      → 1
    //  P51 MCO 08/04–10/04 discharged → 1; P52 MCO entered 28/04, not discharged          → 0
    // Séjours clôturés in April: 7 (one per discharged venue would give 20). Patients: 7.
    // Conformant LDL sent for P49 (trace on W2) and P41 (trace on the séance A4) → 2.
    // HOP'EN 2 P1.02-LDL: 2 / (7 × 0.93 = 6.51) = 30.7 %; SUN-ES DS1.1 (no DMP column: every séjour): 2 / 7 = 28.6 %.
    [Fact]
    public void Month_1_sejours_by_activity_dialysis_chemotherapy_HAD_and_psychiatry()
    {
        string[] venues =
        [
            VenueHeader,
            "P41;A1;DIA;02/01/2025;02/01/2025;oui;non;non;Dialyse;EJ1;non", "P41;A2;DIA;10/02/2025;10/02/2025;oui;non;non;Dialyse;EJ1;non",
            "P41;A3;DIA;20/03/2025;20/03/2025;oui;non;non;Dialyse;EJ1;non", "P41;A4;DIA;15/04/2025;15/04/2025;oui;non;non;Dialyse;EJ1;non",
            "P42;B1;DIA;03/04/2025;03/04/2025;oui;non;non;Hémodialyse;EJ1;non", "P42;B2;DIA;10/04/2025;10/04/2025;oui;non;non;Hémodialyse;EJ1;non",
            "P42;B3;DIA;17/04/2025;17/04/2025;oui;non;non;Hémodialyse;EJ2;non",
            "P43;C1;DIA;05/04/2025;05/04/2025;oui;non;non;Dialyse;EJ2;non", "P43;C2;DIA;12/04/2025;12/04/2025;oui;non;non;Dialyse;EJ2;non",
            "P43;C3;DIA;19/04/2025;19/04/2025;oui;non;non;Dialyse;EJ2;non", "P43;C4;DIA;26/04/2025;26/04/2025;oui;non;non;Dialyse;EJ2;non",
            "P44;K1;ONC;01/02/2025;01/02/2025;oui;non;non;Chimiothérapie;EJ1;non", "P44;K2;ONC;01/03/2025;01/03/2025;oui;non;non;Chimiothérapie;EJ1;non",
            "P44;K3;ONC;15/04/2025;15/04/2025;oui;non;non;Chimiothérapie;EJ1;non",
            "P45;L1;ONC;10/04/2025;10/04/2025;oui;non;non;Chimio;EJ1;non", "P45;L2;ONC;20/04/2025;20/04/2025;oui;non;non;Chimio;EJ1;non",
            "P46;H1;HAD;01/04/2025;09/04/2025;oui;non;non;HAD;EJ1;non",
            "P47;H2;HAD;01/04/2025;08/04/2025;oui;non;non;HAD;EJ1;non",
            "P48;H3;HAD;01/04/2025;21/04/2025;oui;non;non;HAD;EJ1;oui",
            "P49;W1;PSY;01/04/2025;05/04/2025;oui;non;non;Psychiatrie;EJ1;non", "P49;W2;PSY;06/04/2025;15/04/2025;oui;non;non;Psychiatrie;EJ1;non",
            "P50;X1;PSY;01/03/2025;10/03/2025;oui;non;non;PSY;EJ1;non", "P50;X2;PSY;20/04/2025;25/04/2025;oui;non;non;PSY;EJ1;non",
            "P51;M1;MED;08/04/2025;10/04/2025;oui;non;non;MCO;EJ1;non",
            "P52;M2;MED;28/04/2025;;non;non;non;MCO;EJ1;non",
        ];
        var v = Write("m1-venues.csv", venues);
        var d = Write("m1-documents.csv", [DocumentHeader,
            $"P49;W2;15/04/2025;L49;{Ldl};{Cda("L49", "P49", Ldl, new DateTime(2025, 4, 15))};non;non",
            $"P41;A4;15/04/2025;L41;{Ldl};{Cda("L41", "P41", Ldl, new DateTime(2025, 4, 15))};non;non"]);
        var t = Write("m1-traces.csv", [TraceHeader, $"L49;16/04/2025;{Ldl};P49;SUCCES;W2", $"L41;16/04/2025;{Ldl};P41;SUCCES;A4"]);

        var hop = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2025-04", "--venues", v, "--documents", d, "--traces", t, "--format", "json");
        hop.ExitCode.ShouldBe(0, hop.Stderr);
        var ldl = Indicator(hop.Stdout, "P1.02-LDL");
        ldl.GetProperty("denominatorRaw").GetInt32().ShouldBe(7);
        ldl.GetProperty("denominator").GetDecimal().ShouldBe(6.51m);
        ldl.GetProperty("numerator").GetInt32().ShouldBe(2, hop.Stdout);
        ldl.GetProperty("rate").GetDecimal().ShouldBe(30.7m);
        Indicator(hop.Stdout, "P1.07").GetProperty("denominatorRaw").GetInt32().ShouldBe(7);

        var sun = CliRunner.Invoke("indicators", "--program", "sun-es", "--month", "2025-04", "--venues", v, "--documents", d, "--traces", t, "--format", "json");
        sun.ExitCode.ShouldBe(0, sun.Stderr);
        var ds11 = Indicator(sun.Stdout, "DS1.1");
        ds11.GetProperty("denominatorRaw").GetInt32().ShouldBe(7);
        ds11.GetProperty("denominatorMode").GetString().ShouldBe("all-stays");
        ds11.GetProperty("rate").GetDecimal().ShouldBe(28.6m);

        // the séjours themselves (the engine's detail): one per period, series, chain
        var inputs = CdaCheck.Core.Indicators.InputReader.Read(new CdaCheck.Core.Indicators.InputPaths(v, d, t, null, null),
            new CdaCheck.Core.Indicators.InputOptions { Aliases = CdaCheck.Core.Indicators.ColumnAliases.Load(Shared.Data), Data = Shared.Data });
        var report = new CdaCheck.Core.Indicators.IndicatorEngine(new CdaCheck.Core.Indicators.ConformanceGate(Shared.Data, null))
            .Compute(new CdaCheck.Core.Indicators.IndicatorRequest("hopen2", 2025, 4), inputs, CdaCheck.Core.Indicators.ProgramDefinition.Load(Shared.Data, "hopen2"));
        report["P1.02-LDL"]!.Units.Select(u => u.UnitId).Order(StringComparer.Ordinal)
            .ShouldBe(["A1+A2+A3+A4", "C1+C2+C3+C4", "H1", "K1+K2+K3", "M1", "W1+W2", "X2"]);
    }

    // ------------------------------------------------------------------ month 2: workbook, 93 %, per-domain tiers

    // May 2025, one .xlsx workbook (sheets "Séjours", "Documents produits", "Traces DMP"). By hand:
    //  10 MCO séjours P61..P70 closed in May → P1.02-LDL denominator 10 × 0.93 = 9.3; conformant LDL for P61..P66 →
    //  6 / 9.3 = 64.5 % (the guide's example). ODS produced for P61..P64 → 4 × 0.93 = 3.72; conformant ODS for P61,
    //  P62 → 2 / 3.72 = 53.8 % (the guide's example).
    //  --sun-es-reached D2,D3: D1 not reached → LDL target 55 (reached: 64.5 ≥ 55), ODS 50 (reached: 53.8 ≥ 50);
    //  D2 → P1.05 target 65, D3 → P1.06 60, D4 not → P1.07 50; P1.01 80 (one target).
    //  --sun-es-reached D1: LDL 70 (not reached), ODS 65 (not reached).
    [Fact]
    public void Month_2_an_xlsx_workbook_gives_the_guides_93_percent_examples_and_per_domain_targets()
    {
        var venues = new List<string> { VenueHeader };
        var docs = new List<string> { DocumentHeader };
        var traces = new List<string> { TraceHeader };
        for (int i = 61; i <= 70; i++) venues.Add($"P{i};S{i};MED;05/05/2025;{i - 50:00}/05/2025;oui;non;non;MCO;EJ1;non");
        for (int i = 61; i <= 66; i++)
        {
            docs.Add($"P{i};S{i};15/05/2025;LDL{i};{Ldl};{Cda("LDL" + i, "P" + i, Ldl, new DateTime(2025, 5, 15))};non;non");
            traces.Add($"LDL{i};16/05/2025;{Ldl};P{i};SUCCES;S{i}");
        }
        for (int i = 61; i <= 64; i++)
            docs.Add($"P{i};S{i};15/05/2025;ODS{i};{Ods};{(i <= 62 ? Cda("ODS" + i, "P" + i, Ods, new DateTime(2025, 5, 15)) : "")};non;non");
        traces.Add($"ODS61;16/05/2025;{Ods};P61;SUCCES;S61");
        traces.Add($"ODS62;16/05/2025;{Ods};P62;SUCCES;S62");
        var book = P("comptage-mai.xlsx");
        RealInputsTests.WriteWorkbook(book, false, ("Séjours", [.. venues]), ("Documents produits", [.. docs]), ("Traces DMP", [.. traces]));

        string[] Args(string reached) => ["indicators", "--program", "hopen2", "--month", "2025-05", "--workbook", book, "--documents-root", _dir, "--sun-es-reached", reached, "--format", "json"];
        var run = CliRunner.Invoke(Args("D2,D3"));
        run.ExitCode.ShouldBe(0, run.Stderr);
        var ldl = Indicator(run.Stdout, "P1.02-LDL");
        (ldl.GetProperty("numerator").GetInt32(), ldl.GetProperty("denominator").GetDecimal(), ldl.GetProperty("rate").GetDecimal()).ShouldBe((6, 9.3m, 64.5m));
        (ldl.GetProperty("target").GetDecimal(), ldl.GetProperty("reached").GetBoolean()).ShouldBe((55m, true));
        var ods = Indicator(run.Stdout, "P1.02-ODS");
        (ods.GetProperty("numerator").GetInt32(), ods.GetProperty("denominator").GetDecimal(), ods.GetProperty("rate").GetDecimal()).ShouldBe((2, 3.72m, 53.8m));
        (ods.GetProperty("target").GetDecimal(), ods.GetProperty("reached").GetBoolean()).ShouldBe((50m, true));
        Indicator(run.Stdout, "P1.05").GetProperty("target").GetDecimal().ShouldBe(65m);
        Indicator(run.Stdout, "P1.06").GetProperty("target").GetDecimal().ShouldBe(60m);
        Indicator(run.Stdout, "P1.07").GetProperty("target").GetDecimal().ShouldBe(50m);
        Indicator(run.Stdout, "P1.01").GetProperty("target").GetDecimal().ShouldBe(80m);

        var d1 = CliRunner.Invoke(Args("D1"));
        (Indicator(d1.Stdout, "P1.02-LDL").GetProperty("target").GetDecimal(), Indicator(d1.Stdout, "P1.02-LDL").GetProperty("reached").GetBoolean()).ShouldBe((70m, false));
        (Indicator(d1.Stdout, "P1.02-ODS").GetProperty("target").GetDecimal(), Indicator(d1.Stdout, "P1.02-ODS").GetProperty("reached").GetBoolean()).ShouldBe((65m, false));
    }

    // ------------------------------------------------------------------ month 3: unusable inputs

    // June 2025: a workbook whose "Séjours" sheet has no "Date Sortie" column, traces whose every row lacks the
    // document id, a documents sheet with its header only: each stops the run with exit 2 naming the file and the
    // column, nothing on stdout; the same workbook with a mapping file naming the column is computed.
    [Fact]
    public void Month_3_unusable_inputs_stop_the_run_naming_file_and_column()
    {
        const string noExitHeader = "IPP Patient;N° de venue;UF;Date Entrée;Fin;Hospitalisé sortant ?;Au moins un acte chirurgical ?;Consultation sur le mois (avec ACE)";
        var book = P("juin.xlsx");
        RealInputsTests.WriteWorkbook(book, false,
            ("Séjours", [noExitHeader, "P81;S81;MED;02/06/2025;05/06/2025;oui;non;non"]),
            ("Documents produits", [DocumentHeader, "P81;S81;05/06/2025;D81;11490-0;;non;non"]),
            ("Traces DMP", [TraceHeader, "D81;06/06/2025;11490-0;P81;SUCCES;S81"]));
        string[] Args(params string[] more) => ["indicators", "--program", "hopen2", "--month", "2025-06", "--workbook", book, "--format", "json", .. more];
        var run = CliRunner.Invoke(Args());
        run.ExitCode.ShouldBe(2);
        run.Stderr.ShouldContain("juin.xlsx");
        run.Stderr.ShouldContain("Date sortie");
        run.Stdout.ShouldBeEmpty();

        var mapping = Write("colonnes.txt", ["# la sortie s'appelle « Fin » dans notre export", "venues.Date sortie=Fin"]);
        var mapped = CliRunner.Invoke(Args("--columns", mapping));
        mapped.ExitCode.ShouldBe(0, mapped.Stderr);
        Indicator(mapped.Stdout, "P1.02-LDL").GetProperty("denominatorRaw").GetInt32().ShouldBe(1);

        var noId = Write("traces-sans-id.csv", [TraceHeader, ";06/06/2025;11490-0;P81;SUCCES;S81", ";07/06/2025;11490-0;P81;SUCCES;S81"]);
        var run2 = CliRunner.Invoke(Args("--columns", mapping, "--traces", noId));
        run2.ExitCode.ShouldBe(2);
        run2.Stderr.ShouldContain("traces-sans-id.csv");
        run2.Stderr.ShouldContain("no usable row");
        run2.Stderr.ShouldContain("Id local document");

        var empty = Write("documents-vides.csv", [DocumentHeader]);
        var run3 = CliRunner.Invoke(Args("--columns", mapping, "--documents", empty));
        run3.ExitCode.ShouldBe(2);
        run3.Stderr.ShouldContain("documents-vides.csv");
        run3.Stdout.ShouldBeEmpty();
    }

    // ------------------------------------------------------------------ month 4: SUN-ES DMP estimate and national formula

    // October 2023, window F4 (S2-2023), venues with "Statut DMP", "INS qualifiée ?", "Opposition", "Patient non
    // assuré". By hand (the guide's four steps):
    //  (1) 105 séjours of the domain: Q0..Q59 qualified, N0..N39 not qualified, O0..O2 oppositions, X0, X1 non assurés;
    //  (2) minus the prescribed removals: 2 non assurés, 3 oppositions → 100;
    //  (3) minus the qualified séjours without DMP: Q0..Q8 "non ouvert" and Q9 whose DMP trace says ERREUR_DMP_CLOS → 10 → 90;
    //  (4) minus the not-qualified in the same proportion, rounded: 40 × 10/60 = 6.67 → 7 → 83 (estimate 83.33).
    //  DS1.1: conformant LDL for Q10 and Q11 → 2 / 83 = 2.4 %.
    //  National verification formula, over séjours with a DMP: DMP ouvert Q10..Q59 = 50 (Q9 closed) → 2 / 50 = 4.0 %.
    //  DS1.2: Q10's three ODS sent in one lot (two conformant, one with a test INS): the séjour counts once →
    //  establishment 1/1, national 1 séjour / 1 séjour with a DMP (by documents it would have been 2/3).
    [Fact]
    public void Month_4_sun_es_DMP_estimate_100_minus_10_minus_7_and_the_national_formula_over_sejours_with_a_DMP()
    {
        const string header = "IPP Patient;N° de venue;UF;Date Entrée;Date Sortie;Hospitalisé sortant ?;Au moins un acte chirurgical ?;Consultation sur le mois (avec ACE);Statut DMP;INS qualifiée ?;Opposition;Patient non assuré";
        var venues = new List<string> { header };
        void Venue(string ipp, string dmp, string ins, string opp = "non", string na = "non") =>
            venues.Add($"{ipp};S{ipp};MED;02/10/2023;06/10/2023;oui;non;non;{dmp};{ins};{opp};{na}");
        for (int i = 0; i < 9; i++) Venue("Q" + i, "non ouvert", "oui");
        Venue("Q9", "ouvert", "oui");
        for (int i = 10; i < 60; i++) Venue("Q" + i, "ouvert", "oui");
        for (int i = 0; i < 40; i++) Venue("N" + i, "inconnu", "non");
        for (int i = 0; i < 3; i++) Venue("O" + i, "inconnu", "non", opp: "oui");
        for (int i = 0; i < 2; i++) Venue("X" + i, "inconnu", "non", na: "oui");
        var day = new DateTime(2023, 10, 6);
        var docs = new List<string>
        {
            DocumentHeader,
            $"Q10;SQ10;06/10/2023;L10;{Ldl};{Cda("L10", "Q10", Ldl, day)};non;non",
            $"Q11;SQ11;06/10/2023;L11;{Ldl};{Cda("L11", "Q11", Ldl, day)};non;non",
            $"Q10;SQ10;06/10/2023;O10A;{Ods};{Cda("O10A", "Q10", Ods, day)};non;non",
            $"Q10;SQ10;06/10/2023;O10B;{Ods};{Cda("O10B", "Q10", Ods, day)};non;non",
            $"Q10;SQ10;06/10/2023;O10C;{Ods};{Cda("O10C", "Q10", Ods, day, testIns: true)};non;non",
        };
        string[] traces =
        [
            TraceHeader, $"L10;07/10/2023;{Ldl};Q10;SUCCES;SQ10", $"L11;07/10/2023;{Ldl};Q11;SUCCES;SQ11",
            $"O10A;07/10/2023;{Ods};Q10;SUCCES;SQ10", $"O10B;07/10/2023;{Ods};Q10;SUCCES;SQ10", $"O10C;07/10/2023;{Ods};Q10;SUCCES;SQ10",
            $"E9;07/10/2023;{Ldl};Q9;ERREUR_DMP_CLOS;SQ9",
        ];
        // DS4.2 "Nombre de séjours" (no DMP adjustment: 105): messages to patients — Q12 without attachment counts, Q13's
        // attached LDL has a test INS (an attached document must carry a qualified INS: not counted), Q14's is conformant → 2/105 = 1.9 %
        string[] mss =
        [
            "Id message;Date;IPP;N° venue;Destinataire;Type destinataire;Correspondant équipé MSS;Pièce jointe;Statut",
            "MP12;07/10/2023;Q12;SQ12;q12@patient.mssante.fr;patient;non;;SUCCES",
            $"MP13;07/10/2023;Q13;SQ13;q13@patient.mssante.fr;patient;non;{Cda("A13", "Q13", Ldl, day, testIns: true)};SUCCES",
            $"MP14;07/10/2023;Q14;SQ14;q14@patient.mssante.fr;patient;non;{Cda("A14", "Q14", Ldl, day)};SUCCES",
        ];
        var run = CliRunner.Invoke("indicators", "--program", "sun-es", "--month", "2023-10", "--window", "F4",
            "--venues", Write("m4-venues.csv", venues), "--documents", Write("m4-documents.csv", docs), "--traces", Write("m4-traces.csv", traces),
            "--mss", Write("m4-mss.csv", mss), "--format", "json");
        run.ExitCode.ShouldBe(0, run.Stderr);
        var ds11 = Indicator(run.Stdout, "DS1.1");
        ds11.GetProperty("denominatorRaw").GetInt32().ShouldBe(105);
        ds11.GetProperty("denominatorMode").GetString().ShouldBe("estimate");
        ds11.GetProperty("denominatorEstimate").GetDecimal().ShouldBe(83.33m);
        ds11.GetProperty("denominator").GetDecimal().ShouldBe(83m);
        ds11.GetProperty("numerator").GetInt32().ShouldBe(2);
        ds11.GetProperty("rate").GetDecimal().ShouldBe(2.4m);
        var national = ds11.GetProperty("national");
        (national.GetProperty("numerator").GetInt32(), national.GetProperty("denominator").GetInt32(), national.GetProperty("rate").GetDecimal(), national.GetProperty("unit").GetString())
            .ShouldBe((2, 50, 4.0m, "sejour"));
        var ds12 = Indicator(run.Stdout, "DS1.2");
        (ds12.GetProperty("numerator").GetInt32(), ds12.GetProperty("denominator").GetDecimal()).ShouldBe((1, 1m));
        var n12 = ds12.GetProperty("national");
        (n12.GetProperty("numerator").GetInt32(), n12.GetProperty("denominator").GetInt32(), n12.GetProperty("unit").GetString()).ShouldBe((1, 1, "sejour"));
        ds12.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("document").GetString()).ShouldBe(["O10C"]);
        var ds42 = Indicator(run.Stdout, "DS4.2");
        (ds42.GetProperty("numerator").GetInt32(), ds42.GetProperty("denominator").GetDecimal(), ds42.GetProperty("rate").GetDecimal()).ShouldBe((2, 105m, 1.9m));
        ds42.GetProperty("rejected").EnumerateArray().Single().GetProperty("reasons").EnumerateArray().Select(x => x.GetString()).ShouldContain("IND-006");
    }
}
