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
        "The document must conform to the CDA schema of the kit (CDA_extended.xsd)",
        "CDA schema (CDA_extended.xsd): {0}",
        $"{Kit}: infrastructure/cda/CDA_extended.xsd (CDA R2 POCD_MT000040 with the French and IHE extensions)",
        "Fix the element or attribute at the location so that the document is valid against CDA_extended.xsd (element order, names, datatypes).");

    public static readonly RuleDescriptor StrucMin = new(
        "KIT-002", Severity.Error,
        "Official kit: Structuration minimale (header) schematron",
        "{0}",
        $"{Kit}: schematrons/profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch",
        SeeKit);

    public static readonly RuleDescriptor Ihe = new(
        "KIT-003", Severity.Error,
        "Official kit: IHE body schematron",
        "{0}",
        $"{Kit}: schematrons/profils/IHE.sch",
        SeeKit);

    public static readonly RuleDescriptor ModelesDeContenus = new(
        "KIT-004", Severity.Error,
        "Official kit: CI-SIS content models (IHE sections and entries) schematron",
        "{0}",
        $"{Kit}: schematrons/profils/CI-SIS_ModelesDeContenusCDA.sch",
        SeeKit);

    public static readonly RuleDescriptor ModelesAns = new(
        "KIT-005", Severity.Error,
        "Official kit: ANS content models (ANS sections and entries) schematron",
        "{0}",
        $"{Kit}: schematrons/profils/CI-SIS_Modeles_ANS.sch",
        SeeKit);

    public static readonly RuleDescriptor Terminologies = new(
        "KIT-006", Severity.Error,
        "Official kit: terminologies schematron (codes exist in their code system)",
        "{0}",
        $"{Kit}: schematrons/profils/terminologies/schematron/terminologie.sch",
        SeeKit);

    public static readonly RuleDescriptor Volet = new(
        "KIT-007", Severity.Error,
        "Official kit: volet schematron (N3 documents, chosen from the volet templateId)",
        "{0}",
        $"{Kit}: schematrons/CI-SIS_<VOLET>_<version>.sch",
        SeeKit);

    public static readonly RuleDescriptor LayerNotRun = new(
        "KIT-010", Severity.Warning,
        "Every layer of the official kit must run on the document",
        "The official kit layer {0} did not run on this document: {1}.",
        Kit,
        "Check the kit folder given to --kit (cdacheck kit DIR lists its problems); the document was not checked by this layer.");

    public static readonly RuleDescriptor IncludeCase = new(
        "KIT-011", Severity.Info,
        "Kit include paths should match the files' letter case",
        "{0}: the include '{1}' exists only with another letter case; it was resolved as on Windows.",
        $"{Kit} (written on Windows, whose file names ignore letter case)",
        "Nothing to do for the document; the kit's include path should be corrected by ANS.");

    public static readonly RuleDescriptor IncludeMissing = new(
        "KIT-012", Severity.Warning,
        "Files included by the kit's schematrons must exist",
        "{0}: the included file '{1}' is absent from the kit; the rules it holds were not run.",
        Kit,
        "Use a complete copy of the kit; the rules of the missing file were not applied to the document.");

    public static readonly RuleDescriptor J07Substituted = new(
        "KIT-013", Severity.Info,
        "The kit's JDV_J07 value set file is absent: CdaCheck's own copy is used",
        "{0}: the kit lacks the value set file '{1}' (JDV_J07, document type codes); CdaCheck's JDV_J07 (version {2}, {3} codes) was used in its place.",
        $"{Kit}: schematrons/profils/structurationMinimale/include/voc-1.2.250.1.213.1.1.5.471-DYNAMIC.xml; CdaCheck schemas/valuesets/J07-typecode.json",
        "Nothing to do; the type code is checked against CdaCheck's JDV_J07 instead of the missing kit file.");

    public static readonly RuleDescriptor TerminologyAbsent = new(
        "KIT-014", Severity.Info,
        "Codes whose code-system file is absent from the kit are not checked by terminologie.sch",
        "Codes not checked by the kit's terminology schematron (code-system file absent from the kit): {0}.",
        $"{Kit}: schematrons/profils/terminologies/terminologie/<OID>.rdf (terminologie.sch passes a code silently when its file is absent)",
        "Check these codes against the code systems yourself (or get the complete terminology files of the kit).");

    public static readonly RuleDescriptor VoletNotFound = new(
        "KIT-015", Severity.Warning,
        "An N3 document must map to a volet schematron of the kit",
        "No volet schematron of the kit matches the document's templateId(s) {0}; only the generic layers ran.",
        $"{Kit}: schematrons/CI-SIS_<VOLET>_<version>.sch (volet chosen from the volet templateId and its @extension version)",
        "Declare the templateId of the volet (and its version in @extension) in the header, or use a kit that has this volet.");

    public static readonly RuleDescriptor DocMissing = new(
        "KIT-016", Severity.Warning,
        "Files read by the kit's schematrons (doc()) must exist",
        "{0}: the file '{1}' read by the schematron is absent from the kit; the tests that read it cannot fail.",
        Kit,
        "Use a complete copy of the kit; the tests reading this file were not effective.");

    public static readonly RuleDescriptor CompileError = new(
        "KIT-017", Severity.Error,
        "The kit's schematrons and schema must compile",
        "{0}: could not be compiled ({1}); this layer does not run.",
        Kit,
        "Check the kit folder (an unmodified copy of the ANS repository); cdacheck kit DIR lists its problems.");

    public static readonly RuleDescriptor NotLoadable = new(
        "KIT-018", Severity.Error,
        "The folder given to --kit must be the ANS TestContenuCDA kit",
        "The kit folder '{0}' cannot be used: {1}.",
        Kit,
        "Point --kit (or CDACHECK_KIT) at the root of a copy of the ANS TestContenuCDA-3-0 repository (it holds infrastructure/ and schematrons/).");

    public static readonly RuleDescriptor PartlyRun = new(
        "KIT-019", Severity.Warning,
        "Every rule of an official kit layer must run on the document",
        "Part of the official kit layer {0} did not run on this document: {1} expression(s) of the kit could not be compiled (first: {2}).",
        Kit,
        "The rules using these expressions were not applied (cdacheck kit DIR lists them); check the document against them by other means.");

    public static readonly RuleDescriptor VoletWithoutTemplateId = new(
        "KIT-020", Severity.Warning,
        "Every volet schematron of the kit must name its volet templateId",
        "{0}: the volet templateId could not be found in this schematron or its header files; no document is mapped to volet {1}, whose documents get the generic layers only.",
        $"{Kit}: schematrons/CI-SIS_<VOLET>_<version>.sch and include/specificationsVolets/<VOLET>_<version>/",
        "Nothing to do for the document; the volet's rules were not applied (documents of this volet get KIT-015).");

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
