using CdaCheck.Core.Localization;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Rules;

namespace CdaCheck.Tests.Docs;

/// <summary>docs/rules.md (French) and docs/rules.en.md are generated from the rule descriptors and the string catalogues.</summary>
public class GeneratedDocsTests
{
    public static string Generate(Lang lang)
    {
        var sw = new StringWriter { NewLine = "\n" };
        RuleCatalogWriter.WriteMarkdown(sw, RuleCatalog.All, lang);
        return sw.ToString();
    }

    [Theory]
    [InlineData(Lang.Fr, "rules.md", " --lang fr")]
    [InlineData(Lang.En, "rules.en.md", " --lang en")]
    public void Rules_doc_is_up_to_date(Lang lang, string file, string option)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "docs", file);
        var expected = Generate(lang);
        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (actual != expected)
        {
            File.WriteAllText(path + ".received", expected);
            actual.ShouldBe(expected, $"docs/{file} is stale: regenerate with `dotnet run --project src/CdaCheck.Cli -- rules --format md{option} > docs/{file}` (a .received copy was written next to it)");
        }
    }
}
