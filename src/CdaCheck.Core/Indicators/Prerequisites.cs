namespace CdaCheck.Core.Indicators;

/// <summary>
/// The SUN-ES prerequisites checklist (PS1.1–PS4.1, schemas/indicators/sun-es.json): each one required or not in the
/// window applied for; declarative ones are left to the establishment, PS4.1 is checked from the test message
/// (<see cref="ConformanceGate.CheckTestMessage"/>).
/// </summary>
public static class Prerequisites
{
    public static IEnumerable<PrerequisiteResult> Evaluate(ConformanceGate gate, ProgramDefinition program, IndicatorRequest request, string? window)
    {
        string T(string key, params object?[] a) => Localization.Texts.Format(request.Language, key, a);
        foreach (var p in program.Prerequisites)
        {
            bool? required = window is null ? null : p.Windows.Contains(window);
            if (p.Check != "ps41-eml")
            {
                yield return new PrerequisiteResult { Definition = p, RequiredInWindow = required, Status = "declarative", Note = T("ind.prereq.declarative") };
                continue;
            }
            if (request.Ps41Eml is null)
            {
                yield return new PrerequisiteResult { Definition = p, RequiredInWindow = required, Status = "not-checked", Note = T("ind.prereq.ps41NotChecked") };
                continue;
            }
            IReadOnlyList<string> addresses = request.Ps41To is { } to ? [to] : p.TestAddresses;
            var g = gate.CheckTestMessage(request.Ps41Eml, addresses);
            yield return new PrerequisiteResult
            {
                Definition = p, RequiredInWindow = required, Status = g.Counts ? "passed" : "failed", Reasons = g.Reasons, Messages = g.Messages,
                Note = addresses.Count == 0 ? T("ind.prereq.ps41AnyDomain") : null,
            };
        }
    }
}
