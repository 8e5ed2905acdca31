using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Cda;

/// <summary>CI-SIS header rules (Structuration minimale): realm, typeId, templateIds, identifiers, participants.</summary>
public sealed class HeaderChecks(ReferenceData data) : ICdaCheck
{
    public const string HL7France = "2.16.840.1.113883.2.8.2.1";
    public const string StrucMin = "1.2.250.1.213.1.1.1.1";
    public const string XdsSd = "1.3.6.1.4.1.19376.1.2.20";

    public static readonly RuleDescriptor RealmCode = new(
        "HDR-001", Severity.Error,
        "realmCode must be present once with code FR",
        "realmCode: {0}.",
        "CI-SIS Structuration minimale (SMDS_CDAClinicalDocument: realmCode[@code='FR'] 1..1)",
        "Add <realmCode code=\"FR\"/> as the first child of ClinicalDocument.");

    public static readonly RuleDescriptor TypeId = new(
        "HDR-002", Severity.Error,
        "typeId must be 2.16.840.1.113883.1.3 / POCD_HD000040",
        "typeId: {0}.",
        "HL7 CDA R2 §4.2.1.2; CI-SIS Structuration minimale",
        "Add <typeId root=\"2.16.840.1.113883.1.3\" extension=\"POCD_HD000040\"/>.");

    public static readonly RuleDescriptor TemplateIds = new(
        "HDR-003", Severity.Error,
        "Document templateIds: HL7 France and Structuration minimale once each, plus the volet's",
        "templateId: {0}.",
        "CI-SIS Structuration minimale (templateId 2.16.840.1.113883.2.8.2.1 ×1, 1.2.250.1.213.1.1.1.1 ×1, ≥1 volet templateId)",
        "Declare templateIds 2.16.840.1.113883.2.8.2.1 and 1.2.250.1.213.1.1.1.1 exactly once and the templateId of the volet (N1: 1.3.6.1.4.1.19376.1.2.20).");

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var root = doc.Root;
        var realms = root.Els("realmCode").ToList();
        if (realms.Count == 0) sink.Report(RealmCode, doc.Missing(root, "realmCode"), "missing");
        else if (realms.Count > 1) sink.Report(RealmCode, doc.Loc(realms[1]), $"{realms.Count} elements, expected 1");
        else if (realms[0].Attr("code") != "FR") sink.Report(RealmCode, doc.Loc(realms[0]), $"code is '{realms[0].Attr("code")}', expected 'FR'");

        var typeId = root.El("typeId");
        if (typeId is null) sink.Report(TypeId, doc.Missing(root, "typeId"), "missing");
        else if (typeId.Attr("root") != "2.16.840.1.113883.1.3" || typeId.Attr("extension") != "POCD_HD000040")
            sink.Report(TypeId, doc.Loc(typeId), $"root '{typeId.Attr("root")}' extension '{typeId.Attr("extension")}'");

        var templates = root.Els("templateId").ToList();
        result.TemplateIds = templates.Select(t => t.Attr("root") ?? "").Where(r => r.Length > 0).ToArray();
        int France = templates.Count(t => t.Attr("root") == HL7France);
        int sm = templates.Count(t => t.Attr("root") == StrucMin);
        if (France != 1) sink.Report(TemplateIds, France == 0 ? doc.Missing(root, "templateId") : doc.Loc(templates.First(t => t.Attr("root") == HL7France)), $"{HL7France} appears {France} times, expected once");
        if (sm != 1) sink.Report(TemplateIds, sm == 0 ? doc.Missing(root, "templateId") : doc.Loc(templates.First(t => t.Attr("root") == StrucMin)), $"{StrucMin} appears {sm} times, expected once");
        if (!templates.Any(t => t.Attr("root") is { } r && r != HL7France && r != StrucMin))
            sink.Report(TemplateIds, doc.Missing(root, "templateId"), "no volet templateId besides HL7 France and Structuration minimale");
    }
}
