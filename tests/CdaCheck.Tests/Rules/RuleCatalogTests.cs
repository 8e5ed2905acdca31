using CdaCheck.Core.Rules;
using Shouldly;
using Xunit;

namespace CdaCheck.Tests.Rules;

public class RuleCatalogTests
{
    [Fact]
    public void Every_rule_has_a_family_title_source_and_fix()
    {
        RuleCatalog.All.ShouldNotBeEmpty();
        foreach (var r in RuleCatalog.All)
        {
            RuleFamilies.Layers.ContainsKey(r.Family).ShouldBeTrue(r.Id);
            r.Title.ShouldNotBeNullOrWhiteSpace(r.Id);
            r.Source.ShouldNotBeNullOrWhiteSpace(r.Id);
            r.Fix.ShouldNotBeNullOrWhiteSpace(r.Id);
            r.MessageFormat.ShouldNotBeNullOrWhiteSpace(r.Id);
        }
    }

    [Fact]
    public void Catalogue_is_sorted_and_unique()
    {
        var ids = RuleCatalog.All.Select(r => r.Id).ToList();
        ids.ShouldBe(ids.OrderBy(i => i, StringComparer.Ordinal).ToList());
        ids.Distinct().Count().ShouldBe(ids.Count);
    }
}
