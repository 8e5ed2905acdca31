using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Kit;

/// <summary>
/// Rules of the official-kit layer (KIT-): one ID per layer of the ANS TestContenuCDA kit (XSD, the five generic
/// schematrons, the volet schematron), whose findings carry the kit's own message, assertion id, pattern, rule
/// context and see link; and one ID per kit defect CdaCheck works around or reports (never a silent pass).
/// </summary>
public static class KitRules
{
    private const string Kit = "ANS TestContenuCDA 3.0 (github.com/ansforge/TestContenuCDA-3-0)";
    private const string SeeKit = "Read the kit's message and its see link; fix the document where the location points.";

    public static readonly RuleDescriptor Xsd = new(
        "KIT-001", Severity.Error,
        $"{Kit}: infrastructure/cda/CDA_extended.xsd (CDA R2 POCD_MT000040 with the French and IHE extensions)");

    public static readonly RuleDescriptor StrucMin = new(
        "KIT-002", Severity.Error,
        $"{Kit}: schematrons/profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch");

    public static readonly RuleDescriptor Ihe = new(
        "KIT-003", Severity.Error,
        $"{Kit}: schematrons/profils/IHE.sch");

    public static readonly RuleDescriptor ModelesDeContenus = new(
        "KIT-004", Severity.Error,
        $"{Kit}: schematrons/profils/CI-SIS_ModelesDeContenusCDA.sch");

    public static readonly RuleDescriptor ModelesAns = new(
        "KIT-005", Severity.Error,
        $"{Kit}: schematrons/profils/CI-SIS_Modeles_ANS.sch");

    public static readonly RuleDescriptor Terminologies = new(
        "KIT-006", Severity.Error,
        $"{Kit}: schematrons/profils/terminologies/schematron/terminologie.sch");

    public static readonly RuleDescriptor Volet = new(
        "KIT-007", Severity.Error,
        $"{Kit}: schematrons/CI-SIS_<VOLET>_<version>.sch");

    public static readonly RuleDescriptor LayerNotRun = new(
        "KIT-010", Severity.Warning,
        Kit);

    public static readonly RuleDescriptor IncludeCase = new(
        "KIT-011", Severity.Info,
        $"{Kit} (written on Windows, whose file names ignore letter case)");

    public static readonly RuleDescriptor IncludeMissing = new(
        "KIT-012", Severity.Warning,
        Kit);

    public static readonly RuleDescriptor J07Substituted = new(
        "KIT-013", Severity.Info,
        $"{Kit}: schematrons/profils/structurationMinimale/include/voc-1.2.250.1.213.1.1.5.471-DYNAMIC.xml; CdaCheck schemas/valuesets/J07-typecode.json");

    public static readonly RuleDescriptor TerminologyAbsent = new(
        "KIT-014", Severity.Info,
        $"{Kit}: schematrons/profils/terminologies/terminologie/<OID>.rdf (terminologie.sch passes a code silently when its file is absent)");

    public static readonly RuleDescriptor VoletNotFound = new(
        "KIT-015", Severity.Warning,
        $"{Kit}: schematrons/CI-SIS_<VOLET>_<version>.sch (volet chosen from the volet templateId and its @extension version)");

    public static readonly RuleDescriptor DocMissing = new(
        "KIT-016", Severity.Warning,
        Kit);

    public static readonly RuleDescriptor CompileError = new(
        "KIT-017", Severity.Error,
        Kit);

    public static readonly RuleDescriptor NotLoadable = new(
        "KIT-018", Severity.Error,
        Kit);

    public static readonly RuleDescriptor PartlyRun = new(
        "KIT-019", Severity.Warning,
        Kit);

    public static readonly RuleDescriptor VoletWithoutTemplateId = new(
        "KIT-020", Severity.Warning,
        $"{Kit}: schematrons/CI-SIS_<VOLET>_<version>.sch and include/specificationsVolets/<VOLET>_<version>/");

    /// <summary>The rule of each layer, by layer key.</summary>
    public static RuleDescriptor ForLayer(KitLayer layer) => layer switch
    {
        KitLayer.Xsd => Xsd,
        KitLayer.StrucMin => StrucMin,
        KitLayer.Ihe => Ihe,
        KitLayer.ModelesDeContenus => ModelesDeContenus,
        KitLayer.ModelesAns => ModelesAns,
        KitLayer.Terminologies => Terminologies,
        _ => Volet,
    };
}

/// <summary>The layers of the kit, in the order they run on a document.</summary>
public enum KitLayer { Xsd, StrucMin, Ihe, ModelesDeContenus, ModelesAns, Terminologies, Volet }
