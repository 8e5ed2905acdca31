using System.Xml.Linq;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Xdm;

/// <summary>
/// Metadata ↔ CDA consistency for one DocumentEntry and the CDA its URI points to (CI-SIS volet
/// transmission CDA R2, mapping). CDA facts come from the child result when the CDA layer set
/// them, otherwise from the CDA header re-read here with <see cref="SecureXml"/>.
/// </summary>
public sealed class XdmCdaChecks(ReferenceData data, EbRim rim, FormatCodes formats)
{
    private readonly ValueSet _j07 = data.ValueSet("J07-typecode");
    private readonly ValueSet _insOids = data.ValueSet("ins-oids");

    public void Check(XdsObject de, ZipItem file, DocumentResult child, FindingSink sink, Func<XObject?, Location> L, ValidationContext ctx)
    {
        var scratch = new FindingSink(sink.Options, file.RawName);
        var xml = SecureXml.LoadForValidation(file.Bytes, scratch, ctx.Limits);
        if (xml is null) return;
        var cda = CdaDocument.FindClinicalDocument(xml);
        if (cda is null) return;
        var d = rim.DocumentEntry;

        // patientId vs INS
        if (de.ExternalIds.TryGetValue(d["patientId"], out var pid))
        {
            string? insOid = null, insId = null;
            foreach (var id in cda.Path("recordTarget/patientRole").Els("id"))
                if (_insOids.Contains(id.Attr("root"))) { insOid = id.Attr("root"); insId = id.Attr("extension"); break; }
            insOid ??= child.Ins.Oid;
            insId ??= child.Ins.Matricule;
            var (mid, moid) = Hl7Values.SplitCx(pid.Value);
            if (mid != insId || moid != insOid)
                sink.Report(XdmRules.PatientIdVsIns, L(pid.Element), Identity.Matricule(mid), moid is null ? "(none)" : Identity.Oid(moid), Identity.Matricule(insId), insOid is null ? "(none)" : Identity.Oid(insOid));
        }

        // typeCode vs code
        var code = cda.El("code");
        var cdaCode = child.TypeCode ?? code.Attr("code");
        var cdaSystem = child.TypeCodeSystem ?? code.Attr("codeSystem");
        var type = de.Code(d["typeCode"]);
        if (type is not null && cdaCode is not null
            && (type.Code != cdaCode || type.CodingScheme is not null && cdaSystem is not null && type.CodingScheme != cdaSystem))
            sink.Report(XdmRules.TypeCodeVsCda, L(type.Element), type.Code, type.CodingScheme ?? "(none)", cdaCode, cdaSystem ?? "(none)");

        // classCode vs ASS_X04
        var cls = de.Code(d["classCode"]);
        var expectedClass = child.ClassCode ?? _j07.Find(cdaCode)?.Str("classCode");
        if (cls is not null && expectedClass is not null && cls.Code != expectedClass)
            sink.Report(XdmRules.ClassCodeVsCda, L(cls.Element), cls.Code, expectedClass, cdaCode);

        // formatCode vs level / templateId
        var fmt = de.Code(d["formatCode"]);
        if (fmt is not null)
        {
            var (expected, what) = ExpectedFormat(cda, child);
            if (expected is not null && fmt.Code != expected)
                sink.Report(XdmRules.FormatCodeVsCda, L(fmt.Element), fmt.Code, what, expected);
        }

        // uniqueId vs id
        if (de.ExternalIds.TryGetValue(d["uniqueId"], out var uid))
        {
            var idEl = cda.El("id");
            var root = idEl.Attr("root");
            var ext = idEl.Attr("extension");
            var cdaId = child.DocumentId ?? (root is null ? null : ext is null ? root : root + "^" + ext);
            if (cdaId is not null && uid.Value != cdaId && !(ext is null && uid.Value == root))
                sink.Report(XdmRules.UniqueIdVsCda, L(uid.Element), uid.Value, cdaId);
        }

        // creationTime vs effectiveTime
        CompareTime(de, "creationTime", cda.El("effectiveTime").Attr("value") ?? child.EffectiveTime, sink, L,
            (m, c) => sink.Report(XdmRules.CreationTimeVsCda, L(de.SlotElements["creationTime"]), m, c));

        // confidentialityCode
        var cdaConf = cda.El("confidentialityCode").Attr("code");
        var confs = de.CodesOf(d["confidentialityCode"]);
        if (cdaConf is not null && confs.Count > 0 && !confs.Any(c => c.Code == cdaConf))
            sink.Report(XdmRules.ConfidentialityVsCda, L(confs[0].Element), string.Join(",", confs.Select(c => c.Code)), cdaConf);

        // serviceStart/StopTime vs serviceEvent/effectiveTime
        var ev = cda.Els("documentationOf").Select(x => x.El("serviceEvent")).FirstOrDefault(x => x is not null).El("effectiveTime");
        foreach (var (slot, part) in new[] { ("serviceStartTime", "low"), ("serviceStopTime", "high") })
            CompareTime(de, slot, ev.El(part).Attr("value"), sink, L,
                (m, c) => sink.Report(XdmRules.ServiceTimeVsCda, L(de.SlotElements[slot]), slot, m, part, c));

        // title
        var cdaTitle = Normalize(cda.El("title")?.Value) ?? Normalize(child.Title);
        if (cdaTitle is not null && de.Title is not null && Normalize(de.Title) != cdaTitle)
            sink.Report(XdmRules.TitleVsCda, L(de.Element));

        // languageCode
        var lang = de.Slot("languageCode");
        var cdaLang = cda.El("languageCode").Attr("code");
        if (lang is not null && cdaLang is not null && !string.Equals(lang.Trim(), cdaLang.Trim(), StringComparison.OrdinalIgnoreCase))
            sink.Report(XdmRules.LanguageVsCda, L(de.SlotElements["languageCode"]), lang, cdaLang);

        // authorInstitution vs author/assignedAuthor/representedOrganization
        var org = cda.Els("author").Select(a => a.Path("assignedAuthor/representedOrganization")).FirstOrDefault(o => o is not null);
        var institutions = de.Authors.SelectMany(a => a.Institution).Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (org is not null && institutions.Count > 0)
        {
            var orgName = Normalize(org.El("name")?.Value);
            var orgIds = org.Els("id").Select(i => i.Attr("extension")).Where(e => e is not null).ToHashSet(StringComparer.Ordinal);
            bool match = institutions.Any(i =>
            {
                var (name, id) = Hl7Values.SplitXon(i);
                return id is not null && orgIds.Contains(id)
                       || name is not null && orgName is not null && string.Equals(Normalize(name), orgName, StringComparison.OrdinalIgnoreCase);
            });
            if (!match)
                sink.Report(XdmRules.AuthorInstitutionVsCda, L(de.Authors[0].Element), SafeZip.Printable(orgName ?? orgIds.FirstOrDefault() ?? "?"));
        }

        // healthcareFacilityTypeCode vs healthCareFacility/code
        var hcft = de.Code(d["healthcareFacilityTypeCode"]);
        var cdaHcft = cda.Path("componentOf/encompassingEncounter/location/healthCareFacility/code").Attr("code");
        if (hcft is not null && cdaHcft is not null && hcft.Code != cdaHcft)
            sink.Report(XdmRules.FacilityTypeVsCda, L(hcft.Element), hcft.Code, cdaHcft);

        // practiceSettingCode vs performer organisation standardIndustryClassCode
        var ps = de.Code(d["practiceSettingCode"]);
        var cdaPs = cda.Paths("documentationOf/serviceEvent/performer/assignedEntity/representedOrganization/standardIndustryClassCode")
            .Select(e => e.Attr("code")).Where(c => c is not null).ToList();
        if (ps is not null && cdaPs.Count > 0 && !cdaPs.Contains(ps.Code))
            sink.Report(XdmRules.PracticeSettingVsCda, L(ps.Element), ps.Code, cdaPs[0]);

        // sourcePatientId vs recordTarget/patientRole/id
        var patientIds = cda.Path("recordTarget/patientRole").Els("id").Select(i => (i.Attr("extension"), i.Attr("root"))).ToList();
        foreach (var spid in de.SlotValues("sourcePatientId"))
        {
            var (sid, soid) = Hl7Values.SplitCx(spid);
            if (sid is null || soid is null || patientIds.Count == 0) continue;
            if (!patientIds.Contains((sid, soid)))
            {
                var i = spid.IndexOf('^');
                sink.Report(XdmRules.SourcePatientIdVsCda, L(de.SlotElements["sourcePatientId"]), Identity.Matricule(sid), i < 0 ? "" : Hl7Values.CxRestShown(spid[i..], sink.Reveal));
            }
        }

        // sourcePatientInfo vs patient traits
        CheckPatientInfo(de, cda, sink, L);
    }

