using System.Text.RegularExpressions;
using CdaCheck.Core.Localization;

namespace CdaCheck.Tests.Localization;

public class CatalogueTests
{
    [Fact]
    public void Every_key_exists_in_both_catalogues()
    {
        var fr = Texts.Catalogue(Lang.Fr).Keys.ToHashSet();
        var en = Texts.Catalogue(Lang.En).Keys.ToHashSet();
        fr.Count.ShouldBeGreaterThan(0);
        fr.Except(en).OrderBy(k => k).ToList().ShouldBeEmpty("keys missing from Strings.en.resx");
        en.Except(fr).OrderBy(k => k).ToList().ShouldBeEmpty("keys missing from Strings.fr.resx");
    }

    [Fact]
    public void Both_catalogues_use_the_same_placeholders_and_no_empty_text()
    {
        var bad = new List<string>();
        foreach (var (key, fr) in Texts.Catalogue(Lang.Fr))
        {
            var en = Texts.Get(Lang.En, key);
            if (string.IsNullOrWhiteSpace(fr) || string.IsNullOrWhiteSpace(en)) bad.Add(key + ": empty");
            if (!Placeholders(fr).SetEquals(Placeholders(en))) bad.Add(key + ": placeholders differ");
        }
        bad.ShouldBeEmpty();
    }

    private static HashSet<string> Placeholders(string s) =>
        Regex.Matches(s.Replace("{{", "").Replace("}}", ""), @"\{(\d+)[^}]*\}").Select(m => m.Groups[1].Value).ToHashSet();

    [Theory]
    [InlineData(null, "fr_FR.UTF-8", null, Lang.Fr)]
    [InlineData(null, "en_US.UTF-8", null, Lang.En)]
    [InlineData(null, null, "en_GB.UTF-8", Lang.En)]
    [InlineData(null, "C.UTF-8", "en_GB.UTF-8", Lang.Fr)]   // LC_ALL set: it decides, and C is neither language
    [InlineData(null, null, "de_DE.UTF-8", Lang.Fr)]
    [InlineData(null, null, null, Lang.Fr)]
    [InlineData("en", "fr_FR.UTF-8", null, Lang.En)]
    [InlineData("fr", null, "en_US.UTF-8", Lang.Fr)]
    public void Language_follows_the_option_then_the_locale_else_french(string? option, string? lcAll, string? lang, Lang expected)
    {
        var env = new Dictionary<string, string?> { ["LC_ALL"] = lcAll, ["LANG"] = lang };
        LangExtensions.Resolve(option, n => env.GetValueOrDefault(n)).ShouldBe(expected);
    }

    [Fact]
    public void An_unknown_explicit_language_is_refused()
    {
        LangExtensions.Resolve("de", _ => null).ShouldBeNull();
        LangExtensions.Resolve("e", _ => null).ShouldBeNull();
    }
}
