using System.Xml.Linq;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Cda;

/// <summary>CI-SIS header rules (Structuration minimale): realm, typeId, templateIds, identifiers, participants.</summary>
public sealed partial class HeaderChecks(ReferenceData data) : ICdaCheck
{
    public const string HL7France = "2.16.840.1.113883.2.8.2.1";
    public const string StrucMin = "1.2.250.1.213.1.1.1.1";
    public const string XdsSd = "1.3.6.1.4.1.19376.1.2.20";

    public static readonly RuleDescriptor RealmCode = new(
        "HDR-001", Severity.Error,
        "CI-SIS Structuration minimale (SMDS_CDAClinicalDocument: realmCode[@code='FR'] 1..1)");

    public static readonly RuleDescriptor TypeId = new(
        "HDR-002", Severity.Error,
        "HL7 CDA R2 §4.2.1.2; CI-SIS Structuration minimale");

    public static readonly RuleDescriptor TemplateIds = new(
        "HDR-003", Severity.Error,
        "CI-SIS Structuration minimale (templateId 2.16.840.1.113883.2.8.2.1 ×1, 1.2.250.1.213.1.1.1.1 ×1, ≥1 volet templateId)");

    public static readonly RuleDescriptor DocumentId = new(
        "HDR-004", Severity.Error,
        "CI-SIS Structuration minimale (SMDS_CDAClinicalDocument: id 1..1, @root uid, no nullFlavor)");

    public static readonly RuleDescriptor Title = new(
        "HDR-005", Severity.Error,
        "CI-SIS Structuration minimale (title 1..1, no nullFlavor)");

    public static readonly RuleDescriptor EffectiveTime = new(
        "HDR-006", Severity.Error,
        "CI-SIS Structuration minimale (effectiveTime 1..1, TS ^[0-9]{4,14}, no nullFlavor)");

    public static readonly RuleDescriptor TimestampSyntax = new(
        "HDR-007", Severity.Error,
        "HL7 V3 datatypes (TS); CI-SIS Structuration minimale (^[0-9]{4,14})");

    public static readonly RuleDescriptor TimeZoneMissing = new(
        "HDR-008", Severity.Warning,
        "CI-SIS (abstract IVL_TS: ±zzzz required when a time is given); HL7 V3 TS");

    public static readonly RuleDescriptor Confidentiality = new(
        "HDR-009", Severity.Error,
        "CI-SIS Structuration minimale (confidentialityCode 1..1, value set 2.16.840.1.113883.1.11.10228)");

    public static readonly RuleDescriptor LanguageCode = new(
        "HDR-010", Severity.Error,
        "CI-SIS Structuration minimale (languageCode 1..1, syntax [a-z]{2}-[A-Z]{2}, e.g. fr-FR)");

    public static readonly RuleDescriptor SetId = new(
        "HDR-011", Severity.Error,
        "CI-SIS Structuration minimale (setId 1..1, @root uid)");

    public static readonly RuleDescriptor VersionNumber = new(
        "HDR-012", Severity.Error,
        "CI-SIS Structuration minimale (versionNumber 1..1, INT > 0)");

    public static readonly RuleDescriptor VersionWithoutRplc = new(
        "HDR-013", Severity.Warning,
        "CI-SIS Structuration minimale (relatedDocument[@typeCode='RPLC'] 0..1); IHE XDS document replacement");

    public static readonly RuleDescriptor RecordTarget = new(
        "HDR-014", Severity.Error,
        "CI-SIS Structuration minimale (CI-SISRecordTarget: recordTarget 1..1, patientRole/id 1..* with @root and @extension, patient/name 1..1)");

    public static readonly RuleDescriptor Author = new(
        "HDR-015", Severity.Error,
        "CI-SIS Structuration minimale (CI-SISAuthor: author 1..*, time 1..1, assignedAuthor/id 1..* with @root and @extension, assignedPerson or assignedAuthoringDevice)");

    public static readonly RuleDescriptor PsIdForm = new(
        "HDR-016", Severity.Error,
        "CI-SIS identifiants des acteurs de santé (IdNat_PS: 8+RPPS (11 digits), 0+ADELI (9 characters), 1/3/4/5/6+structure id+'/'+local id)");

    public static readonly RuleDescriptor RppsLuhn = new(
        "HDR-017", Severity.Warning,
        "RPPS numbering (Luhn check digit; not verified by ANS tooling — reported as a warning)");