    private (string? Expected, string What) ExpectedFormat(XElement cda, DocumentResult child)
    {
        var component = cda.El("component");
        var nonXml = component.El("nonXMLBody");
        if (nonXml is not null)
        {
            var mt = nonXml.El("text").Attr("mediaType");
            return (mt is not null && formats.NonStructured.TryGetValue(mt, out var f) ? f : null, $"level N1, mediaType {mt ?? "(none)"}");
        }
        if (component.El("structuredBody") is null) return (null, "");
        var templates = child.TemplateIds.Count > 0 ? child.TemplateIds
            : cda.Els("templateId").Select(t => t.Attr("root")).Where(r => r is not null).Select(r => r!).ToArray();
        foreach (var t in templates)
            if (formats.Templates.TryGetValue(t, out var f)) return (f, $"level N3, templateId {t}");
        return (null, "level N3");
    }

    private static void CompareTime(XdsObject de, string slot, string? cdaTs, FindingSink sink, Func<XObject?, Location> L, Action<string, string> report)
    {
        var m = de.Slot(slot);
        if (m is null || cdaTs is null || !Hl7Values.IsDtm(m)) return;
        var utc = Hl7Values.CdaTsToUtcDtm(cdaTs);
        if (utc is null) return;
        if (!Hl7Values.SameInstant(m, utc)) report(m, cdaTs);
    }

