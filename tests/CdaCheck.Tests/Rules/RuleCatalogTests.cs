using System.Text.RegularExpressions;
using CdaCheck.Core.Localization;
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
            RuleFamilies.IsFamily(r.Family).ShouldBeTrue(r.Id);
            r.Source.ShouldNotBeNullOrWhiteSpace(r.Id);
            foreach (var lang in new[] { Lang.Fr, Lang.En })
            {
                r.Title(lang).ShouldNotBeNullOrWhiteSpace(r.Id);
                r.Fix(lang).ShouldNotBeNullOrWhiteSpace(r.Id);
                r.Message(lang).ShouldNotBeNullOrWhiteSpace(r.Id);
                r.Layer(lang).ShouldNotBe(r.Family, r.Id);
            }
        }
    }

    /// <summary>
    /// Every rule's title, message and fix are in both catalogues (a rule still declared with its English in the code,
    /// the former six-argument way, fails here until <c>testdata/i18n/migrate-rules.py</c> has moved it).
    /// </summary>
    [Fact]
    public void Every_rule_has_its_title_message_and_fix_in_both_catalogues()
    {
        var missing = new List<string>();
        foreach (var r in RuleCatalog.All)
            foreach (var kind in new[] { "title", "message", "fix" })
                foreach (var lang in new[] { Lang.Fr, Lang.En })
                    if (string.IsNullOrWhiteSpace(Texts.Find(lang, r.Key(kind)))) missing.Add($"{r.Key(kind)} ({lang.Tag()})");
        missing.ShouldBeEmpty("run `python3 testdata/i18n/migrate-rules.py` and add the French to Strings.fr.resx");
    }

    [Fact]
    public void French_and_english_texts_differ_and_messages_keep_their_placeholders()
    {
        var same = new List<string>();
        foreach (var r in RuleCatalog.All)
        {
            Placeholders(r.Message(Lang.Fr)).ShouldBe(Placeholders(r.Message(Lang.En)), r.Id);
            if (r.Title(Lang.Fr) == r.Title(Lang.En)) same.Add(r.Id + ".title");
            if (r.Fix(Lang.Fr) == r.Fix(Lang.En)) same.Add(r.Id + ".fix");
        }
        same.ShouldBeEmpty("untranslated");
    }

    [Fact]
    public void Texts_are_resolved_once_per_language()
    {
        var r = RuleCatalog.All[0];
        r.In(Lang.Fr).ShouldBeSameAs(r.In(Lang.Fr));
        r.In(Lang.En).ShouldBeSameAs(r.In(Lang.En));
        r.In(Lang.Fr).ShouldNotBeSameAs(r.In(Lang.En));
    }

    private static List<string> Placeholders(string s) =>
        Regex.Matches(s.Replace("{{", "").Replace("}}", ""), @"\{(\d+)[^}]*\}").Select(m => m.Groups[1].Value).Distinct().Order().ToList();

    [Fact]
    public void Catalogue_is_sorted_and_unique()
    {
        var ids = RuleCatalog.All.Select(r => r.Id).ToList();
        ids.ShouldBe(ids.OrderBy(i => i, StringComparer.Ordinal).ToList());
        ids.Distinct().Count().ShouldBe(ids.Count);
    }
}