    public static readonly RuleDescriptor Custodian = new(
        "HDR-018", Severity.Error,
        "CI-SIS Structuration minimale (CI-SISCustodian: custodian 1..1, representedCustodianOrganization/id 1..1 with @root 1.2.250.1.71.4.2.2 or 1.2.250.1.213.4.1)");

    public static readonly RuleDescriptor StructureIdForm = new(
        "HDR-019", Severity.Error,
        "CI-SIS identifiants des structures (IdNat_Struct: 1+FINESS, 2+SIREN, 3+SIRET, 4+RPPS rang)");

    public static readonly RuleDescriptor LegalAuthenticator = new(
        "HDR-020", Severity.Error,
        "CI-SIS Structuration minimale (CI-SISLegalAuthenticator: 1..1, time 1..1, signatureCode[@code='S'], assignedEntity/id with @root and @extension)");

    public static readonly RuleDescriptor DocumentationOf = new(
        "HDR-021", Severity.Error,
        "CI-SIS Structuration minimale (CI-SISDocumentationOf: ≥1; first serviceEvent: performer 1..1, effectiveTime 1..1 with low/@value)");

    public static readonly RuleDescriptor ComponentOf = new(
        "HDR-022", Severity.Error,
        "CI-SIS Structuration minimale (CI-SISComponentOf: encompassingEncounter 1..1, effectiveTime 1..1, location/healthCareFacility/code 1..1 with @code, @codeSystem, @displayName)");

    public static readonly RuleDescriptor FacilityCode = new(
        "HDR-023", Severity.Error,
        "CI-SIS Structuration minimale; ANS NOS JDV_J02-XdsHealthcareFacilityTypeCode-CISIS (1.2.250.1.213.1.1.5.466), TRE_R02-SecteurActivite (1.2.250.1.71.4.2.4)");

    public static readonly RuleDescriptor ClassMood = new(
        "HDR-024", Severity.Error,
        "HL7 CDA R2 (ClinicalDocument classCode DOCCLIN, moodCode EVN); CI-SIS Structuration minimale");

    public const string RppsRoot = "1.2.250.1.71.4.2.1";
    public const string StructRoot = "1.2.250.1.71.4.2.2";
    public const string PatientHostRoot = "1.2.250.1.213.4.1";
    public const string ConfidentialitySystem = "2.16.840.1.113883.5.25";

    private readonly ValueSet _confidentiality = data.ValueSet("confidentiality");
    private readonly ValueSet _j02 = data.ValueSet("J02-healthcarefacility");

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var root = doc.Root;
        var realms = root.Els("realmCode").ToList();
        if (realms.Count == 0) sink.Report(RealmCode, doc.Missing(root, "realmCode"), "missing");
        else if (realms.Count > 1) sink.Report(RealmCode, doc.Loc(realms[1]), $"{realms.Count} elements, expected 1");
        else if (realms[0].Attr("code") != "FR") sink.Report(RealmCode, doc.Loc(realms[0]), $"code is '{realms[0].Attr("code")}', expected 'FR'");

        var typeIds = root.Els("typeId").ToList();
        var typeId = typeIds.FirstOrDefault();
        if (typeIds.Count > 1) sink.Report(TypeId, doc.Loc(typeIds[1]), $"{typeIds.Count} elements, expected 1");
        if (root.Attr("classCode") is { } cc && cc != "DOCCLIN") sink.Report(ClassMood, doc.Loc(root.Attribute("classCode")), "classCode", Short(cc), "DOCCLIN");
        if (root.Attr("moodCode") is { } mc && mc != "EVN") sink.Report(ClassMood, doc.Loc(root.Attribute("moodCode")), "moodCode", Short(mc), "EVN");
        if (typeId is null) sink.Report(TypeId, doc.Missing(root, "typeId"), "missing");
        else if (typeId.Attr("root") != "2.16.840.1.113883.1.3" || typeId.Attr("extension") != "POCD_HD000040")
            sink.Report(TypeId, doc.Loc(typeId), $"root '{typeId.Attr("root")}' extension '{typeId.Attr("extension")}'");

