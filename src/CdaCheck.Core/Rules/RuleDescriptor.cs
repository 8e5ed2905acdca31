namespace CdaCheck.Core.Rules;

/// <summary>
/// The single description of a check: its stable ID, default severity, one-line title, message
/// template, the specification it enforces and what to do about a finding. The catalogue
/// (<c>cdacheck rules</c>), SARIF rule metadata and the rules documentation are all generated from
/// these descriptors (see <see cref="RuleCatalog"/>); a rule is declared once, as a
/// <c>public static readonly RuleDescriptor</c> field of a class in CdaCheck.Core.
/// </summary>
/// <param name="Id">Stable ID with its family prefix, e.g. <c>INS-004</c>. Never reused or renamed.</param>
/// <param name="DefaultSeverity">Severity before any profile or policy adjustment.</param>
/// <param name="Title">One line, imperative or descriptive (shown in the catalogue).</param>
/// <param name="MessageFormat">Composite format string ({0}, {1}…) used for each finding.</param>
/// <param name="Source">The specification enforced (CI-SIS section, ANS document, IHE TF, guide).</param>
/// <param name="Fix">What the producer of the document should do.</param>
public sealed record RuleDescriptor(
    string Id,
    Severity DefaultSeverity,
    string Title,
    string MessageFormat,
    string Source,
    string Fix)
{
    /// <summary>Family prefix (the part before the dash): HDR, INS, DOC, PDF, DM, XDM, IND, SEC.</summary>
    public string Family => Id[..Id.IndexOf('-')];

    /// <summary>Human name of the validation layer the family belongs to.</summary>
    public string Layer => RuleFamilies.LayerOf(Family);
}

public static class RuleFamilies
{
    public static readonly IReadOnlyDictionary<string, string> Layers = new Dictionary<string, string>
    {
        ["HDR"] = "CDA header",
        ["INS"] = "Identity (INS)",
        ["DOC"] = "Document type and body",
        ["PDF"] = "Embedded PDF",
        ["DM"] = "INS DataMatrix",
        ["XDM"] = "IHE XDM package",
        ["MSS"] = "MSSanté message",
        ["IND"] = "Usage indicators",
        ["SEC"] = "Limits and hostile input",
        ["KIT"] = "Official ANS kit (TestContenuCDA)",
    };

    public static string LayerOf(string family) => Layers.TryGetValue(family, out var l) ? l : family;
}
