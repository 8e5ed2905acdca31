using CdaCheck.Core.Localization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Ins;

/// <summary>Qualified INS in recordTarget: OID, matricule layout and key, identity traits, consistency with the NIR.</summary>
public sealed partial class InsChecks(ReferenceData data) : ICdaCheck
{
    public static readonly RuleDescriptor KeyInvalid = new(
        "INS-004", Severity.Error,
        "INSEE NIR layout (key = 97 − N mod 97, 2A→19, 2B→18); CI-SIS INS annex");

    public static readonly RuleDescriptor LayoutInvalid = new(
        "INS-005", Severity.Error,
        "CI-SIS INS annex; ANS PDSm MatriculeINS (15 characters: sex, YY, MM, department (2A/2B), commune/country, order, key)");

    public static readonly RuleDescriptor InsCNotIns = new(
        "INS-006", Severity.Error,
        "CI-SIS Prise en charge de l'INS (INS-C abandoned; only 1.2.250.1.213.1.4.8/.9 are INS, .10/.11 in tests)");

    public static readonly RuleDescriptor InsAbsent = new(
        "INS-007", Severity.Error,
        "CI-SIS Prise en charge de l'INS; Ségur DSR (documents for the DMP and MSSanté carry the qualified INS)");

    public static readonly RuleDescriptor TraitMissing = new(
        "INS-008", Severity.Error,
        "CI-SIS Structuration minimale (CI-SISRecordTarget, INS rule: family BR, given BR, given without qualifier, birthTime, administrativeGenderCode, birthplace/place/addr/county)");

    public static readonly RuleDescriptor BirthTimeInvalid = new(
        "INS-009", Severity.Error,
        "CI-SIS Structuration minimale (birthTime TS ^[0-9]{4,14}); INS traits (date de naissance)");

    public static readonly RuleDescriptor SexInvalid = new(
        "INS-010", Severity.Error,
        "CI-SIS Structuration minimale; ANS JDV_J143-AdministrativeGender-CISIS (1.2.250.1.213.1.1.5.590)");

    public static readonly RuleDescriptor BirthPlaceInvalid = new(
        "INS-011", Severity.Error,
        "CI-SIS INS annex (lieu de naissance: code officiel géographique INSEE); ANS TDDUI recordTarget");

    public static readonly RuleDescriptor QualifierInvalid = new(
        "INS-012", Severity.Error,
        "CI-SIS Structuration minimale (patient name: family @qualifier required, BR or CL; given: none, BR or CL)");

    public static readonly RuleDescriptor NirSexMismatch = new(
        "INS-013", Severity.Warning,
        "INSEE NIR layout (1 = male, 2 = female); INS traits");

    public static readonly RuleDescriptor NirBirthMismatch = new(
        "INS-014", Severity.Warning,
        "INSEE NIR layout (positions 2-5: YY MM; months 20+ are fictitious and not compared)");

    public static readonly RuleDescriptor NirPlaceMismatch = new(
        "INS-015", Severity.Warning,
        "INSEE NIR layout (department 99 = born abroad, then a country code); INS traits (lieu de naissance)");

    public static readonly RuleDescriptor TestOid = new(
        "INS-016", Severity.Warning,
        "CI-SIS INS annex (4.10 INS-NIR de test, 4.11 INS de démonstration)");

    public static readonly RuleDescriptor SeveralIns = new(
        "INS-017", Severity.Warning,
        "FR Core INS profile (one official INS); CI-SIS INS annex");

    public const string InsC = "1.2.250.1.213.1.4.2";

    private sealed class NotInsMap(Dictionary<string, string> map)
    {
        public Dictionary<string, string> Map { get; } = map;
    }

