// TEMPORARY: the engine's public contract (branch kit-engine), so that the kit layer builds before the engine lands.
// Deleted when kit-engine is merged. Load reports a compile-error problem and the layer says it did not run.
using System.Xml.XPath;

namespace CdaCheck.Core.Kit.Schematron;

public sealed record SchematronProblem(string Kind, string File, string Detail);
public sealed record SchematronResult(bool IsReport, string? Id, string? Role, string? PatternId, string RuleContext, string Test, string Message, string? See, string Location, int Line, int Column);
public sealed class SchematronOptions { public Func<string, string?>? DocResolver { get; init; } }

public sealed class SchematronSchema
{
    private SchematronSchema(string path) { Path = path; Problems = [new SchematronProblem("compile-error", path, "schematron engine not available in this build")]; }
    public static SchematronSchema Load(string schPath, SchematronOptions? options = null) => new(schPath);
    public string Path { get; }
    public IReadOnlyList<SchematronProblem> Problems { get; }
    public int AssertionCount => 0;
    public IReadOnlyList<SchematronResult> Validate(XPathNavigator document, CancellationToken ct = default) =>
        throw new NotSupportedException("schematron engine not available in this build");
}

public sealed record VoletEntry(string Name, string Version, string SchematronPath, string TemplateIdRoot);

public static class VoletIndex
{
    public static IReadOnlyList<VoletEntry> Scan(string kitRoot) => [];
    public static VoletEntry? Find(IReadOnlyList<VoletEntry> entries, string templateRoot, string? extension) => null;
}
