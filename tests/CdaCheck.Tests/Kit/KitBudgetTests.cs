using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Kit;

/// <summary>SEC-004 in the kit stage: the thread's CPU time like every other stage, the wall clock only as the backstop.</summary>
public class KitBudgetTests
{
    private const string Example = "BIO-TROD_2024.01_Angine.xml";

    [KitFact]
    public void A_document_whose_wall_time_passed_the_budget_without_spending_it_is_still_checked_by_the_kit()
    {
        const int budget = 3_000;
        var bytes = File.ReadAllBytes(KitFixture.Example(Example));
        var options = KitFixture.Options with { Limits = new Limits { DocumentTimeoutMs = budget } };
        var validator = Shared.Validator(options);
        KitFixture.Validate(Example, bytes).AllFindings().Select(f => f.RuleId).ShouldNotContain("SEC-004"); // warm: kit layers compiled

        // A loaded machine: the document's thread waits (here asleep) while the wall clock runs past the budget.
        var ctx = new ValidationContext(Shared.Data, options);
        Thread.Sleep(budget + 500);
        var r = validator.Validate(Example, bytes, parent: ctx);
        var ids = r.AllFindings().Select(f => f.RuleId).ToList();
        ids.ShouldNotContain("SEC-004", "the kit stage must count the thread's CPU time, not the wall time");
        ids.ShouldNotContain("SEC-005");
        r.KitVolet.ShouldNotBeNull("the kit's layers ran to the volet's schematron");
    }

    [Fact]
    public void The_kit_backstop_accepts_the_largest_budget()
    {
        var ctx = new ValidationContext(Shared.Data, new ValidationOptions { Limits = new Limits { DocumentTimeoutMs = int.MaxValue } });
        var left = CdaCheck.Core.Kit.KitStage.WallBackstopLeftMs(ctx);
        left.ShouldBeLessThanOrEqualTo(int.MaxValue);
        Should.NotThrow(() => new CancellationTokenSource(TimeSpan.FromMilliseconds(left)).Dispose());
    }
}
