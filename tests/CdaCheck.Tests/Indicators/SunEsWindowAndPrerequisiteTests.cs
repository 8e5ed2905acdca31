using System.Text.Json;
using CdaCheck.Core.Indicators;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// SUN-ES: the window applied for (F1 extended to the end of September 2022, F2 deadline the end of December 2022),
/// the forfait degression table, the prerequisites checklist and the automatic PS4.1 check from the test message.
/// </summary>
public sealed class SunEsWindowAndPrerequisiteTests(MonthFixture month) : IClassFixture<MonthFixture>, IDisposable
{
    private const string TestAddress = "test.ps41@ans.mssante.fr";
    private readonly string _dir = Directory.CreateTempSubdirectory("cdacheck-ps41").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Eml(string name, Action<EmlBuilder>? change = null)
    {
        var b = EmlBuilder.ForSample(Shared.Data).SetHeader("To", "Test PS4.1 <" + TestAddress + ">");
        change?.Invoke(b);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, b.Build());
        return path;
    }

    private string[] Args(string monthArg, params string[] more) => Format("json", monthArg, more);

    private string[] Format(string format, string monthArg, params string[] more) =>
    [
        "indicators", "--program", "sun-es", "--month", monthArg,
        "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"),
        "--mss", month.P("mss.csv"), "--documents-root", month.Root, "--format", format, .. more,
    ];

    private IndicatorReport Engine(int year, int mon, string? window, string? eml = null, string? to = null, ProgramDefinition? defs = null) =>
        new IndicatorEngine(new ConformanceGate(Shared.Data, month.Root))
            .Compute(new IndicatorRequest("sun-es", year, mon) { Window = window, Ps41Eml = eml, Ps41To = to }, month.Inputs(), defs ?? ProgramDefinition.Load(Shared.Data, "sun-es"));

    [Fact]
    public void The_window_applied_for_decides_targets_and_months_F1_extended_to_September_2022()
    {
        // August 2022 under F1 (applied for, extended to September): S1-2022 targets (LDL 49, DS4.x none)
        var f1 = Engine(2022, 8, "F1");
        f1.Window.ShouldBe("S1-2022");
        f1.WindowApplied.ShouldBeTrue();
        f1.WindowInfo!.Deadline.ShouldBe("2022-09");
        f1["DS1.1"]!.Target.ShouldBe(49m);
        f1["DS4.2"]!.Target.ShouldBeNull();
        // the same month without --window is the calendar semester: F2 (S2-2022), LDL 59, DS4.2 42
        var deduced = Engine(2022, 8, null);
        deduced.Window.ShouldBe("S2-2022");
        deduced.WindowApplied.ShouldBeFalse();
        deduced["DS1.1"]!.Target.ShouldBe(59m);
        deduced["DS4.2"]!.Target.ShouldBe(42m);

        // the CLI: F1 counts up to 2022-09; 2022-10 is outside (exit 2 naming the window and its deadline)
        var ok = CliRunner.Invoke(Args("2022-09", "--window", "F1"));
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        var root = JsonDocument.Parse(ok.Stdout).RootElement;
        root.GetProperty("window").GetString().ShouldBe("S1-2022");
        var wd = root.GetProperty("windowDetail");
        wd.GetProperty("name").GetString().ShouldBe("F1");
        wd.GetProperty("deadline").GetString().ShouldBe("2022-09");
        wd.GetProperty("applied").GetBoolean().ShouldBeTrue();
        wd.GetProperty("monthInWindow").GetBoolean().ShouldBeTrue();
        var late = CliRunner.Invoke(Args("2022-10", "--window", "F1"));
        late.ExitCode.ShouldBe(2);
        late.Stderr.ShouldContain("F1 S1-2022");
        late.Stderr.ShouldContain("2022-09");
        // F2: deadline end of December 2022; January 2023 is F3's
        CliRunner.Invoke(Args("2022-12", "--window", "S2-2022")).ExitCode.ShouldBe(0);
        CliRunner.Invoke(Args("2023-01", "--window", "F2")).ExitCode.ShouldBe(2);
        CliRunner.Invoke(Args("2023-01", "--window", "F2", "--allow-any-month")).ExitCode.ShouldBe(0);
        CliRunner.Invoke(Args("2023-01", "--window", "F9")).ExitCode.ShouldBe(2);
        // the text report says which window and its deadline
        var text = CliRunner.Invoke(Format("text", "2022-09", "--window", "F1"));
        text.Stdout.ShouldContain("Window applied for: F1 (S1-2022), months 2022-01 to 2022-09");
    }

    [Fact]
    public void The_forfait_follows_the_window_percent_of_the_degression_table_and_the_bonuses()
    {
        // shipped table: percents not known → a reached domain's share is null, a domain not reached earns 0
        // (the fixture month, October 2026, counted against F4's targets)
        var shipped = Engine(2026, 10, "S2-2023").Forfaits().ToDictionary(f => f.Domain);
        shipped["D1"].Reached.ShouldBe(false);
        shipped["D1"].EarnedPercent.ShouldBe(0m);
        shipped["D3"].Reached.ShouldBe(true);     // DS3.1 100 % ≥ 63
        shipped["D3"].WindowPercent.ShouldBeNull();
        shipped["D3"].EarnedPercent.ShouldBeNull();

        // a table filled in by an administrator (copy of schemas/ read with --schemas): F4 = 60 % of the forfait
        var dir = Path.Combine(_dir, "schemas");
        CopyDir(TestPaths.Schemas, dir);
        var file = Path.Combine(dir, "indicators", "sun-es.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"S2-2023\": null}", "\"S2-2023\": 60}", StringComparison.Ordinal));
        var defs = ProgramDefinition.Load(CdaCheck.Core.Reference.ReferenceData.Load(dir), "sun-es");
        defs.ForfaitPercent["S2-2023"].ShouldBe(60m);
        var f = Engine(2026, 10, "S2-2023", defs: defs).Forfaits().ToDictionary(x => x.Domain);
        f["D3"].EarnedPercent.ShouldBe(60m);
        f["D1"].EarnedPercent.ShouldBe(0m);
        // a reached D1 with the CRO bonus would earn 60 × 1.10 = 66: checked on the formula with a hand-made report
        var r = new IndicatorReport { Request = new IndicatorRequest("sun-es", 2023, 10), Definitions = defs, Window = "S2-2023" };
        foreach (var id in new[] { "DS1.1", "DS1.2", "DS1.3" })
            r.Indicators.Add(new IndicatorResult { Definition = defs.Indicators.Single(i => i.Id == id), Reached = true });
        r.Indicators.Add(new IndicatorResult { Definition = defs.Indicators.Single(i => i.Id == "DS1.4"), Reached = false });
        var d1 = r.Forfaits().Single(x => x.Domain == "D1");
        d1.BonusPercent.ShouldBe(10m);
        d1.EarnedPercent.ShouldBe(66m);
    }

    private static void CopyDir(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, d)));
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)));
    }

    [Fact]
    public void The_prerequisites_checklist_lists_PS1_1_to_PS4_1_with_their_window_rules()
    {
        var r = Engine(2022, 5, "F1");
        r.Prerequisites.Select(p => p.Definition.Id).ShouldBe(["PS1.1", "PS1.2", "PS1.3", "PS2.1", "PS2.2", "PS3.1", "PS4.1"]);
        r.Prerequisites.Where(p => p.Definition.Id != "PS4.1").ShouldAllBe(p => p.Status == "declarative" && p.RequiredInWindow == true);
        var ps41 = r.Prerequisites.Single(p => p.Definition.Id == "PS4.1");
        ps41.Status.ShouldBe("not-checked");
        ps41.RequiredInWindow.ShouldBe(false); // MSSanté from F2 (S2-2022), like the DS4.x targets
        Engine(2022, 11, "F2").Prerequisites.Single(p => p.Definition.Id == "PS4.1").RequiredInWindow.ShouldBe(true);
    }

    [Fact]
    public void PS4_1_passes_for_a_test_message_to_the_test_address_with_the_XDM_package_and_the_PDF()
    {
        var good = Eml("ps41-good.eml");
        var ps41 = Engine(2023, 3, "F3", good, TestAddress).Prerequisites.Single(p => p.Definition.Id == "PS4.1");
        ps41.Status.ShouldBe("passed", string.Join("\n", ps41.Messages));
        ps41.Reasons.ShouldBeEmpty();

        // without --ps41-to: any MSSanté domain is accepted, and the report says so
        var any = Engine(2023, 3, "F3", good).Prerequisites.Single(p => p.Definition.Id == "PS4.1");
        any.Status.ShouldBe("passed");
        any.Note.ShouldNotBeNull();

        // the CLI: verdict and reasons in the JSON and text reports
        var run = CliRunner.Invoke(Args("2023-03", "--window", "F3", "--ps41-eml", good, "--ps41-to", TestAddress));
        run.ExitCode.ShouldBe(0, run.Stderr);
        var p = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("prerequisites").EnumerateArray().Single(x => x.GetProperty("id").GetString() == "PS4.1");
        p.GetProperty("status").GetString().ShouldBe("passed");
        p.GetProperty("check").GetString().ShouldBe("automatic");
        p.GetProperty("requiredInWindow").GetBoolean().ShouldBeTrue();
        new MiniJsonSchema(JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Schemas, "indicators.schema.json"))).RootElement)
            .Validate(JsonDocument.Parse(run.Stdout).RootElement).ShouldBeEmpty();
        CliRunner.Invoke(["indicators", "--program", "hopen2", "--month", "2025-03", "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"),
            "--traces", month.P("traces.csv"), "--ps41-eml", good]).ExitCode.ShouldBe(2);
    }

    [Fact]
    public void PS4_1_fails_with_its_reasons_for_another_recipient_no_PDF_no_package_or_not_a_message()
    {
        string[] Reasons(string eml) => [.. Engine(2023, 3, "F3", eml, TestAddress).Prerequisites.Single(p => p.Definition.Id == "PS4.1").Reasons];
        // sent to a correspondent, not to the test address
        Reasons(Eml("other.eml", b => b.SetHeader("To", "dr.medecin@medecin.mssante.fr"))).ShouldContain("IND-015");
        // no PDF beside the package
        Reasons(Eml("nopdf.eml", b => b.PdfName = null)).ShouldContain("IND-016");
        // no IHE_XDM.ZIP: no package, no CDA
        var noZip = Reasons(Eml("nozip.eml", b => b.IncludeZip = false));
        noZip.ShouldContain("IND-010");
        noZip.ShouldContain("IND-011");
        // a CDA file given instead of a message
        var cda = Path.Combine(_dir, "doc.xml");
        File.WriteAllBytes(cda, SampleCda.Bytes());
        Reasons(cda).ShouldBe(["IND-014"]);
        // a missing file
        Reasons(Path.Combine(_dir, "absent.eml")).ShouldBe(["IND-001"]);

        var run = CliRunner.Invoke(Format("text", "2023-03", "--window", "F3", "--ps41-eml", Path.Combine(_dir, "nopdf.eml")));
        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stdout.ShouldContain("PS4.1");
        run.Stdout.ShouldContain("not met");
        run.Stdout.ShouldContain("IND-016");
    }
}
