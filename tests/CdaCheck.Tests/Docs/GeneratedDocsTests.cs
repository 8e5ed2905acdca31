using CdaCheck.Core.Reporting;
using CdaCheck.Core.Rules;

namespace CdaCheck.Tests.Docs;

/// <summary>docs/rules.md is generated from the rule descriptors (one list, never two).</summary>
public class GeneratedDocsTests
{
    public static string Generate()
    {
        var sw = new StringWriter { NewLine = "\n" };
        RuleCatalogWriter.WriteMarkdown(sw, RuleCatalog.All);
        return sw.ToString();
    }

    [Fact]
    public void Rules_doc_is_up_to_date()
    {
        var path = Path.Combine(TestPaths.RepoRoot, "docs", "rules.md");
        var expected = Generate();
        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (actual != expected)
        {
            File.WriteAllText(path + ".received", expected);
            actual.ShouldBe(expected, "docs/rules.md is stale: regenerate with `dotnet run --project src/CdaCheck.Cli -- rules --format md > docs/rules.md` (a .received copy was written next to it)");
        }
    }
}
