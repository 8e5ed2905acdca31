using CdaCheck.Core.Localization;

namespace CdaCheck.Core.Rules;

/// <summary>
/// The single description of a check: its stable ID, default severity and the specification it
/// enforces. Its title, message template and fix are texts of the string catalogues
/// (<c>Localization/Strings.fr.resx</c> and <c>Strings.en.resx</c>, keys <c>rule.&lt;ID&gt;.title</c>,
/// <c>rule.&lt;ID&gt;.message</c>, <c>rule.&lt;ID&gt;.fix</c>), resolved once per language and kept.
/// The catalogue (<c>cdacheck rules</c>), SARIF rule metadata and the rules documentation are all generated
/// from these descriptors (see <see cref="RuleCatalog"/>); a rule is declared once, as a
/// <c>public static readonly RuleDescriptor</c> field of a class in CdaCheck.Core.
/// </summary>
/// <param name="Id">Stable ID with its family prefix, e.g. <c>INS-004</c>. Never reused or renamed.</param>
/// <param name="DefaultSeverity">Severity before any profile or policy adjustment.</param>
/// <param name="Source">The specification enforced (CI-SIS section, ANS document, IHE TF, guide), as cited.</param>
public sealed record RuleDescriptor(string Id, Severity DefaultSeverity, string Source)
{
    private RuleTexts? _fr, _en;
    private readonly RuleTexts? _declared;

    /// <summary>
    /// The former declaration with the English texts in the code. Still compiles so that branches written before
    /// the catalogues merge; <c>python3 testdata/i18n/migrate-rules.py</c> moves the texts to Strings.en.resx
    /// (a test fails while a rule's texts are not in both catalogues). Until then the declared English is used.
    /// </summary>
    [Obsolete("Rule texts live in Localization/Strings.{fr,en}.resx (rule.<ID>.title/message/fix): run `python3 testdata/i18n/migrate-rules.py`.")]
    public RuleDescriptor(string id, Severity defaultSeverity, string title, string messageFormat, string source, string fix)
        : this(id, defaultSeverity, source) => _declared = new RuleTexts(title, messageFormat, fix);

    /// <summary>One line, imperative or descriptive (shown in the catalogue).</summary>
    public string Title(Lang lang) => In(lang).Title;

    /// <summary>Composite format string ({0}, {1}…) used for each finding.</summary>
    public string Message(Lang lang) => In(lang).Message;

    /// <summary>What the producer of the document should do.</summary>
    public string Fix(Lang lang) => In(lang).Fix;

    /// <summary>Family prefix (the part before the dash): HDR, INS, DOC, PDF, DM, XDM, IND, SEC.</summary>
    public string Family => Id[..Id.IndexOf('-')];

    /// <summary>Human name of the validation layer the family belongs to.</summary>
    public string Layer(Lang lang) => RuleFamilies.LayerOf(Family, lang);

    /// <summary>Catalogue key of one of the rule's texts: <c>rule.&lt;ID&gt;.title</c>, <c>.message</c>, <c>.fix</c>.</summary>
    public string Key(string kind) => $"rule.{Id}.{kind}";

    /// <summary>The rule's texts in <paramref name="lang"/>: a field read once resolved (the hot path formats findings with it).</summary>
    public RuleTexts In(Lang lang) => lang == Lang.En ? _en ??= Resolve(Lang.En) : _fr ??= Resolve(Lang.Fr);

    private RuleTexts Resolve(Lang lang) => new(Text(lang, "title", _declared?.Title), Text(lang, "message", _declared?.Message), Text(lang, "fix", _declared?.Fix));

    // Missing text (a rule not migrated yet): the other catalogue's English, then the declared English, then the key.
    private string Text(Lang lang, string kind, string? declared) =>
        Localization.Texts.Find(lang, Key(kind)) ?? Localization.Texts.Find(Lang.En, Key(kind)) ?? declared ?? Key(kind);

    // Descriptors are identified by their ID (the cached texts are not part of their value).
    public bool Equals(RuleDescriptor? other) => other is not null && other.Id == Id && other.DefaultSeverity == DefaultSeverity && other.Source == Source;
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);
}

/// <summary>A rule's texts in one language.</summary>
public sealed record RuleTexts(string Title, string Message, string Fix);

public static class RuleFamilies
{
    /// <summary>The families (rule ID prefixes); their layer names are catalogue texts <c>family.&lt;FAMILY&gt;</c>.</summary>
    public static readonly IReadOnlyList<string> Families = ["HDR", "INS", "DOC", "PDF", "DM", "XDM", "MSS", "IND", "SEC", "KIT"];

    public static bool IsFamily(string family) => Families.Contains(family);

    public static string LayerOf(string family, Lang lang) => Texts.Find(lang, "family." + family) ?? family;
}
