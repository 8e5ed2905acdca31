using CdaCheck.Core.Localization;
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
        if (realms.Count == 0) sink.Report(RealmCode, doc.Missing(root, "realmCode"), Detail.Missing);
        else if (realms.Count > 1) sink.Report(RealmCode, doc.Loc(realms[1]), Detail.Count(realms.Count));
        else if (realms[0].Attr("code") != "FR") sink.Report(RealmCode, doc.Loc(realms[0]), new Phrase("hdr.d.001", realms[0].Attr("code")));

        var typeIds = root.Els("typeId").ToList();
        var typeId = typeIds.FirstOrDefault();
        if (typeIds.Count > 1) sink.Report(TypeId, doc.Loc(typeIds[1]), Detail.Count(typeIds.Count));
        if (root.Attr("classCode") is { } cc && cc != "DOCCLIN") sink.Report(ClassMood, doc.Loc(root.Attribute("classCode")), "classCode", Short(cc), "DOCCLIN");
        if (root.Attr("moodCode") is { } mc && mc != "EVN") sink.Report(ClassMood, doc.Loc(root.Attribute("moodCode")), "moodCode", Short(mc), "EVN");
        if (typeId is null) sink.Report(TypeId, doc.Missing(root, "typeId"), Detail.Missing);
        else if (typeId.Attr("root") != "2.16.840.1.113883.1.3" || typeId.Attr("extension") != "POCD_HD000040")
            sink.Report(TypeId, doc.Loc(typeId), new Phrase("hdr.d.002", typeId.Attr("root"), typeId.Attr("extension")));

        var templates = root.Els("templateId").ToList();
        result.TemplateIds = templates.Select(t => t.Attr("root") ?? "").Where(r => r.Length > 0).ToArray();
        int France = templates.Count(t => t.Attr("root") == HL7France);
        int sm = templates.Count(t => t.Attr("root") == StrucMin);
        if (France != 1) sink.Report(TemplateIds, France == 0 ? doc.Missing(root, "templateId") : doc.Loc(templates.First(t => t.Attr("root") == HL7France)), new Phrase("hdr.d.003", HL7France, France));
        if (sm != 1) sink.Report(TemplateIds, sm == 0 ? doc.Missing(root, "templateId") : doc.Loc(templates.First(t => t.Attr("root") == StrucMin)), new Phrase("hdr.d.003", StrucMin, sm));
        bool volet = templates.Any(t => t.Attr("root") is { } r && r != HL7France && r != StrucMin);
        if (!volet)
            sink.Report(TemplateIds, doc.Missing(root, "templateId"), new Phrase("hdr.d.004"));
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
            if (requireValue && !e.HasNullFlavor()) sink.Report(TimestampSyntax, doc.Loc(e), name, "", Detail.NoValue);
            return false;
        }
        var r = HlTs.Check(attr.Value, out var hasTime, out var hasZone);
        if (r != HlTs.Result.Valid)
        {
            sink.Report(TimestampSyntax, doc.Loc(attr), name, Short(attr.Value), r == HlTs.Result.BadSyntax ? new Phrase("hdr.d.069") : new Phrase("hdr.d.005"));
            return false;
        }
        if (hasTime && !hasZone) sink.Report(TimeZoneMissing, doc.Loc(attr), name, attr.Value);
        return true;
    }

    private static string Short(string v) => v.Length > 40 ? v[..40] + "…" : v;

    private static void CheckId(CdaDocument doc, DocumentResult result, FindingSink sink)
    {
        var ids = doc.Root.Els("id").ToList();
        if (ids.Count == 0) { sink.Report(DocumentId, doc.Missing(doc.Root, "id"), Detail.Missing); return; }
        if (ids.Count > 1) sink.Report(DocumentId, doc.Loc(ids[1]), Detail.Count(ids.Count));
        var id = ids[0];
        if (id.HasNullFlavor()) { sink.Report(DocumentId, doc.Loc(id), Detail.NullFlavor); return; }
        var r = id.Attr("root");
        if (!Uid.IsUid(r)) { sink.Report(DocumentId, doc.Loc(id), r is null ? Detail.NoRoot : new Phrase("hdr.d.006", Short(r))); return; }
        var ext = id.Attr("extension");
        result.DocumentId = string.IsNullOrEmpty(ext) ? r : r + "^" + ext;
    }

    private static void CheckTitle(CdaDocument doc, DocumentResult result, FindingSink sink)
    {
        var titles = doc.Root.Els("title").ToList();
        if (titles.Count == 0) { sink.Report(Title, doc.Missing(doc.Root, "title"), Detail.Missing); return; }
        if (titles.Count > 1) sink.Report(Title, doc.Loc(titles[1]), Detail.Count(titles.Count));
        if (titles[0].HasNullFlavor()) { sink.Report(Title, doc.Loc(titles[0]), Detail.NullFlavor); return; }
        var t = titles[0].Text();
        if (t is null) sink.Report(Title, doc.Loc(titles[0]), Detail.Empty);
        result.Title = t;
    }

    private static void CheckEffectiveTime(CdaDocument doc, DocumentResult result, FindingSink sink)
    {
        var ets = doc.Root.Els("effectiveTime").ToList();
        if (ets.Count == 0) { sink.Report(EffectiveTime, doc.Missing(doc.Root, "effectiveTime"), Detail.Missing); return; }
        if (ets.Count > 1) sink.Report(EffectiveTime, doc.Loc(ets[1]), Detail.Count(ets.Count));
        var et = ets[0];
        if (et.HasNullFlavor() || et.Attribute("value") is null) { sink.Report(EffectiveTime, doc.Loc(et), et.HasNullFlavor() ? Detail.NullFlavor : Detail.NoValue); return; }
        if (CheckTs(doc, sink, et, "effectiveTime")) result.EffectiveTime = et.Attr("value");
    }

    private void CheckConfidentiality(CdaDocument doc, FindingSink sink)
    {
        var cs = doc.Root.Els("confidentialityCode").ToList();
        if (cs.Count == 0) { sink.Report(Confidentiality, doc.Missing(doc.Root, "confidentialityCode"), Detail.Missing); return; }
        if (cs.Count > 1) sink.Report(Confidentiality, doc.Loc(cs[1]), Detail.Count(cs.Count));
        var c = cs[0];
        var code = c.Attr("code");
        if (code is null) { sink.Report(Confidentiality, doc.Loc(c), c.HasNullFlavor() ? Detail.NullFlavor : Detail.NoCode); return; }
        if (!_confidentiality.Contains(code)) { sink.Report(Confidentiality, doc.Loc(c.Attribute("code")), new Phrase("hdr.d.007", Short(code), _confidentiality.Oid)); return; }
        var system = c.Attr("codeSystem");
        if (system != ConfidentialitySystem) sink.Report(Confidentiality, system is null ? doc.Loc(c) : doc.Loc(c.Attribute("codeSystem")), system is null ? new Phrase("hdr.d.008") : new Phrase("hdr.d.009", Short(system), ConfidentialitySystem));
        if (c.Attr("displayName") is null) sink.Report(Confidentiality, Severity.Warning, doc.Loc(c), new Phrase("hdr.d.010"));
    }

    private static void CheckLanguage(CdaDocument doc, FindingSink sink)
    {
        var ls = doc.Root.Els("languageCode").ToList();
        if (ls.Count == 0) { sink.Report(LanguageCode, doc.Missing(doc.Root, "languageCode"), Detail.Missing); return; }
        if (ls.Count > 1) sink.Report(LanguageCode, doc.Loc(ls[1]), Detail.Count(ls.Count));
        var code = ls[0].Attr("code");
        if (code is null) sink.Report(LanguageCode, doc.Loc(ls[0]), Detail.NoCode);
        else if (!LanguagePattern().IsMatch(code)) sink.Report(LanguageCode, doc.Loc(ls[0].Attribute("code")), new Phrase("hdr.d.011", Short(code)));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]{2}-[A-Z]{2}$")]
    private static partial System.Text.RegularExpressions.Regex LanguagePattern();

    private static void CheckSetAndVersion(CdaDocument doc, FindingSink sink)
    {
        var sets = doc.Root.Els("setId").ToList();
        if (sets.Count == 0) sink.Report(SetId, doc.Missing(doc.Root, "setId"), Detail.Missing);
        else
        {
            if (sets.Count > 1) sink.Report(SetId, doc.Loc(sets[1]), Detail.Count(sets.Count));
            var r = sets[0].Attr("root");
            if (sets[0].HasNullFlavor()) sink.Report(SetId, doc.Loc(sets[0]), Detail.NullFlavor);
            else if (!Uid.IsUid(r)) sink.Report(SetId, doc.Loc(sets[0]), r is null ? Detail.NoRoot : new Phrase("hdr.d.006", Short(r)));
        }
        var vs = doc.Root.Els("versionNumber").ToList();
        if (vs.Count == 0) { sink.Report(VersionNumber, doc.Missing(doc.Root, "versionNumber"), Detail.Missing); return; }
        if (vs.Count > 1) sink.Report(VersionNumber, doc.Loc(vs[1]), Detail.Count(vs.Count));
        var v = vs[0].Attr("value");
        if (v is null) { sink.Report(VersionNumber, doc.Loc(vs[0]), vs[0].HasNullFlavor() ? Detail.NullFlavor : Detail.NoValue); return; }
        if (!int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            sink.Report(VersionNumber, doc.Loc(vs[0].Attribute("value")), new Phrase("hdr.d.012", Short(v)));
            return;
        }
        var rplc = doc.Root.Els("relatedDocument").Where(r => r.Attr("typeCode") == "RPLC").ToList();
        if (rplc.Count > 1) sink.Report(VersionWithoutRplc, Severity.Error, doc.Loc(rplc[1]), n, new Phrase("hdr.d.013", rplc.Count));
        if (n > 1 && rplc.Count == 0) sink.Report(VersionWithoutRplc, doc.Loc(vs[0]), n, new Phrase("hdr.d.014"));
    }

    private static void CheckRecordTarget(CdaDocument doc, FindingSink sink, ValidationContext ctx)
    {
        var rts = doc.Root.Els("recordTarget").ToList();
        if (rts.Count == 0) { sink.Report(RecordTarget, doc.Missing(doc.Root, "recordTarget"), Detail.Missing); return; }
        if (rts.Count > 1) sink.Report(RecordTarget, doc.Loc(rts[1]), Detail.Count(rts.Count));
        var role = rts[0].El("patientRole");
        if (role is null) { sink.Report(RecordTarget, doc.Missing(rts[0], "patientRole"), new Phrase("hdr.d.015")); return; }
        var ids = role.Els("id").ToList();
        if (ids.Count == 0) sink.Report(RecordTarget, doc.Missing(role, "id"), new Phrase("hdr.d.016"));
        foreach (var id in ids)
        {
            ctx.CheckBudget();
            if (id.HasNullFlavor()) continue;
            if (!Uid.IsUid(id.Attr("root")) || string.IsNullOrWhiteSpace(id.Attr("extension")))
                sink.Report(RecordTarget, doc.Loc(id), new Phrase("hdr.d.017"));
        }
        var patient = role.El("patient");
        if (patient is null) { sink.Report(RecordTarget, doc.Missing(role, "patient"), new Phrase("hdr.d.018")); return; }
        var names = patient.Els("name").ToList();
        if (names.Count != 1) sink.Report(RecordTarget, names.Count == 0 ? doc.Missing(patient, "name") : doc.Loc(names[1]), new Phrase("hdr.d.019", names.Count));
        else if (!names[0].HasNullFlavor() && (names[0].El("family") is null || names[0].El("given") is null))
            sink.Report(RecordTarget, doc.Loc(names[0]), new Phrase("hdr.d.020"));
        if (patient.El("administrativeGenderCode") is null) sink.Report(RecordTarget, doc.Missing(patient, "administrativeGenderCode"), new Phrase("hdr.d.021"));
        var bt = patient.El("birthTime");
        if (bt is null) sink.Report(RecordTarget, doc.Missing(patient, "birthTime"), new Phrase("hdr.d.022"));
    }

    private static void CheckAuthors(CdaDocument doc, FindingSink sink, ValidationContext ctx)
    {
        var authors = doc.Root.Els("author").ToList();
        if (authors.Count == 0) { sink.Report(Author, doc.Missing(doc.Root, "author"), new Phrase("hdr.d.023")); return; }
        foreach (var a in authors)
        {
            ctx.CheckBudget();
            var time = a.El("time");
            if (time is null) sink.Report(Author, doc.Missing(a, "time"), Detail.NoTime);
            else CheckTs(doc, sink, time, "author/time");
            var aa = a.El("assignedAuthor");
            if (aa is null) { sink.Report(Author, doc.Missing(a, "assignedAuthor"), new Phrase("hdr.d.024")); continue; }
            var ids = aa.Els("id").ToList();
            if (ids.Count == 0) sink.Report(Author, doc.Missing(aa, "id"), new Phrase("hdr.d.025"));
            foreach (var id in ids)
            {
                if (id.HasNullFlavor()) sink.Report(Author, doc.Loc(id), new Phrase("hdr.d.026"));
                else if (!Uid.IsUid(id.Attr("root")) || string.IsNullOrWhiteSpace(id.Attr("extension")))
                    sink.Report(Author, doc.Loc(id), new Phrase("hdr.d.027"));
                else CheckPsId(doc, sink, id, "author/assignedAuthor/id");
            }
            if (aa.El("assignedPerson") is null && aa.El("assignedAuthoringDevice") is null)
                sink.Report(Author, doc.Missing(aa, "assignedPerson"), new Phrase("hdr.d.028"));
        }
    }

    /// <summary>IdNat_PS form under 1.2.250.1.71.4.2.1 (HDR-016) and the RPPS Luhn key (HDR-017, warning).</summary>
    internal static void CheckPsId(CdaDocument doc, FindingSink sink, XElement id, string name)
    {
        if (id.Attr("root") != RppsRoot) return;
        var ext = id.Attr("extension") ?? "";
        var at = doc.Loc(id.Attribute("extension") ?? (XObject)id);
        if (ext.Length == 0) { sink.Report(PsIdForm, at, name, ext, Detail.Empty); return; }
        switch (ext[0])
        {
            case '8':
                if (!AllDigits(ext, 1) || ext.Length != 12) sink.Report(PsIdForm, at, name, Short(ext), new Phrase("hdr.d.029"));
                else if (!Uid.LuhnValid(ext[1..])) sink.Report(RppsLuhn, at, name);
                break;
            case '0':
                if (ext.Length != 10) sink.Report(PsIdForm, at, name, Short(ext), new Phrase("hdr.d.030"));
                break;
            case '1' or '3' or '4' or '5' or '6':
                break; // structure id + '/' + local id: the structure part is not checked here
            default:
                sink.Report(PsIdForm, at, name, Short(ext), new Phrase("hdr.d.031"));
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
        if (cs.Count == 0) { sink.Report(Custodian, doc.Missing(doc.Root, "custodian"), Detail.Missing); return; }
        if (cs.Count > 1) sink.Report(Custodian, doc.Loc(cs[1]), Detail.Count(cs.Count));
        var org = cs[0].Path("assignedCustodian/representedCustodianOrganization");
        if (org is null) { sink.Report(Custodian, doc.Missing(cs[0], "assignedCustodian/representedCustodianOrganization"), new Phrase("hdr.d.032")); return; }
        var ids = org.Els("id").ToList();
        if (ids.Count != 1) { sink.Report(Custodian, ids.Count == 0 ? doc.Missing(org, "id") : doc.Loc(ids[1]), new Phrase("hdr.d.033", ids.Count)); if (ids.Count == 0) return; }
        var id = ids[0];
        var root = id.Attr("root");
        if (root != StructRoot && root != PatientHostRoot)
        {
            sink.Report(Custodian, doc.Loc(id), root is null ? new Phrase("hdr.d.034") : new Phrase("hdr.d.035", Short(root), StructRoot, PatientHostRoot));
            return;
        }
        var ext = id.Attr("extension");
        if (string.IsNullOrWhiteSpace(ext)) { sink.Report(Custodian, doc.Loc(id), new Phrase("hdr.d.036")); return; }
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
                finess.Length != 9 ? new Phrase("hdr.d.037", finess.Length) : new Phrase("hdr.d.038"));
    }

    private static void CheckLegalAuthenticator(CdaDocument doc, FindingSink sink)
    {
        var las = doc.Root.Els("legalAuthenticator").ToList();
        if (las.Count == 0) { sink.Report(LegalAuthenticator, doc.Missing(doc.Root, "legalAuthenticator"), Detail.Missing); return; }
        if (las.Count > 1) sink.Report(LegalAuthenticator, doc.Loc(las[1]), Detail.Count(las.Count));
        var la = las[0];
        var time = la.El("time");
        if (time is null) sink.Report(LegalAuthenticator, doc.Missing(la, "time"), Detail.NoTime);
        else if (time.HasNullFlavor() || time.Attribute("value") is null) sink.Report(LegalAuthenticator, doc.Loc(time), new Phrase("hdr.d.039"));
        else CheckTs(doc, sink, time, "legalAuthenticator/time");
        var sig = la.El("signatureCode");
        if (sig is null) sink.Report(LegalAuthenticator, doc.Missing(la, "signatureCode"), new Phrase("hdr.d.040"));
        else if (sig.Attr("code") != "S") sink.Report(LegalAuthenticator, doc.Loc(sig), new Phrase("hdr.d.041", Short(sig.Attr("code") ?? "")));
        var ae = la.El("assignedEntity");
        if (ae is null) { sink.Report(LegalAuthenticator, doc.Missing(la, "assignedEntity"), new Phrase("hdr.d.042")); return; }
        var ids = ae.Els("id").ToList();
        if (ids.Count == 0) sink.Report(LegalAuthenticator, doc.Missing(ae, "id"), new Phrase("hdr.d.043"));
        foreach (var id in ids)
        {
            if (id.HasNullFlavor() || !Uid.IsUid(id.Attr("root")) || string.IsNullOrWhiteSpace(id.Attr("extension")))
                sink.Report(LegalAuthenticator, doc.Loc(id), new Phrase("hdr.d.044"));
            else CheckPsId(doc, sink, id, "legalAuthenticator/assignedEntity/id");
        }
    }

    private static void CheckDocumentationOf(CdaDocument doc, FindingSink sink)
    {
        var docs = doc.Root.Els("documentationOf").ToList();
        if (docs.Count == 0) { sink.Report(DocumentationOf, doc.Missing(doc.Root, "documentationOf"), new Phrase("hdr.d.045")); return; }
        var se = docs[0].El("serviceEvent");
        if (se is null) { sink.Report(DocumentationOf, doc.Missing(docs[0], "serviceEvent"), new Phrase("hdr.d.046")); return; }
        var performers = se.Els("performer").ToList();
        if (performers.Count != 1) sink.Report(DocumentationOf, performers.Count == 0 ? doc.Missing(se, "performer") : doc.Loc(performers[1]), new Phrase("hdr.d.047", performers.Count));
        else if (performers[0].El("assignedEntity") is null) sink.Report(DocumentationOf, doc.Missing(performers[0], "assignedEntity"), new Phrase("hdr.d.048"));
        else
        {
            var pids = performers[0].El("assignedEntity").Els("id").ToList();
            if (pids.Count == 0) sink.Report(DocumentationOf, doc.Missing(performers[0].El("assignedEntity"), "id"), new Phrase("hdr.d.049"));
            foreach (var id in pids)
            {
                if (id.HasNullFlavor()) continue;
                if (!Uid.IsUid(id.Attr("root"))) sink.Report(DocumentationOf, doc.Loc(id), new Phrase("hdr.d.050"));
                else CheckPsId(doc, sink, id, "documentationOf/serviceEvent/performer/assignedEntity/id");
            }
        }
        var ets = se.Els("effectiveTime").ToList();
        if (ets.Count != 1) { sink.Report(DocumentationOf, ets.Count == 0 ? doc.Missing(se, "effectiveTime") : doc.Loc(ets[1]), new Phrase("hdr.d.051", ets.Count)); return; }
        CheckInterval(doc, sink, ets[0], DocumentationOf, "documentationOf/serviceEvent/effectiveTime");
    }

    /// <summary>An IVL_TS that must give a start: @value or low/@value (valid TS).</summary>
    private static void CheckInterval(CdaDocument doc, FindingSink sink, XElement et, RuleDescriptor rule, string name)
    {
        if (et.HasNullFlavor()) { sink.Report(rule, doc.Loc(et), new Phrase("hdr.d.052", name)); return; }
        var low = et.El("low");
        if (et.Attribute("value") is not null) { CheckTs(doc, sink, et, name); return; }
        if (low is null || low.Attribute("value") is null) { sink.Report(rule, low is null ? doc.Missing(et, "low") : doc.Loc(low), new Phrase("hdr.d.053", name)); return; }
        CheckTs(doc, sink, low, name + "/low");
        var high = et.El("high");
        if (high?.Attribute("value") is not null) CheckTs(doc, sink, high, name + "/high");
    }

    private void CheckComponentOf(CdaDocument doc, FindingSink sink)
    {
        var cos = doc.Root.Els("componentOf").ToList();
        if (cos.Count == 0) { sink.Report(ComponentOf, doc.Missing(doc.Root, "componentOf"), Detail.Missing); return; }
        if (cos.Count > 1) sink.Report(ComponentOf, doc.Loc(cos[1]), new Phrase("hdr.d.054", cos.Count));
        var enc = cos[0].El("encompassingEncounter");
        if (enc is null) { sink.Report(ComponentOf, doc.Missing(cos[0], "encompassingEncounter"), new Phrase("hdr.d.055")); return; }
        var ets = enc.Els("effectiveTime").ToList();
        if (ets.Count != 1) sink.Report(ComponentOf, ets.Count == 0 ? doc.Missing(enc, "effectiveTime") : doc.Loc(ets[1]), new Phrase("hdr.d.056", ets.Count));
        else
        {
            // SM requires the element only (ANS examples use nullFlavor NA or only a high); given values must be valid TS.
            var et = ets[0];
            if (et.Attribute("value") is not null) CheckTs(doc, sink, et, "encompassingEncounter/effectiveTime");
            foreach (var bound in new[] { "low", "high" })
                if (et.El(bound) is { } b && b.Attribute("value") is not null) CheckTs(doc, sink, b, "encompassingEncounter/effectiveTime/" + bound);
            if (!et.HasNullFlavor() && et.Attribute("value") is null && et.El("low")?.Attribute("value") is null && et.El("high")?.Attribute("value") is null)
                sink.Report(ComponentOf, doc.Loc(et), new Phrase("hdr.d.057"));
        }
        var hcf = enc.Path("location/healthCareFacility");
        if (hcf is null) { sink.Report(ComponentOf, doc.Missing(enc, "location/healthCareFacility"), new Phrase("hdr.d.058")); return; }
        var code = hcf.El("code");
        if (code is null) { sink.Report(ComponentOf, doc.Missing(hcf, "code"), new Phrase("hdr.d.059")); return; }
        var c = code.Attr("code");
        var cs = code.Attr("codeSystem");
        if (c is null || cs is null) { sink.Report(ComponentOf, doc.Loc(code), code.HasNullFlavor() ? new Phrase("hdr.d.061") : new Phrase("hdr.d.060")); return; }
        var concept = _j02.Find(c);
        if (concept is null) sink.Report(FacilityCode, doc.Loc(code.Attribute("code")), Short(c), Short(cs), new Phrase("hdr.d.062"), _j02.Version);
        else if (concept.CodeSystem == "1.2.250.1.71.4.2.4" && cs != concept.CodeSystem)
            sink.Report(FacilityCode, doc.Loc(code.Attribute("codeSystem")), c, Short(cs), new Phrase("hdr.d.063"), _j02.Version);
        if (code.Attr("displayName") is null) sink.Report(ComponentOf, doc.Loc(code), new Phrase("hdr.d.064"));
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
                sink.Report(TemplateIds, doc.Missing(doc.Root, "templateId"), new Phrase("hdr.d.065", XdsSd));
            if (extra.Count > 0)
                sink.Report(TemplateIds, doc.Loc(extra[0]), new Phrase("hdr.d.066", HL7France, StrucMin, XdsSd, Short(extra[0].Attr("root") ?? "")));
            else if (roots.Contains(XdsSd) && otherwiseValid && templates.Count != 3)
                sink.Report(TemplateIds, doc.Loc(templates[^1]), new Phrase("hdr.d.067", templates.Count));
        }
        else if (body.El("structuredBody") is not null && roots.Contains(XdsSd))
            sink.Report(TemplateIds, doc.Loc(templates.First(t => t.Attr("root") == XdsSd)), new Phrase("hdr.d.068", XdsSd));
    }
}