        var templates = root.Els("templateId").ToList();
        result.TemplateIds = templates.Select(t => t.Attr("root") ?? "").Where(r => r.Length > 0).ToArray();
        int France = templates.Count(t => t.Attr("root") == HL7France);
        int sm = templates.Count(t => t.Attr("root") == StrucMin);
        if (France != 1) sink.Report(TemplateIds, France == 0 ? doc.Missing(root, "templateId") : doc.Loc(templates.First(t => t.Attr("root") == HL7France)), $"{HL7France} appears {France} times, expected once");
        if (sm != 1) sink.Report(TemplateIds, sm == 0 ? doc.Missing(root, "templateId") : doc.Loc(templates.First(t => t.Attr("root") == StrucMin)), $"{StrucMin} appears {sm} times, expected once");
        bool volet = templates.Any(t => t.Attr("root") is { } r && r != HL7France && r != StrucMin);
        if (!volet)
            sink.Report(TemplateIds, doc.Missing(root, "templateId"), "no volet templateId besides HL7 France and Structuration minimale");
        CheckLevelTemplates(doc, templates, sink, France == 1 && sm == 1 && volet);

        CheckId(doc, result, sink);
        CheckTitle(doc, result, sink);
        CheckEffectiveTime(doc, result, sink);
        CheckConfidentiality(doc, sink);
        CheckLanguage(doc, sink);
        CheckSetAndVersion(doc, sink);
        CheckRecordTarget(doc, sink, ctx);
        CheckAuthors(doc, sink, ctx);
        CheckCustodian(doc, sink);
        CheckLegalAuthenticator(doc, sink);
        CheckDocumentationOf(doc, sink);
        CheckComponentOf(doc, sink);
    }


    private static IEnumerable<XElement> NonNull(IEnumerable<XElement> es) => es.Where(e => !e.HasNullFlavor());

    /// <summary>Reports HDR-007 / HDR-008 for a TS value. Returns true when the value is valid.</summary>
    internal static bool CheckTs(CdaDocument doc, FindingSink sink, XElement? e, string name, bool requireValue = true)
    {
        if (e is null) return false;
        var attr = e.Attribute("value");
        if (attr is null)
        {
            if (requireValue && !e.HasNullFlavor()) sink.Report(TimestampSyntax, doc.Loc(e), name, "", "no @value");
            return false;
        }
        var r = HlTs.Check(attr.Value, out var hasTime, out var hasZone);
        if (r != HlTs.Result.Valid)
        {
            sink.Report(TimestampSyntax, doc.Loc(attr), name, Short(attr.Value), r == HlTs.Result.BadSyntax ? "syntax" : "no such date or time");
            return false;
        }
        if (hasTime && !hasZone) sink.Report(TimeZoneMissing, doc.Loc(attr), name, attr.Value);
        return true;
    }

    private static string Short(string v) => v.Length > 40 ? v[..40] + "…" : v;

    private static void CheckId(CdaDocument doc, DocumentResult result, FindingSink sink)
    {
        var ids = doc.Root.Els("id").ToList();
        if (ids.Count == 0) { sink.Report(DocumentId, doc.Missing(doc.Root, "id"), "missing"); return; }
        if (ids.Count > 1) sink.Report(DocumentId, doc.Loc(ids[1]), $"{ids.Count} elements, expected 1");
        var id = ids[0];
        if (id.HasNullFlavor()) { sink.Report(DocumentId, doc.Loc(id), "nullFlavor is not allowed"); return; }
        var r = id.Attr("root");
        if (!Uid.IsUid(r)) { sink.Report(DocumentId, doc.Loc(id), r is null ? "no @root" : $"@root '{Short(r)}' is not an OID, UUID or RUID"); return; }
        var ext = id.Attr("extension");
        result.DocumentId = string.IsNullOrEmpty(ext) ? r : r + "^" + ext;
    }

    private static void CheckTitle(CdaDocument doc, DocumentResult result, FindingSink sink)
    {
        var titles = doc.Root.Els("title").ToList();
        if (titles.Count == 0) { sink.Report(Title, doc.Missing(doc.Root, "title"), "missing"); return; }
        if (titles.Count > 1) sink.Report(Title, doc.Loc(titles[1]), $"{titles.Count} elements, expected 1");
        if (titles[0].HasNullFlavor()) { sink.Report(Title, doc.Loc(titles[0]), "nullFlavor is not allowed"); return; }
        var t = titles[0].Text();
        if (t is null) sink.Report(Title, doc.Loc(titles[0]), "empty");
        result.Title = t;
    }

    private static void CheckEffectiveTime(CdaDocument doc, DocumentResult result, FindingSink sink)
    {
        var ets = doc.Root.Els("effectiveTime").ToList();
        if (ets.Count == 0) { sink.Report(EffectiveTime, doc.Missing(doc.Root, "effectiveTime"), "missing"); return; }
        if (ets.Count > 1) sink.Report(EffectiveTime, doc.Loc(ets[1]), $"{ets.Count} elements, expected 1");
        var et = ets[0];
        if (et.HasNullFlavor() || et.Attribute("value") is null) { sink.Report(EffectiveTime, doc.Loc(et), et.HasNullFlavor() ? "nullFlavor is not allowed" : "no @value"); return; }
        if (CheckTs(doc, sink, et, "effectiveTime")) result.EffectiveTime = et.Attr("value");
    }

    private void CheckConfidentiality(CdaDocument doc, FindingSink sink)
    {
        var cs = doc.Root.Els("confidentialityCode").ToList();
        if (cs.Count == 0) { sink.Report(Confidentiality, doc.Missing(doc.Root, "confidentialityCode"), "missing"); return; }
        if (cs.Count > 1) sink.Report(Confidentiality, doc.Loc(cs[1]), $"{cs.Count} elements, expected 1");
        var c = cs[0];
        var code = c.Attr("code");
        if (code is null) { sink.Report(Confidentiality, doc.Loc(c), c.HasNullFlavor() ? "nullFlavor is not allowed" : "no @code"); return; }
        if (!_confidentiality.Contains(code)) { sink.Report(Confidentiality, doc.Loc(c.Attribute("code")), $"code '{Short(code)}' is not in {_confidentiality.Oid} (N, R, V…)"); return; }
        var system = c.Attr("codeSystem");
        if (system != ConfidentialitySystem) sink.Report(Confidentiality, system is null ? doc.Loc(c) : doc.Loc(c.Attribute("codeSystem")), system is null ? "no @codeSystem" : $"codeSystem '{Short(system)}', expected {ConfidentialitySystem}");
        if (c.Attr("displayName") is null) sink.Report(Confidentiality, Severity.Warning, doc.Loc(c), "no @displayName");
    }

    private static void CheckLanguage(CdaDocument doc, FindingSink sink)
    {
        var ls = doc.Root.Els("languageCode").ToList();
        if (ls.Count == 0) { sink.Report(LanguageCode, doc.Missing(doc.Root, "languageCode"), "missing"); return; }
        if (ls.Count > 1) sink.Report(LanguageCode, doc.Loc(ls[1]), $"{ls.Count} elements, expected 1");
        var code = ls[0].Attr("code");
        if (code is null) sink.Report(LanguageCode, doc.Loc(ls[0]), "no @code");
        else if (!LanguagePattern().IsMatch(code)) sink.Report(LanguageCode, doc.Loc(ls[0].Attribute("code")), $"'{Short(code)}' is not of the form ll-CC (fr-FR)");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]{2}-[A-Z]{2}$")]
    private static partial System.Text.RegularExpressions.Regex LanguagePattern();

    private static void CheckSetAndVersion(CdaDocument doc, FindingSink sink)
    {
        var sets = doc.Root.Els("setId").ToList();
        if (sets.Count == 0) sink.Report(SetId, doc.Missing(doc.Root, "setId"), "missing");
        else
        {
            if (sets.Count > 1) sink.Report(SetId, doc.Loc(sets[1]), $"{sets.Count} elements, expected 1");
            var r = sets[0].Attr("root");
            if (sets[0].HasNullFlavor()) sink.Report(SetId, doc.Loc(sets[0]), "nullFlavor is not allowed");
            else if (!Uid.IsUid(r)) sink.Report(SetId, doc.Loc(sets[0]), r is null ? "no @root" : $"@root '{Short(r)}' is not an OID, UUID or RUID");
        }
        var vs = doc.Root.Els("versionNumber").ToList();
        if (vs.Count == 0) { sink.Report(VersionNumber, doc.Missing(doc.Root, "versionNumber"), "missing"); return; }
        if (vs.Count > 1) sink.Report(VersionNumber, doc.Loc(vs[1]), $"{vs.Count} elements, expected 1");
        var v = vs[0].Attr("value");
        if (v is null) { sink.Report(VersionNumber, doc.Loc(vs[0]), vs[0].HasNullFlavor() ? "nullFlavor is not allowed" : "no @value"); return; }
        if (!int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            sink.Report(VersionNumber, doc.Loc(vs[0].Attribute("value")), $"@value '{Short(v)}' is not a positive integer");
            return;
        }
        var rplc = doc.Root.Els("relatedDocument").Where(r => r.Attr("typeCode") == "RPLC").ToList();
        if (rplc.Count > 1) sink.Report(VersionWithoutRplc, Severity.Error, doc.Loc(rplc[1]), n, $"{rplc.Count} relatedDocument RPLC are given (at most 1)");
        if (n > 1 && rplc.Count == 0) sink.Report(VersionWithoutRplc, doc.Loc(vs[0]), n, "no relatedDocument[@typeCode='RPLC'] names the replaced version");
    }

    private static void CheckRecordTarget(CdaDocument doc, FindingSink sink, ValidationContext ctx)
    {
        var rts = doc.Root.Els("recordTarget").ToList();
        if (rts.Count == 0) { sink.Report(RecordTarget, doc.Missing(doc.Root, "recordTarget"), "missing"); return; }
        if (rts.Count > 1) sink.Report(RecordTarget, doc.Loc(rts[1]), $"{rts.Count} elements, expected 1");
        var role = rts[0].El("patientRole");
        if (role is null) { sink.Report(RecordTarget, doc.Missing(rts[0], "patientRole"), "no patientRole"); return; }
        var ids = role.Els("id").ToList();
        if (ids.Count == 0) sink.Report(RecordTarget, doc.Missing(role, "id"), "patientRole has no id");
        foreach (var id in ids)
        {
            ctx.CheckBudget();
            if (id.HasNullFlavor()) continue;
            if (!Uid.IsUid(id.Attr("root")) || string.IsNullOrWhiteSpace(id.Attr("extension")))
                sink.Report(RecordTarget, doc.Loc(id), "a patientRole/id needs a uid @root and an @extension");
        }
        var patient = role.El("patient");
        if (patient is null) { sink.Report(RecordTarget, doc.Missing(role, "patient"), "no patient"); return; }
        var names = patient.Els("name").ToList();
        if (names.Count != 1) sink.Report(RecordTarget, names.Count == 0 ? doc.Missing(patient, "name") : doc.Loc(names[1]), $"patient has {names.Count} name elements, expected 1");
        else if (!names[0].HasNullFlavor() && (names[0].El("family") is null || names[0].El("given") is null))
            sink.Report(RecordTarget, doc.Loc(names[0]), "patient/name needs at least one family and one given");
        if (patient.El("administrativeGenderCode") is null) sink.Report(RecordTarget, doc.Missing(patient, "administrativeGenderCode"), "patient/administrativeGenderCode is required (1..1)");
        var bt = patient.El("birthTime");
        if (bt is null) sink.Report(RecordTarget, doc.Missing(patient, "birthTime"), "patient/birthTime is required (1..1)");
    }

    private static void CheckAuthors(CdaDocument doc, FindingSink sink, ValidationContext ctx)
    {
        var authors = doc.Root.Els("author").ToList();
        if (authors.Count == 0) { sink.Report(Author, doc.Missing(doc.Root, "author"), "missing (at least one author is required)"); return; }
        foreach (var a in authors)
        {
            ctx.CheckBudget();
            var time = a.El("time");
            if (time is null) sink.Report(Author, doc.Missing(a, "time"), "no time");
            else CheckTs(doc, sink, time, "author/time");
            var aa = a.El("assignedAuthor");
            if (aa is null) { sink.Report(Author, doc.Missing(a, "assignedAuthor"), "no assignedAuthor"); continue; }
            var ids = aa.Els("id").ToList();
            if (ids.Count == 0) sink.Report(Author, doc.Missing(aa, "id"), "assignedAuthor has no id");
            foreach (var id in ids)
            {
                if (id.HasNullFlavor()) sink.Report(Author, doc.Loc(id), "assignedAuthor/id has a nullFlavor");
                else if (!Uid.IsUid(id.Attr("root")) || string.IsNullOrWhiteSpace(id.Attr("extension")))
                    sink.Report(Author, doc.Loc(id), "assignedAuthor/id needs a uid @root and an @extension");
                else CheckPsId(doc, sink, id, "author/assignedAuthor/id");
            }
            if (aa.El("assignedPerson") is null && aa.El("assignedAuthoringDevice") is null)
                sink.Report(Author, doc.Missing(aa, "assignedPerson"), "neither assignedPerson nor assignedAuthoringDevice");
        }
    }

    /// <summary>IdNat_PS form under 1.2.250.1.71.4.2.1 (HDR-016) and the RPPS Luhn key (HDR-017, warning).</summary>
    internal static void CheckPsId(CdaDocument doc, FindingSink sink, XElement id, string name)
    {
        if (id.Attr("root") != RppsRoot) return;
        var ext = id.Attr("extension") ?? "";
        var at = doc.Loc(id.Attribute("extension") ?? (XObject)id);
        if (ext.Length == 0) { sink.Report(PsIdForm, at, name, ext, "empty"); return; }
        switch (ext[0])
        {
            case '8':
                if (!AllDigits(ext, 1) || ext.Length != 12) sink.Report(PsIdForm, at, name, Short(ext), "prefix 8 must be followed by the 11 digits of the RPPS number");
                else if (!Uid.LuhnValid(ext[1..])) sink.Report(RppsLuhn, at, name);
                break;
            case '0':
                if (ext.Length != 10) sink.Report(PsIdForm, at, name, Short(ext), "prefix 0 must be followed by the 9 characters of the ADELI number");
                break;
            case '1' or '3' or '4' or '5' or '6':
                break; // structure id + '/' + local id: the structure part is not checked here
            default:
                sink.Report(PsIdForm, at, name, Short(ext), "the first character must be 8 (RPPS), 0 (ADELI) or 1/3/4/5/6 (structure + local id)");
                break;
        }
    }

    private static bool AllDigits(string s, int from)
    {
        for (int i = from; i < s.Length; i++) if (s[i] is < '0' or > '9') return false;
        return s.Length > from;
    }

    private static void CheckCustodian(CdaDocument doc, FindingSink sink)
    {
        var cs = doc.Root.Els("custodian").ToList();
        if (cs.Count == 0) { sink.Report(Custodian, doc.Missing(doc.Root, "custodian"), "missing"); return; }
        if (cs.Count > 1) sink.Report(Custodian, doc.Loc(cs[1]), $"{cs.Count} elements, expected 1");
        var org = cs[0].Path("assignedCustodian/representedCustodianOrganization");
        if (org is null) { sink.Report(Custodian, doc.Missing(cs[0], "assignedCustodian/representedCustodianOrganization"), "no assignedCustodian/representedCustodianOrganization"); return; }
        var ids = org.Els("id").ToList();
        if (ids.Count != 1) { sink.Report(Custodian, ids.Count == 0 ? doc.Missing(org, "id") : doc.Loc(ids[1]), $"representedCustodianOrganization has {ids.Count} id elements, expected 1"); if (ids.Count == 0) return; }
        var id = ids[0];
        var root = id.Attr("root");
        if (root != StructRoot && root != PatientHostRoot)
        {
            sink.Report(Custodian, doc.Loc(id), root is null ? "id has no @root" : $"id root '{Short(root)}' is neither {StructRoot} nor {PatientHostRoot}");
            return;
        }
        var ext = id.Attr("extension");
        if (string.IsNullOrWhiteSpace(ext)) { sink.Report(Custodian, doc.Loc(id), "id has no @extension"); return; }
        if (root == StructRoot) CheckStructureId(doc, sink, id, "custodian/…/representedCustodianOrganization/id");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^(?:[0-9]{2}|2[AB])[0-9]{7}$")]
    private static partial System.Text.RegularExpressions.Regex FinessPattern();

    /// <summary>IdNat_Struct with prefix 1: 1 + FINESS (9 characters).</summary>
    internal static void CheckStructureId(CdaDocument doc, FindingSink sink, XElement id, string name)
    {
        var ext = id.Attr("extension") ?? "";
        if (ext.Length == 0 || ext[0] != '1') return;
        var finess = ext[1..];
        if (!FinessPattern().IsMatch(finess))
            sink.Report(StructureIdForm, doc.Loc(id.Attribute("extension") ?? (XObject)id), name, Short(ext),
                finess.Length != 9 ? $"the FINESS part has {finess.Length} characters instead of 9" : "the FINESS part is not 9 digits (2A/2B allowed first)");
    }

    private static void CheckLegalAuthenticator(CdaDocument doc, FindingSink sink)
    {
        var las = doc.Root.Els("legalAuthenticator").ToList();
        if (las.Count == 0) { sink.Report(LegalAuthenticator, doc.Missing(doc.Root, "legalAuthenticator"), "missing"); return; }
        if (las.Count > 1) sink.Report(LegalAuthenticator, doc.Loc(las[1]), $"{las.Count} elements, expected 1");
        var la = las[0];
        var time = la.El("time");
        if (time is null) sink.Report(LegalAuthenticator, doc.Missing(la, "time"), "no time");
        else if (time.HasNullFlavor() || time.Attribute("value") is null) sink.Report(LegalAuthenticator, doc.Loc(time), "time has no @value");
        else CheckTs(doc, sink, time, "legalAuthenticator/time");
        var sig = la.El("signatureCode");
        if (sig is null) sink.Report(LegalAuthenticator, doc.Missing(la, "signatureCode"), "no signatureCode");
        else if (sig.Attr("code") != "S") sink.Report(LegalAuthenticator, doc.Loc(sig), $"signatureCode is '{Short(sig.Attr("code") ?? "")}', expected 'S'");
        var ae = la.El("assignedEntity");
        if (ae is null) { sink.Report(LegalAuthenticator, doc.Missing(la, "assignedEntity"), "no assignedEntity"); return; }
        var ids = ae.Els("id").ToList();
        if (ids.Count == 0) sink.Report(LegalAuthenticator, doc.Missing(ae, "id"), "assignedEntity has no id");
        foreach (var id in ids)
        {
            if (id.HasNullFlavor() || !Uid.IsUid(id.Attr("root")) || string.IsNullOrWhiteSpace(id.Attr("extension")))
                sink.Report(LegalAuthenticator, doc.Loc(id), "assignedEntity/id needs a uid @root and an @extension");
            else CheckPsId(doc, sink, id, "legalAuthenticator/assignedEntity/id");
        }
    }

    private static void CheckDocumentationOf(CdaDocument doc, FindingSink sink)
    {
        var docs = doc.Root.Els("documentationOf").ToList();
        if (docs.Count == 0) { sink.Report(DocumentationOf, doc.Missing(doc.Root, "documentationOf"), "missing (at least one documentationOf/serviceEvent is required)"); return; }
        var se = docs[0].El("serviceEvent");
        if (se is null) { sink.Report(DocumentationOf, doc.Missing(docs[0], "serviceEvent"), "the first documentationOf has no serviceEvent"); return; }
        var performers = se.Els("performer").ToList();
        if (performers.Count != 1) sink.Report(DocumentationOf, performers.Count == 0 ? doc.Missing(se, "performer") : doc.Loc(performers[1]), $"the first serviceEvent has {performers.Count} performer elements, expected 1");
        else if (performers[0].El("assignedEntity") is null) sink.Report(DocumentationOf, doc.Missing(performers[0], "assignedEntity"), "the performer has no assignedEntity");
        else
        {
            var pids = performers[0].El("assignedEntity").Els("id").ToList();
            if (pids.Count == 0) sink.Report(DocumentationOf, doc.Missing(performers[0].El("assignedEntity"), "id"), "the performer's assignedEntity has no id");
            foreach (var id in pids)
            {
                if (id.HasNullFlavor()) continue;
                if (!Uid.IsUid(id.Attr("root"))) sink.Report(DocumentationOf, doc.Loc(id), "the performer's assignedEntity/id has no uid @root");
                else CheckPsId(doc, sink, id, "documentationOf/serviceEvent/performer/assignedEntity/id");
            }
        }
        var ets = se.Els("effectiveTime").ToList();
        if (ets.Count != 1) { sink.Report(DocumentationOf, ets.Count == 0 ? doc.Missing(se, "effectiveTime") : doc.Loc(ets[1]), $"the first serviceEvent has {ets.Count} effectiveTime elements, expected 1"); return; }
        CheckInterval(doc, sink, ets[0], DocumentationOf, "documentationOf/serviceEvent/effectiveTime");
    }

    /// <summary>An IVL_TS that must give a start: @value or low/@value (valid TS).</summary>
    private static void CheckInterval(CdaDocument doc, FindingSink sink, XElement et, RuleDescriptor rule, string name)
    {
        if (et.HasNullFlavor()) { sink.Report(rule, doc.Loc(et), name + " has a nullFlavor"); return; }
        var low = et.El("low");
        if (et.Attribute("value") is not null) { CheckTs(doc, sink, et, name); return; }
        if (low is null || low.Attribute("value") is null) { sink.Report(rule, low is null ? doc.Missing(et, "low") : doc.Loc(low), name + " has no low/@value"); return; }
        CheckTs(doc, sink, low, name + "/low");
        var high = et.El("high");
        if (high?.Attribute("value") is not null) CheckTs(doc, sink, high, name + "/high");
    }

    private void CheckComponentOf(CdaDocument doc, FindingSink sink)
    {
        var cos = doc.Root.Els("componentOf").ToList();
        if (cos.Count == 0) { sink.Report(ComponentOf, doc.Missing(doc.Root, "componentOf"), "missing"); return; }
        if (cos.Count > 1) sink.Report(ComponentOf, doc.Loc(cos[1]), $"{cos.Count} componentOf elements, expected 1");
        var enc = cos[0].El("encompassingEncounter");
        if (enc is null) { sink.Report(ComponentOf, doc.Missing(cos[0], "encompassingEncounter"), "no encompassingEncounter"); return; }
        var ets = enc.Els("effectiveTime").ToList();
        if (ets.Count != 1) sink.Report(ComponentOf, ets.Count == 0 ? doc.Missing(enc, "effectiveTime") : doc.Loc(ets[1]), $"encompassingEncounter has {ets.Count} effectiveTime elements, expected 1");
        else
        {
            // SM requires the element only (ANS examples use nullFlavor NA or only a high); given values must be valid TS.
            var et = ets[0];
            if (et.Attribute("value") is not null) CheckTs(doc, sink, et, "encompassingEncounter/effectiveTime");
            foreach (var bound in new[] { "low", "high" })
                if (et.El(bound) is { } b && b.Attribute("value") is not null) CheckTs(doc, sink, b, "encompassingEncounter/effectiveTime/" + bound);
            if (!et.HasNullFlavor() && et.Attribute("value") is null && et.El("low")?.Attribute("value") is null && et.El("high")?.Attribute("value") is null)
                sink.Report(ComponentOf, doc.Loc(et), "encompassingEncounter/effectiveTime gives no @value, low or high (use a nullFlavor if unknown)");
        }
        var hcf = enc.Path("location/healthCareFacility");
        if (hcf is null) { sink.Report(ComponentOf, doc.Missing(enc, "location/healthCareFacility"), "no location/healthCareFacility"); return; }
        var code = hcf.El("code");
        if (code is null) { sink.Report(ComponentOf, doc.Missing(hcf, "code"), "healthCareFacility has no code"); return; }
        var c = code.Attr("code");
        var cs = code.Attr("codeSystem");
        if (c is null || cs is null) { sink.Report(ComponentOf, doc.Loc(code), "healthCareFacility/code needs @code and @codeSystem" + (code.HasNullFlavor() ? " (nullFlavor is not allowed)" : "")); return; }
        var concept = _j02.Find(c);
        if (concept is null) sink.Report(FacilityCode, doc.Loc(code.Attribute("code")), Short(c), Short(cs), "is not in JDV_J02", _j02.Version);
        else if (concept.CodeSystem == "1.2.250.1.71.4.2.4" && cs != concept.CodeSystem)
            sink.Report(FacilityCode, doc.Loc(code.Attribute("codeSystem")), c, Short(cs), "has the wrong codeSystem (expected 1.2.250.1.71.4.2.4, TRE_R02-SecteurActivite)", _j02.Version);
        if (code.Attr("displayName") is null) sink.Report(ComponentOf, doc.Loc(code), "healthCareFacility/code has no @displayName");
    }

    /// <summary>N1 (nonXMLBody): exactly HL7 France, StrucMin and XDS-SD; N3: no XDS-SD templateId (HDR-003).</summary>
    private static void CheckLevelTemplates(CdaDocument doc, List<XElement> templates, FindingSink sink, bool otherwiseValid)
    {
        var body = doc.Root.El("component");
        var roots = templates.Select(t => t.Attr("root") ?? "").ToList();
        if (body.El("nonXMLBody") is not null)
        {
            var extra = templates.Where(t => t.Attr("root") is not (HL7France or StrucMin or XdsSd)).ToList();
            if (!roots.Contains(XdsSd))
                sink.Report(TemplateIds, doc.Missing(doc.Root, "templateId"), $"a non-structured (N1) document needs {XdsSd} (IHE XDS-SD)");
            if (extra.Count > 0)
                sink.Report(TemplateIds, doc.Loc(extra[0]), $"a non-structured (N1) document has exactly the templateIds {HL7France}, {StrucMin} and {XdsSd}; XDS-SD replaces the volet templateId, found '{Short(extra[0].Attr("root") ?? "")}'");
            else if (roots.Contains(XdsSd) && otherwiseValid && templates.Count != 3)
                sink.Report(TemplateIds, doc.Loc(templates[^1]), $"a non-structured (N1) document has exactly 3 templateIds, found {templates.Count}");
        }
        else if (body.El("structuredBody") is not null && roots.Contains(XdsSd))
            sink.Report(TemplateIds, doc.Loc(templates.First(t => t.Attr("root") == XdsSd)), $"a structured (N3) document must not declare {XdsSd} (IHE XDS-SD is for non-structured documents)");
    }
}
