using CdaCheck.Core.Indicators;
using CdaCheck.TestData.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>The synthetic month of October 2026 written once to a temporary folder.</summary>
public sealed class MonthFixture : IDisposable
{
    public MonthFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cdacheck-ind-" + Guid.NewGuid().ToString("N"));
        HospitalMonth.Materialize(Path.Combine(TestPaths.TestData, "indicators"), Folder);
    }

    public string Folder { get; }
    public string Root => Path.Combine(Folder, "root");
    public string P(string name) => Path.Combine(Folder, name);

    public IndicatorInputs Inputs() =>
        InputReader.Read(P("venues.csv"), P("documents.csv"), P("traces.csv"), P("mss.csv"), P("identities.csv"));

    public IndicatorReport Run(string program, string? window = null, string? tier = null, ConformanceGate? gate = null)
    {
        var defs = ProgramDefinition.Load(Shared.Data, program);
        gate ??= new ConformanceGate(Shared.Data, Root);
        return new IndicatorEngine(gate).Compute(new IndicatorRequest(program, 2026, 10) { Window = window, Tier = tier }, Inputs(), defs);
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
