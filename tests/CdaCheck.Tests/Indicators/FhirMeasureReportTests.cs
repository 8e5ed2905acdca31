using System.Text.Json;
using CdaCheck.Core.Indicators;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace CdaCheck.Tests.Indicators;

/// <summary>The FHIR R4 MeasureReport checked with the Firely SDK (JIT-only oracle, test project only).</summary>
public class FhirMeasureReportTests(MonthFixture month) : IClassFixture<MonthFixture>
{
    private static readonly Lazy<Validator> Firely = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(source.AsAsync(), new LocalTerminologyService(source.AsAsync()));
    });

    private string Run(string program, params string[] more)
    {
        var run = CliRunner.Invoke(["indicators", "--program", program, "--month", "2026-10", "--allow-any-month",
            "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"),
            "--mss", month.P("mss.csv"), "--identities", month.P("identities.csv"), "--documents-root", month.Root,
            "--finess", "750000001", "--format", "fhir", .. more]);
        run.ExitCode.ShouldBe(0, run.Stderr);
        return run.Stdout;
    }

    [Theory]
    [InlineData("hopen2")]
    [InlineData("sun-es")]
    public void MeasureReport_is_valid_R4_reproducible_and_its_populations_agree_with_the_score(string program)
    {
        var json = Run(program);
        Run(program).ShouldBe(json); // same input → same bytes (no clock)
        var report = JsonSerializer.Deserialize<MeasureReport>(json, new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector))!;
        report.Date.ShouldBe("2026-10-31");
        var outcome = Firely.Value.Validate(report);
        outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => i.Details?.Text ?? i.Diagnostics).ShouldBeEmpty();

        foreach (var g in report.Group)
        {
            int Count(string code) => g.Population.Single(p => p.Code!.Coding[0].Code == code).Count ?? -1;
            decimal? Ext(string name) => (g.GetExtension(IndicatorWriters.FhirExtensionBase + name)?.Value as FhirDecimal)?.Value;
            int den = Count("denominator"), excl = Count("denominator-exclusion"), num = Count("numerator");
            excl.ShouldBeLessThanOrEqualTo(den, g.ElementId);
            num.ShouldBeLessThanOrEqualTo(den - excl, g.ElementId);
            Count("initial-population").ShouldBeGreaterThanOrEqualTo(den);
            var weighting = Ext("denominator-weighting")!.Value;
            var adjusted = Ext("adjusted-denominator")!.Value;
            if (g.MeasureScore is { } score)
            {
                // the score divides by the declared adjusted denominator, which is the weighting of the unexcluded count
                score.Value.ShouldBe(Rates.Percent(num, adjusted), g.ElementId);
                if (g.GetExtension(IndicatorWriters.FhirExtensionBase + "denominator-mode") is null)
                    adjusted.ShouldBe(Rates.Trim((den - excl) * weighting), g.ElementId);
            }
        }
        if (program == "hopen2")
        {
            var ldl = report.Group.Single(g => g.ElementId == "P1-02-LDL");
            (ldl.GetExtension(IndicatorWriters.FhirExtensionBase + "denominator-weighting")!.Value as FhirDecimal)!.Value.ShouldBe(0.93m);
            (ldl.GetExtension(IndicatorWriters.FhirExtensionBase + "adjusted-denominator")!.Value as FhirDecimal)!.Value.ShouldBe(3.72m);
        }
        else
        {
            var ds43 = report.Group.Single(g => g.ElementId == "DS4-3");
            (ds43.GetExtension(IndicatorWriters.FhirExtensionBase + "indicator-status")!.Value as Code)!.Value.ShouldBe("declared");
            ds43.MeasureScore.ShouldBeNull();
        }
    }

    [Fact]
    public void The_oracle_itself_rejects_a_broken_MeasureReport()
    {
        var bad = new MeasureReport { Type = MeasureReport.MeasureReportType.Summary, Measure = "urn:x" }; // no status, no period
        var outcome = Firely.Value.Validate(bad);
        outcome.Issue.ShouldContain(i => i.Severity == OperationOutcome.IssueSeverity.Error);
    }
}