    /// <summary>ins-oids.json "notIns": roots mistaken for the INS (INS-C, NSS-NIR, NSS-NIA).</summary>
    private Dictionary<string, string> NotIns() => data.Get("valuesets/" + _insOids.File, root =>
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("notIns", out var arr))
            foreach (var e in arr.EnumerateArray())
                map[e.GetProperty("code").GetString()!] = e.GetProperty("display").GetString()!;
        if (!map.ContainsKey(InsC)) throw new ReferenceDataException("ins-oids.json must list the INS-C root in notIns.");
        return new NotInsMap(map);
    }).Map;

    private readonly ValueSet _insOids = data.ValueSet("ins-oids");
    private readonly ValueSet _gender = data.ValueSet("J143-gender");

    [GeneratedRegex("^(?:[0-9]{2}|2[AB])[0-9]{3}$")]
    private static partial Regex Cog();

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var role = doc.Root.Path("recordTarget/patientRole");
        var ins = result.Ins;
        ins.Status = InsStatus.Absent;
        var insIds = role.Els("id").Where(id => _insOids.Find(id.Attr("root")) is not null).ToList();
        var notIns = NotIns();
        var wrong = role.Els("id").Where(id => id.Attr("root") is { } r && notIns.ContainsKey(r)).ToList();
        if (insIds.Count == 0)
        {
            foreach (var w in wrong) sink.Report(InsCNotIns, doc.Loc(w), w.Attr("root"), notIns[w.Attr("root")!], new Phrase("ins.d.001"));
            if (wrong.Count == 0)
                sink.Report(InsAbsent, role is null ? doc.Missing(doc.Root, "recordTarget/patientRole/id") : doc.Missing(role, "id"), role is null ? new Phrase("ins.d.002") : (object)"");
            ins.CountsAsQualified = false;
            return;
        }
        foreach (var w in wrong.Where(w => w.Attr("root") == InsC))
            sink.Report(InsCNotIns, Severity.Warning, doc.Loc(w), InsC, notIns[InsC], new Phrase("ins.d.003"));

        bool valid = true;
        var first = insIds[0];
        var concept = _insOids.Find(first.Attr("root"))!;
        bool production = concept.Bool("production") == true;
        ins.Oid = concept.Code;
        ins.Kind = concept.Str("kind");
        ins.Matricule = first.Attr("extension");
        if (insIds.Select(i => i.Attr("extension")).Distinct(StringComparer.Ordinal).Count() > 1)
            sink.Report(SeveralIns, doc.Loc(insIds[1]), insIds.Count);

        foreach (var id in insIds)
        {
            ctx.CheckBudget();
            var c = _insOids.Find(id.Attr("root"))!;
            bool prod = c.Bool("production") == true;
            var m = id.Attr("extension");
            var at = doc.Loc(id.Attribute("extension") ?? (XObject)id);
            if (!Nir.HasValidLayout(m))
            {
                sink.Report(LayoutInvalid, at, Identity.Matricule(m), c.Code, LayoutProblem(m));
                valid = false;
            }
            else if (!Nir.HasValidKey(m))
            {
                sink.Report(KeyInvalid, prod ? Severity.Error : Severity.Warning, at,
                    Identity.Matricule(m), c.Code, KeyPart(m![13..]), KeyPart(Nir.ComputeKey(m)!.Value.ToString("00", System.Globalization.CultureInfo.InvariantCulture)));
                valid = false;
            }
        }
        if (!production)
        {
            // Say what holds for this run: accepted (--allow-test-ins, evidence profile) or not.
            var accepted = AcceptsTestIns(ctx.Options);
            var why = Localization.Texts.Get(ctx.Options.Language, accepted
                ? (ctx.Options.AllowTestIns ? "ins.testOid.acceptedByOption" : "ins.testOid.acceptedByProfile")
                : "ins.testOid.notAccepted");
            sink.Report(TestOid, accepted ? Severity.Info : Severity.Warning, doc.Loc(first), concept.Code, why);
        }

        var patient = role.El("patient");
        valid &= CheckTraits(doc, patient, ins, sink);
        if (valid) CheckConsistency(doc, patient, ins, sink);

        ins.Status = !valid ? InsStatus.Invalid : production ? InsStatus.Qualified : InsStatus.QualifiedTest;
        ins.CountsAsQualified = ins.Status == InsStatus.Qualified || ins.Status == InsStatus.QualifiedTest && ctx.Options.AllowTestIns;
    }

    /// <summary>Test OIDs are accepted with --allow-test-ins and for anonymised evidence samples.</summary>
    private static bool AcceptsTestIns(ValidationOptions o) => o.AllowTestIns || o.Profile == Profile.Evidence;

    /// <summary>The two key digits are part of the matricule: masked unless identity is revealed.</summary>
    private static Identity KeyPart(string key) => new(key, IdentityKind.Other);

    private static string LayoutProblem(string? m)
    {
        if (string.IsNullOrEmpty(m)) return "the extension is empty";
        if (m.Length != 15) return $"{m.Length} characters instead of 15";
        if (m[0] is not ('1' or '2' or '3' or '4' or '7' or '8')) return "the first character (sex) is not a NIR sex digit";
        return "only digits are allowed, with 2A/2B at positions 6-7";
    }

    /// <summary>Required traits (INS-008..012). Fills the trait fields of <paramref name="ins"/>. Returns true when all are valid.</summary>
    private bool CheckTraits(CdaDocument doc, XElement? patient, InsInfo ins, FindingSink sink)
    {
        bool ok = true;
        if (patient is null)
        {
            sink.Report(TraitMissing, doc.Missing(doc.Root, "recordTarget/patientRole/patient"), "patient", new Phrase("ins.d.004"));
            return false;
        }
        var name = patient.El("name");
        var families = name.Els("family").ToList();
        var givens = name.Els("given").ToList();
        XElement? Find(List<XElement> es, string? q) => es.FirstOrDefault(e => e.Attr("qualifier") == q && !e.HasNullFlavor() && e.Text() is not null);
        var famBr = Find(families, "BR");
        var givBr = Find(givens, "BR");
        var givAll = givens.FirstOrDefault(e => e.Attribute("qualifier") is null && !e.HasNullFlavor() && e.Text() is not null);
        ins.BirthFamily = famBr.Text();
        ins.FirstBirthGiven = givBr.Text();
        ins.BirthGivens = givAll.Text();
        ins.UsedFamily = Find(families, "CL").Text();
        ins.UsedGiven = Find(givens, "CL").Text();
        var nameLoc = name is null ? doc.Missing(patient, "name") : doc.Missing(name, "family");
        if (famBr is null) { sink.Report(TraitMissing, nameLoc, "family[@qualifier='BR']", new Phrase("ins.d.005")); ok = false; }
        if (givBr is null) { sink.Report(TraitMissing, name is null ? nameLoc : doc.Missing(name, "given"), "given[@qualifier='BR']", new Phrase("ins.d.006")); ok = false; }
        if (givAll is null) { sink.Report(TraitMissing, name is null ? nameLoc : doc.Missing(name, "given"), new Phrase("ins.d.007"), new Phrase("ins.d.008")); ok = false; }
        else if (givBr is not null && !StartsWithWord(givAll.Text()!, givBr.Text()!))
            sink.Report(TraitMissing, Severity.Warning, doc.Loc(givAll), new Phrase("ins.d.009"), new Phrase("ins.d.010"));

        foreach (var f in families)
        {
            var q = f.Attr("qualifier");
            if (q is null) { sink.Report(QualifierInvalid, doc.Loc(f), "family", new Phrase("ins.d.011")); ok = false; }
            else if (q is not ("BR" or "CL")) { sink.Report(QualifierInvalid, doc.Loc(f.Attribute("qualifier")), "family", new Phrase("ins.d.012", Qualifier(q))); ok = false; }
        }
        foreach (var g in givens)
        {
            var q = g.Attr("qualifier");
            if (q is not null && q is not ("BR" or "CL")) { sink.Report(QualifierInvalid, doc.Loc(g.Attribute("qualifier")), "given", new Phrase("ins.d.013", Qualifier(q))); ok = false; }
        }

        var bt = patient.El("birthTime");
        ins.BirthTime = bt.Attr("value");
        if (bt is null || bt.HasNullFlavor() || ins.BirthTime is null) { sink.Report(TraitMissing, bt is null ? doc.Missing(patient, "birthTime") : doc.Loc(bt), "birthTime/@value", new Phrase("ins.d.014")); ok = false; }
        else if (!HlTs.IsFullDate(ins.BirthTime) || string.CompareOrdinal(ins.BirthTime[..8], DateTime.UtcNow.AddDays(1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)) > 0)
        { sink.Report(BirthTimeInvalid, doc.Loc(bt.Attribute("value")), Identity.BirthDate(ins.BirthTime)); ok = false; }

        var gender = patient.El("administrativeGenderCode");
        ins.Sex = gender.Attr("code");
        if (gender is null || gender.HasNullFlavor() || ins.Sex is null) { sink.Report(TraitMissing, gender is null ? doc.Missing(patient, "administrativeGenderCode") : doc.Loc(gender), "administrativeGenderCode/@code", "sexe"); ok = false; }
        else
        {
            var cs = gender.Attr("codeSystem");
            if (!_gender.Contains(ins.Sex)) { sink.Report(SexInvalid, doc.Loc(gender.Attribute("code")), Identity.Sex(Trim(ins.Sex)), ""); ok = false; }
            else if (cs is not null && cs != "2.16.840.1.113883.5.1") { sink.Report(SexInvalid, doc.Loc(gender.Attribute("codeSystem")), Identity.Sex(ins.Sex), new Phrase("ins.d.015", Trim(cs))); ok = false; }
        }

        var county = patient.Path("birthplace/place/addr/county");
        ins.BirthPlaceCode = county.Text();
        if (county is null || county.HasNullFlavor() || ins.BirthPlaceCode is null) { sink.Report(TraitMissing, county is null ? doc.Missing(patient, "birthplace/place/addr/county") : doc.Loc(county), "birthplace/place/addr/county", new Phrase("ins.d.016")); ok = false; }
        else if (!Cog().IsMatch(ins.BirthPlaceCode)) { sink.Report(BirthPlaceInvalid, doc.Loc(county), Identity.Place(ins.BirthPlaceCode)); ok = false; }
        return ok;
    }

    private static bool StartsWithWord(string all, string first) =>
        all.Equals(first, StringComparison.OrdinalIgnoreCase)
        || all.StartsWith(first, StringComparison.OrdinalIgnoreCase) && all.Length > first.Length && all[first.Length] is ' ' or ',';

    private static string Trim(string v) => v.Length > 20 ? v[..20] + "…" : v;

    /// <summary>HL7 v3 EntityNamePartQualifier codes: a name part's qualifier attribute quoted as it is only when it is one of them.</summary>
    private static readonly HashSet<string> NamePartQualifiers = new(StringComparer.Ordinal)
        { "AC", "AD", "BR", "CL", "IN", "LS", "NB", "PR", "SP", "TITLE", "VV", "HON", "MID", "PHON", "SRCH", "ABC", "IDE", "SYL", "CON", "DEL" };

    /// <summary>
    /// A qualifier attribute as a finding quotes it: a known code as it is, anything else (a name typed into the
    /// attribute, a crafted value) masked as identity unless revealed.
    /// </summary>
    private static object Qualifier(string q) =>
        NamePartQualifiers.Contains(q.Trim().ToUpperInvariant()) ? Trim(q) : new Identity(Trim(q), IdentityKind.Other);

    /// <summary>Warnings (INS-013..015): NIR sex digit, YY/MM, department 99 vs the traits. Only called when matricule and traits are valid.</summary>
    private static void CheckConsistency(CdaDocument doc, XElement? patient, InsInfo ins, FindingSink sink)
    {
        var m = ins.Matricule!;
        var loc = doc.Loc(doc.Root.Path("recordTarget/patientRole")?.Els("id").FirstOrDefault(i => i.Attr("extension") == m));
        char sexDigit = m[0];
        var expected = sexDigit switch { '1' or '3' or '7' => "M", '2' or '4' or '8' => "F", _ => null };
        if (expected is not null && ins.Sex is "M" or "F" && ins.Sex != expected)
            sink.Report(NirSexMismatch, loc, Identity.Matricule(m), Identity.Matricule(sexDigit.ToString()), Identity.Sex(ins.Sex));
        var yy = m.Substring(1, 2);
        var mm = m.Substring(3, 2);
        int month = int.Parse(mm, System.Globalization.CultureInfo.InvariantCulture);
        var bt = ins.BirthTime!;
        if (month is >= 1 and <= 12)
        {
            if (bt.Substring(2, 2) != yy || bt.Substring(4, 2) != mm)
                sink.Report(NirBirthMismatch, loc, Identity.Matricule(m), Identity.BirthDate(yy + "/" + mm), Identity.BirthDate(bt));
        }
        else if (bt.Substring(2, 2) != yy)
            sink.Report(NirBirthMismatch, loc, Identity.Matricule(m), Identity.BirthDate(yy + "/" + mm), Identity.BirthDate(bt));
        var place = ins.BirthPlaceCode!;
        bool nirAbroad = m.Substring(5, 2) == "99";
        bool traitAbroad = place.StartsWith("99", StringComparison.Ordinal);
        if (nirAbroad != traitAbroad)
            sink.Report(NirPlaceMismatch, loc, Identity.Matricule(m), nirAbroad ? new Phrase("ins.d.017") : new Phrase("ins.d.018"), Identity.Place(place));
    }
}
