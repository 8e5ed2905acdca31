using CdaCheck.Core.Indicators;

namespace CdaCheck.Tests.Indicators;

public class GateKindMemoTests
{
    [Fact]
    public void The_memoised_kind_of_a_type_code_is_the_reference_kind_every_time()
    {
        var gate = new ConformanceGate(Shared.Data, null);
        var codes = gate.Kinds.Kinds.SelectMany(k => k.TypeCodes).Append("00000-0").Append("11490-0 ").ToList();
        codes.Count.ShouldBeGreaterThan(2);
        for (int round = 0; round < 2; round++) // the second round is served from the memo
            foreach (var code in codes)
                gate.KindOf(code).ShouldBe(gate.Kinds.ForTypeCode(code), code);
        gate.KindOf(null).ShouldBeNull();
        gate.KindOf("00000-0").ShouldBeNull();
        gate.KindOf("11490-0").ShouldNotBeNull();
    }
}
