using System.Xml.Linq;
using CdaCheck.Core.Kit;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.Kit;

/// <summary>The official kit from ../shared, loaded once for the test run (as a process would), and helpers over the ANS examples.</summary>
public static class KitFixture
{
    private static readonly Lazy<OfficialKit> _kit = new(() => OfficialKit.Load(TestPaths.AnsKit, Shared.Data));
    public static OfficialKit Kit => _kit.Value;

    /// <summary>Options with the kit and a budget large enough for the kit's layers on a loaded test machine.</summary>
    public static ValidationOptions Options => new()
    {
        Kit = Kit,
        AllowTestIns = true,
        Limits = new Limits { DocumentTimeoutMs = 600_000 },
    };

    public static string Example(string name) => Path.Combine(TestPaths.AnsExamples, name);

    public static IEnumerable<string> Examples() =>
        Directory.GetFiles(TestPaths.AnsExamples, "*.xml").Order(StringComparer.Ordinal);

    public static bool IsN3(string path)
    {
        var root = CdaCheck.Core.Cda.CdaDocument.FindClinicalDocument(XDocument.Load(path));
        return root?.Element(CdaCheck.Core.Cda.CdaDocument.V3 + "component")?.Element(CdaCheck.Core.Cda.CdaDocument.V3 + "structuredBody") is not null;
    }

    public static DocumentResult Validate(string name, byte[] bytes) => Shared.Validator(Options).Validate(name, bytes);

    public static DocumentResult Validate(string name, string xml) => Validate(name, System.Text.Encoding.UTF8.GetBytes(xml));

    public static DocumentResult ValidateExample(string name) => Validate(name, File.ReadAllBytes(Example(name)));

    /// <summary>The example's text with one replacement (the mutant); fails when the text to replace is not there.</summary>
    public static string Mutant(string name, string from, string to)
    {
        var text = File.ReadAllText(Example(name));
        text.ShouldContain(from);
        var i = text.IndexOf(from, StringComparison.Ordinal);
        return text[..i] + to + text[(i + from.Length)..];
    }

    public static IReadOnlyList<Finding> Kit_(DocumentResult r, string ruleId, Severity min = Severity.Error) =>
        r.AllFindings().Where(f => f.RuleId == ruleId && f.Severity >= min).ToList();
}
