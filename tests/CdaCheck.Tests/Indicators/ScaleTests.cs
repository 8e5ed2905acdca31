using System.Diagnostics;
using CdaCheck.Core.Indicators;

namespace CdaCheck.Tests.Indicators;

public class ScaleTests
{
    /// <summary>Counting is indexed (venue, document, IPP): 20 000 venues, documents, traces and messages stay fast.</summary>
    [Fact]
    public void Twenty_thousand_stays_are_counted_in_seconds()
    {
        const int n = 20_000;
        var inputs = new IndicatorInputs { VenuesHaveDmp = true };
        var day = new DateOnly(2023, 10, 1);
        for (int i = 0; i < n; i++)
        {
            var v = StayAndDenominatorTests.V("P" + i, "02/10/2023", "05/10/2023", dmp: "ouvert", surgery: i % 3 == 0);
            inputs.Venues.Add(v);
            inputs.Documents.Add(new ProducedDocument { Ipp = v.Ipp, Venue = v.Number, Produced = day.AddDays(4), LocalId = "D" + i, TypeCode = "11490-0" });
            inputs.Traces.Add(new DmpTrace { LocalId = "D" + i, Emitted = day.AddDays(4), TypeCode = "11490-0", Ipp = v.Ipp, Status = "SUCCES", Stay = v.Number });
            inputs.Mss.Add(new MssMessage { Id = "M" + i, Date = day.AddDays(4), Ipp = v.Ipp, Venue = v.Number, Recipient = "dr" + (i % 50), RecipientType = "ps", RecipientEquipped = true, Status = "SUCCES" });
        }
        var sw = Stopwatch.StartNew();
        foreach (var program in new[] { "sun-es", "hopen2" })
        {
            var report = new IndicatorEngine(new ConformanceGate(Shared.Data, null))
                .Compute(new IndicatorRequest(program, 2023, 10), inputs, ProgramDefinition.Load(Shared.Data, program));
            var ldl = report.Indicators[program == "sun-es" ? 0 : 1];
            ldl.DenominatorRaw.ShouldBe(n);
            ldl.NaiveNumerator.ShouldBe(n);
            ldl.Numerator.ShouldBe(0); // no file: every document rejected with IND-001
            ldl.GapByReason["IND-001"].ShouldBe(n);
        }
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }
}