    private static string? Normalize(string? s)
    {
        if (s is null) return null;
        var t = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return t.Length == 0 ? null : t;
    }

    private static void CheckPatientInfo(XdsObject de, XElement cda, FindingSink sink, Func<XObject?, Location> L)
    {
        var values = de.SlotValues("sourcePatientInfo");
        if (values.Count == 0) return;
        var el = de.SlotElements["sourcePatientInfo"];
        var patient = cda.Path("recordTarget/patientRole/patient");
        if (patient is null) return;
        var name = patient.El("name");
        var families = name.Els("family").Select(f => f.Value.Trim()).Where(f => f.Length > 0).ToList();
        var givens = name.Els("given").SelectMany(g => g.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var birth = patient.El("birthTime").Attr("value");
        var sex = patient.El("administrativeGenderCode").Attr("code");
        foreach (var v in values)
        {
            var bar = v.IndexOf('|');
            if (bar < 0) continue;
            var field = v[..bar].Trim().ToUpperInvariant();
            var value = v[(bar + 1)..].Trim();
            switch (field)
            {
                case "PID-5":
                {
                    var c = value.Split('^');
                    var fam = c[0].Split('&')[0];
                    var giv = c.Length > 1 ? c[1] : "";
                    bool famOk = families.Count == 0 || families.Any(f => string.Equals(f, fam, StringComparison.OrdinalIgnoreCase));
                    bool givOk = giv.Length == 0 || givens.Count == 0 || givens.Any(g => string.Equals(g, giv, StringComparison.OrdinalIgnoreCase));
                    if (!famOk || !givOk)
                        sink.Report(XdmRules.PatientInfoVsCda, L(el), "PID-5", Identity.Name(value), Identity.Name(string.Join(" ", families)));
                    break;
                }
                case "PID-7":
                    if (birth is not null && value.Length >= 8 && birth.Length >= 8 && value[..8] != birth[..8])
                        sink.Report(XdmRules.PatientInfoVsCda, L(el), "PID-7", Identity.BirthDate(value), Identity.BirthDate(birth));
                    break;
                case "PID-8":
                    if (sex is not null && value.Length > 0 && !string.Equals(value, sex, StringComparison.OrdinalIgnoreCase))
                        sink.Report(XdmRules.PatientInfoVsCda, L(el), "PID-8", Identity.Sex(value), Identity.Sex(sex));
                    break;
            }
        }
    }
}
