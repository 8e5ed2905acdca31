using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;

namespace CdaCheck.Tests.Cda;

/// <summary>Validation helpers for builder-made documents.</summary>
public static class CdaFixture
{
    public static DocumentResult Validate(CdaBuilder b, ValidationOptions? options = null) =>
        Shared.Validator(options).Validate("fixture.xml", b.ToBytes());

    public static IEnumerable<Finding> Errors(this DocumentResult r) => r.Findings.Where(f => f.Severity == Severity.Error);

    public static string Describe(this DocumentResult r) =>
        string.Join("\n", r.Findings.Select(f => $"{f.RuleId} {f.Severity.ToWire()} {f.Message} @ {f.Location}"));

    public static void ShouldHaveNoErrors(this DocumentResult r) =>
        r.Errors().ShouldBeEmpty(r.Describe());

    public static void ShouldHave(this DocumentResult r, string ruleId, Severity? severity = null)
    {
        r.Findings.Any(f => f.RuleId == ruleId && (severity is null || f.Severity == severity)).ShouldBeTrue($"expected {ruleId} {severity}; got:\n{r.Describe()}");
    }

    public static void ShouldNotHave(this DocumentResult r, string ruleId) =>
        r.Findings.Where(f => f.RuleId == ruleId).ShouldBeEmpty(r.Describe());
}
