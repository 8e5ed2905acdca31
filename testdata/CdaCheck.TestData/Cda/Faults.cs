using System.Xml.Linq;

namespace CdaCheck.TestData.Cda;

/// <summary>Where a fault can be applied.</summary>
[Flags]
public enum FaultScope
{
    N1 = 1,
    N3 = 2,
    BioN3 = 4,
    Any = N1 | N3 | BioN3,
}

/// <summary>
/// One single-fault mutation of a conformant document and the finding it must produce
/// (rule ID and severity). Used by the rule tests (one failing document per rule), the
/// robustness test and the <c>negatives</c> subcommand.
/// </summary>
public sealed record Fault(string Name, string Rule, string Severity, FaultScope Scope, Action<CdaBuilder> Apply)
{
    /// <summary>The same fault as a plain XML mutation (null when the fault needs the builder, e.g. another type code).</summary>
    public Action<XDocument>? Xml { get; init; }
    /// <summary>Validate with --allow-test-ins (faults about test INS whose expected finding is not INS-016).</summary>
    public bool AllowTestIns { get; init; }
    /// <summary>Ségur kind of the document the fault needs (null: any).</summary>
    public string? Kind { get; init; }

    public string Family => Rule[..Rule.IndexOf('-')];
    public bool IsError => Severity == "error";

    public bool AppliesTo(CdaBuilder b) => (Kind is null || b.Type.Kind == Kind) && AppliesToLevel(b);

    private bool AppliesToLevel(CdaBuilder b) =>
        b.LevelValue == CdaLevel.N1 ? Scope.HasFlag(FaultScope.N1)
        : b.Type.Code == "11502-2" ? Scope.HasFlag(FaultScope.BioN3) || Scope.HasFlag(FaultScope.N3)
        : Scope.HasFlag(FaultScope.N3);

    public override string ToString() => Name;
}

public static class Faults
{
    private const string P = "/h:ClinicalDocument";
    private const string Role = P + "/h:recordTarget/h:patientRole";
    private const string Patient = Role + "/h:patient";
    private const string InsId = Role + "/h:id[starts-with(@root,'1.2.250.1.213.1.4.')]";
    private const string Text = P + "/h:component/h:nonXMLBody/h:text";

    private static Fault F(string name, string rule, string severity, Action<XDocument> m, FaultScope scope = FaultScope.Any) =>
        new(name, rule, severity, scope, b => b.Mutate(m)) { Xml = m };

    private static Fault B(string name, string rule, string severity, Action<CdaBuilder> apply, FaultScope scope = FaultScope.Any) =>
        new(name, rule, severity, scope, apply);

    private static void Remove(XDocument d, string xp) => d.RemoveAll(xp);
    private static void Attr(XDocument d, string xp, string a, string? v) => d.SetAttr(xp, a, v);

    private static void AddAfter(XDocument d, string xp, XElement e)
    {
        var at = d.El(xp) ?? throw new InvalidOperationException("no " + xp);
        at.AddAfterSelf(e);
    }

    private static XElement E(string name, params object[] content) => new(CdaBuilder.V3 + name, content);

    /// <summary>Replaces the matricule with the same body and a wrong key.</summary>
    private static void WrongKey(XDocument d)
    {
        var id = d.El(InsId)!;
        var m = id.Attribute("extension")!.Value;
        var key = int.Parse(m[13..]);
        id.SetAttributeValue("extension", m[..13] + ((key % 97) + 1).ToString("00"));
    }

    private static string Base64(string s) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(s));

    public static IReadOnlyList<Fault> All { get; } =
    [
        // ---- header (HDR) ----
        F("realmCode removed", "HDR-001", "error", d => Remove(d, P + "/h:realmCode")),
        F("realmCode not FR", "HDR-001", "error", d => Attr(d, P + "/h:realmCode", "code", "UV")),
        F("realmCode twice", "HDR-001", "error", d => AddAfter(d, P + "/h:realmCode", E("realmCode", new XAttribute("code", "FR")))),
        F("typeId removed", "HDR-002", "error", d => Remove(d, P + "/h:typeId")),
        F("typeId extension wrong", "HDR-002", "error", d => Attr(d, P + "/h:typeId", "extension", "POCD_HD000041")),
        F("typeId root wrong", "HDR-002", "error", d => Attr(d, P + "/h:typeId", "root", "2.16.840.1.113883.1.4")),
        F("typeId twice", "HDR-002", "error", d => AddAfter(d, P + "/h:typeId", E("typeId", new XAttribute("root", "2.16.840.1.113883.1.3"), new XAttribute("extension", "POCD_HD000040")))),
        F("classCode not DOCCLIN", "HDR-024", "error", d => d.Root!.SetAttributeValue("classCode", "OBS")),
        F("moodCode not EVN", "HDR-024", "error", d => d.Root!.SetAttributeValue("moodCode", "INT")),
        F("title twice", "HDR-005", "error", d => AddAfter(d, P + "/h:title", E("title", "Autre titre"))),
        F("componentOf twice", "HDR-022", "error", d => AddAfter(d, P + "/h:componentOf", new XElement(d.El(P + "/h:componentOf")!))),
        F("custodian twice", "HDR-018", "error", d => AddAfter(d, P + "/h:custodian", new XElement(d.El(P + "/h:custodian")!))),
        F("legalAuthenticator twice", "HDR-020", "error", d => AddAfter(d, P + "/h:legalAuthenticator", new XElement(d.El(P + "/h:legalAuthenticator")!))),
        F("recordTarget twice", "HDR-014", "error", d => AddAfter(d, P + "/h:recordTarget", new XElement(d.El(P + "/h:recordTarget")!))),
        F("patient removed", "HDR-014", "error", d => Remove(d, Patient)),
        F("serviceEvent low invalid", "HDR-007", "error", d => Attr(d, P + "/h:documentationOf/h:serviceEvent/h:effectiveTime/h:low", "value", "2025-10-28")),
        F("HL7 France templateId removed", "HDR-003", "error", d => Remove(d, P + "/h:templateId[@root='2.16.840.1.113883.2.8.2.1']")),
        F("StrucMin templateId removed", "HDR-003", "error", d => Remove(d, P + "/h:templateId[@root='1.2.250.1.213.1.1.1.1']")),
        F("StrucMin templateId twice", "HDR-003", "error", d => AddAfter(d, P + "/h:templateId[@root='1.2.250.1.213.1.1.1.1']", E("templateId", new XAttribute("root", "1.2.250.1.213.1.1.1.1")))),
        F("id removed", "HDR-004", "error", d => Remove(d, P + "/h:id")),
        F("id root not a uid", "HDR-004", "error", d => Attr(d, P + "/h:id", "root", "not an oid")),
        F("id nullFlavor", "HDR-004", "error", d => { Attr(d, P + "/h:id", "root", null); Attr(d, P + "/h:id", "nullFlavor", "NI"); }),
        F("title removed", "HDR-005", "error", d => Remove(d, P + "/h:title")),
        F("title empty", "HDR-005", "error", d => d.SetText(P + "/h:title", "  ")),
        F("effectiveTime removed", "HDR-006", "error", d => Remove(d, P + "/h:effectiveTime")),
        F("effectiveTime without value", "HDR-006", "error", d => Attr(d, P + "/h:effectiveTime", "value", null)),
        F("effectiveTime ISO syntax", "HDR-007", "error", d => Attr(d, P + "/h:effectiveTime", "value", "2025-11-03T10:15:00")),
        F("effectiveTime month 13", "HDR-007", "error", d => Attr(d, P + "/h:effectiveTime", "value", "20251303101500+0100")),
        F("effectiveTime zone 3 digits", "HDR-007", "error", d => Attr(d, P + "/h:effectiveTime", "value", "20251103101500+100")),
        F("author time invalid", "HDR-007", "error", d => Attr(d, P + "/h:author/h:time", "value", "20251132")),
        F("legalAuthenticator time invalid", "HDR-007", "error", d => Attr(d, P + "/h:legalAuthenticator/h:time", "value", "2025110325")),
        F("effectiveTime without zone", "HDR-008", "warning", d => Attr(d, P + "/h:effectiveTime", "value", "20251103101500")),
        F("confidentialityCode removed", "HDR-009", "error", d => Remove(d, P + "/h:confidentialityCode")),
        F("confidentialityCode not in value set", "HDR-009", "error", d => Attr(d, P + "/h:confidentialityCode", "code", "X")),
        F("confidentialityCode wrong codeSystem", "HDR-009", "error", d => Attr(d, P + "/h:confidentialityCode", "codeSystem", "1.2.250.1.213.1.1.4.13")),
        F("languageCode removed", "HDR-010", "error", d => Remove(d, P + "/h:languageCode")),
        F("languageCode not ll-CC", "HDR-010", "error", d => Attr(d, P + "/h:languageCode", "code", "french")),
        F("setId removed", "HDR-011", "error", d => Remove(d, P + "/h:setId")),
        F("setId root not a uid", "HDR-011", "error", d => Attr(d, P + "/h:setId", "root", "1.2..3")),
        F("versionNumber removed", "HDR-012", "error", d => Remove(d, P + "/h:versionNumber")),
        F("versionNumber zero", "HDR-012", "error", d => Attr(d, P + "/h:versionNumber", "value", "0")),
        F("versionNumber not an integer", "HDR-012", "error", d => Attr(d, P + "/h:versionNumber", "value", "v1")),
        F("versionNumber 2 without RPLC", "HDR-013", "warning", d => Attr(d, P + "/h:versionNumber", "value", "2")),
        F("recordTarget removed", "HDR-014", "error", d => Remove(d, P + "/h:recordTarget")),
        F("patient name removed", "HDR-014", "error", d => Remove(d, Patient + "/h:name")),
        F("patient IPP without extension", "HDR-014", "error", d => Attr(d, Role + "/h:id[@root='1.2.250.1.999.2.1']", "extension", null)),
        F("author removed", "HDR-015", "error", d => Remove(d, P + "/h:author")),
        F("author time removed", "HDR-015", "error", d => Remove(d, P + "/h:author/h:time")),
        F("author id removed", "HDR-015", "error", d => Remove(d, P + "/h:author/h:assignedAuthor/h:id")),
        F("author id without extension", "HDR-015", "error", d => Attr(d, P + "/h:author/h:assignedAuthor/h:id", "extension", null)),
        F("author person removed", "HDR-015", "error", d => Remove(d, P + "/h:author/h:assignedAuthor/h:assignedPerson")),
        F("author RPPS 10 digits", "HDR-016", "error", d => Attr(d, P + "/h:author/h:assignedAuthor/h:id", "extension", "8" + CdaBuilder.Rpps[..10])),
        F("author PS id with unknown prefix 9", "HDR-016", "error", d => Attr(d, P + "/h:author/h:assignedAuthor/h:id", "extension", "9" + CdaBuilder.Rpps)),
        F("author RPPS with a letter", "HDR-016", "error", d => Attr(d, P + "/h:author/h:assignedAuthor/h:id", "extension", "8" + CdaBuilder.Rpps[..10] + "X")),
        F("legalAuthenticator RPPS 12 digits", "HDR-016", "error", d => Attr(d, P + "/h:legalAuthenticator/h:assignedEntity/h:id", "extension", "8" + CdaBuilder.Rpps + "0")),
        F("author RPPS wrong Luhn", "HDR-017", "warning", d => Attr(d, P + "/h:author/h:assignedAuthor/h:id", "extension", "8" + CdaBuilder.Rpps[..10] + (char)('0' + (CdaBuilder.Rpps[10] - '0' + 1) % 10))),
        F("custodian removed", "HDR-018", "error", d => Remove(d, P + "/h:custodian")),
        F("custodian root wrong", "HDR-018", "error", d => Attr(d, P + "/h:custodian//h:representedCustodianOrganization/h:id", "root", "1.2.250.1.71.4.2.1")),
        F("custodian id removed", "HDR-018", "error", d => Remove(d, P + "/h:custodian//h:representedCustodianOrganization/h:id")),
        F("custodian id without extension", "HDR-018", "error", d => Attr(d, P + "/h:custodian//h:representedCustodianOrganization/h:id", "extension", null)),
        F("custodian FINESS 8 characters", "HDR-019", "error", d => Attr(d, P + "/h:custodian//h:representedCustodianOrganization/h:id", "extension", "1" + CdaBuilder.Finess[..8])),
        F("custodian FINESS with letters", "HDR-019", "error", d => Attr(d, P + "/h:custodian//h:representedCustodianOrganization/h:id", "extension", "17500X0012")),
        F("legalAuthenticator removed", "HDR-020", "error", d => Remove(d, P + "/h:legalAuthenticator")),
        F("signatureCode not S", "HDR-020", "error", d => Attr(d, P + "/h:legalAuthenticator/h:signatureCode", "code", "X")),
        F("signatureCode removed", "HDR-020", "error", d => Remove(d, P + "/h:legalAuthenticator/h:signatureCode")),
        F("legalAuthenticator time removed", "HDR-020", "error", d => Remove(d, P + "/h:legalAuthenticator/h:time")),
        F("legalAuthenticator id removed", "HDR-020", "error", d => Remove(d, P + "/h:legalAuthenticator/h:assignedEntity/h:id")),
        F("documentationOf removed", "HDR-021", "error", d => Remove(d, P + "/h:documentationOf")),
        F("serviceEvent performer removed", "HDR-021", "error", d => Remove(d, P + "/h:documentationOf/h:serviceEvent/h:performer")),
        F("serviceEvent effectiveTime removed", "HDR-021", "error", d => Remove(d, P + "/h:documentationOf/h:serviceEvent/h:effectiveTime")),
        F("serviceEvent low removed", "HDR-021", "error", d => Remove(d, P + "/h:documentationOf/h:serviceEvent/h:effectiveTime/h:low")),
        F("performer id removed", "HDR-021", "error", d => Remove(d, P + "/h:documentationOf/h:serviceEvent/h:performer/h:assignedEntity/h:id")),
        F("healthCareFacility displayName removed", "HDR-022", "error", d => Attr(d, P + "/h:componentOf//h:healthCareFacility/h:code", "displayName", null)),
        F("componentOf removed", "HDR-022", "error", d => Remove(d, P + "/h:componentOf")),
        F("encounter effectiveTime removed", "HDR-022", "error", d => Remove(d, P + "/h:componentOf/h:encompassingEncounter/h:effectiveTime")),
        F("healthCareFacility code removed", "HDR-022", "error", d => Remove(d, P + "/h:componentOf//h:healthCareFacility/h:code")),
        F("encounter location removed", "HDR-022", "error", d => Remove(d, P + "/h:componentOf/h:encompassingEncounter/h:location")),
        F("healthCareFacility code not in J02", "HDR-023", "error", d => Attr(d, P + "/h:componentOf//h:healthCareFacility/h:code", "code", "SA99")),
        F("healthCareFacility codeSystem wrong", "HDR-023", "error", d => Attr(d, P + "/h:componentOf//h:healthCareFacility/h:code", "codeSystem", "1.2.250.1.213.1.1.4.9")),

        // ---- document type (DOC-01x) ----
        F("code removed", "DOC-010", "error", d => Remove(d, P + "/h:code")),
        F("code twice", "DOC-010", "error", d => AddAfter(d, P + "/h:code", new XElement(d.El(P + "/h:code")!))),
        F("code attribute removed", "DOC-010", "error", d => Attr(d, P + "/h:code", "code", null)),
        F("code displayName removed", "DOC-010", "error", d => Attr(d, P + "/h:code", "displayName", null)),
        F("code codeSystem removed", "DOC-010", "error", d => Attr(d, P + "/h:code", "codeSystem", null)),
        F("code not in J07", "DOC-011", "error", d => Attr(d, P + "/h:code", "code", "99999-9")),
        F("code codeSystem mismatch", "DOC-012", "error", d => Attr(d, P + "/h:code", "codeSystem", "1.2.250.1.213.1.1.4.1")),
        F("code displayName differs", "DOC-013", "warning", d => Attr(d, P + "/h:code", "displayName", "Autre libellé")),
        B("type not in DMP J66", "DOC-014", "warning", b => b.WithType("PIECE-IDENTITE", CdaBuilder.AnsTypes, "Copie pièce d'identité"), FaultScope.N1),
        B("type without class mapping", "DOC-015", "info", b => b.WithType("34876-3", CdaBuilder.Loinc, "Évaluation préopératoire et note de suivi"), FaultScope.N1),
        B("synthèse instead of LDL", "DOC-016", "info", b => b.WithType("34133-9", CdaBuilder.Loinc, "Synthèse d'épisode de soins"), FaultScope.N1),

        // ---- body (DOC-03x) ----
        F("component removed", "DOC-030", "error", d => Remove(d, P + "/h:component")),
        F("body emptied", "DOC-030", "error", d => d.El(P + "/h:component")!.RemoveNodes()),
        F("nonXMLBody text removed", "DOC-031", "error", d => Remove(d, Text), FaultScope.N1),
        F("mediaType removed", "DOC-031", "error", d => Attr(d, Text, "mediaType", null), FaultScope.N1),
        F("representation removed", "DOC-031", "error", d => Attr(d, Text, "representation", null), FaultScope.N1),
        F("mediaType not a CI-SIS type", "DOC-032", "error", d => Attr(d, Text, "mediaType", "application/msword"), FaultScope.N1),
        F("mediaType text/plain", "DOC-032", "warning", d => Attr(d, Text, "mediaType", "text/plain"), FaultScope.N1),
        F("representation TXT", "DOC-033", "error", d => Attr(d, Text, "representation", "TXT"), FaultScope.N1),
        F("base64 with invalid characters", "DOC-034", "error", d => d.SetText(Text, "JVBERi0xLjQK$$$$"), FaultScope.N1),
        F("base64 truncated", "DOC-034", "error", d => d.SetText(Text, d.El(Text)!.Value.Trim()[..^3]), FaultScope.N1),
        F("body empty base64", "DOC-034", "error", d => d.SetText(Text, ""), FaultScope.N1),
        F("body is not a PDF", "DOC-035", "error", d => d.SetText(Text, Base64("<html>not a pdf</html>")), FaultScope.N1),
        F("body PDF without %%EOF", "DOC-035", "error", d => d.SetText(Text, Convert.ToBase64String(CdaBuilder.MinimalPdf()[..^7])), FaultScope.N1),
        F("body PDF with a prefix", "DOC-035", "error", d => d.SetText(Text, Convert.ToBase64String([.. "junk"u8.ToArray(), .. CdaBuilder.MinimalPdf()])), FaultScope.N1),
        F("N1 with XDS-SD templateId removed", "HDR-003", "error", d => Remove(d, P + "/h:templateId[@root='1.3.6.1.4.1.19376.1.2.20']"), FaultScope.N1),
        F("N1 XDS-SD templateId twice", "HDR-003", "error", d => AddAfter(d, P + "/h:templateId[@root='1.3.6.1.4.1.19376.1.2.20']", E("templateId", new XAttribute("root", "1.3.6.1.4.1.19376.1.2.20"))), FaultScope.N1),
        F("N1 with a volet templateId", "HDR-003", "error", d => AddAfter(d, P + "/h:templateId[@root='1.3.6.1.4.1.19376.1.2.20']", E("templateId", new XAttribute("root", "1.2.250.1.213.1.1.1.29"))), FaultScope.N1),
        F("structuredBody without section", "DOC-037", "error", d => d.El(P + "/h:component/h:structuredBody")!.RemoveNodes(), FaultScope.N3 | FaultScope.BioN3),
        F("CR-BIO without XD-LAB templateId", "DOC-038", "error", d => Remove(d, P + "/h:templateId[@root='1.3.6.1.4.1.19376.1.3.3']"), FaultScope.BioN3),
        F("CR-BIO without CR-BIO templateId", "DOC-038", "error", d => Remove(d, P + "/h:templateId[@root='1.2.250.1.213.1.1.1.55']"), FaultScope.BioN3),
        F("CR-BIO lab section without entries", "DOC-039", "error", d => Remove(d, "//h:section[h:templateId/@root='1.3.6.1.4.1.19376.1.3.3.2.1']/h:entry"), FaultScope.BioN3),
        F("CR-BIO without lab section", "DOC-039", "error", d => Remove(d, "//h:section/h:templateId[@root='1.3.6.1.4.1.19376.1.3.3.2.1' or @root='1.3.6.1.4.1.19376.1.3.3.2.2']"), FaultScope.BioN3),
        F("LDL-SES volet with another type code", "DOC-036", "error", d => { Attr(d, P + "/h:code", "code", "11488-4"); Attr(d, P + "/h:code", "displayName", "CR ou fiche de consultation ou de visite"); }, FaultScope.N3),
        F("CR-BIO volet with another type code", "DOC-036", "error", d => { Attr(d, P + "/h:code", "code", "11488-4"); Attr(d, P + "/h:code", "displayName", "CR ou fiche de consultation ou de visite"); }, FaultScope.BioN3),
        F("CR-IMG volet without DICOM parent", "DOC-040", "error", d => Remove(d, P + "/h:templateId[@root='1.2.840.10008.9.21']"), FaultScope.N3) with { Kind = "img" },
        F("CR-IMG volet with another type code", "DOC-036", "error", d => { Attr(d, P + "/h:code", "code", "11488-4"); Attr(d, P + "/h:code", "displayName", "CR ou fiche de consultation ou de visite"); }, FaultScope.N3) with { Kind = "img" },
        F("N3 with XDS-SD templateId", "HDR-003", "error", d => AddAfter(d, P + "/h:templateId[@root='1.2.250.1.213.1.1.1.1']", E("templateId", new XAttribute("root", "1.3.6.1.4.1.19376.1.2.20"))), FaultScope.N3 | FaultScope.BioN3),
        F("N3 embedded PDF not a PDF", "DOC-035", "error", d => d.SetText("//h:observationMedia/h:value", Base64("plain text")), FaultScope.BioN3),
        F("N3 embedded PDF bad base64", "DOC-034", "error", d => d.SetText("//h:observationMedia/h:value", "%%%%"), FaultScope.BioN3),

        // ---- INS ----
        F("matricule key wrong", "INS-004", "error", WrongKey),
        B("matricule key wrong under test OID", "INS-004", "warning", b => b.WithIns(CdaBuilder.InsNirTestOid).Mutate(WrongKey)) with { AllowTestIns = true },
        F("matricule 13 characters", "INS-005", "error", d => Attr(d, InsId, "extension", d.El(InsId)!.Attribute("extension")!.Value[..13])),
        F("matricule with a letter", "INS-005", "error", d => Attr(d, InsId, "extension", "1850775A5612323")),
        F("matricule empty", "INS-005", "error", d => Attr(d, InsId, "extension", "")),
        F("INS replaced by INS-C", "INS-006", "error", d => Attr(d, InsId, "root", "1.2.250.1.213.1.4.2")),
        F("INS-C next to the INS", "INS-006", "warning", d => AddAfter(d, InsId, E("id", new XAttribute("root", "1.2.250.1.213.1.4.2"), new XAttribute("extension", "0123456789012345678901")))),
        F("INS replaced by the NSS", "INS-006", "error", d => Attr(d, InsId, "root", "1.2.250.1.213.1.4.13")),
        F("INS id removed", "INS-007", "error", d => Remove(d, InsId)),
        F("INS root unknown", "INS-007", "error", d => Attr(d, InsId, "root", "1.2.250.1.213.1.4.12")),
        F("family BR removed", "INS-008", "error", d => Remove(d, Patient + "/h:name/h:family[@qualifier='BR']")),
        F("given BR removed", "INS-008", "error", d => Remove(d, Patient + "/h:name/h:given[@qualifier='BR']")),
        F("given list removed", "INS-008", "error", d => Remove(d, Patient + "/h:name/h:given[not(@qualifier)]")),
        F("birthTime removed", "INS-008", "error", d => Remove(d, Patient + "/h:birthTime")),
        F("birthTime nullFlavor", "INS-008", "error", d => { Attr(d, Patient + "/h:birthTime", "value", null); Attr(d, Patient + "/h:birthTime", "nullFlavor", "UNK"); }),
        F("administrativeGenderCode removed", "INS-008", "error", d => Remove(d, Patient + "/h:administrativeGenderCode")),
        F("birthplace removed", "INS-008", "error", d => Remove(d, Patient + "/h:birthplace")),
        F("county removed", "INS-008", "error", d => Remove(d, Patient + "/h:birthplace/h:place/h:addr/h:county")),
        F("family BR empty", "INS-008", "error", d => d.SetText(Patient + "/h:name/h:family[@qualifier='BR']", "")),
        F("given list not starting with first given", "INS-008", "warning", d => d.SetText(Patient + "/h:name/h:given[not(@qualifier)]", "JEAN PAUL")),
        F("birthTime not a real date", "INS-009", "error", d => Attr(d, Patient + "/h:birthTime", "value", "19850231")),
        F("birthTime year only", "INS-009", "error", d => Attr(d, Patient + "/h:birthTime", "value", "1985")),
        F("birthTime in the future", "INS-009", "error", d => Attr(d, Patient + "/h:birthTime", "value", "29990101")),
        F("gender not in J143", "INS-010", "error", d => Attr(d, Patient + "/h:administrativeGenderCode", "code", "X")),
        F("gender codeSystem wrong", "INS-010", "error", d => Attr(d, Patient + "/h:administrativeGenderCode", "codeSystem", "1.2.250.1.213.1.1.4.2")),
        F("county 4 characters", "INS-011", "error", d => d.SetText(Patient + "/h:birthplace/h:place/h:addr/h:county", "7505")),
        F("county is a city name", "INS-011", "error", d => d.SetText(Patient + "/h:birthplace/h:place/h:addr/h:county", "PARIS")),
        F("family qualifier SP", "INS-012", "error", d => Attr(d, Patient + "/h:name/h:family", "qualifier", "SP")),
        F("family without qualifier", "INS-012", "error", d => AddAfter(d, Patient + "/h:name/h:family", E("family", "AUTRE"))),
        F("given qualifier IN", "INS-012", "error", d => AddAfter(d, Patient + "/h:name/h:given[@qualifier='BR']", E("given", new XAttribute("qualifier", "IN"), "P"))),
        F("sex differs from NIR", "INS-013", "warning", d => Attr(d, Patient + "/h:administrativeGenderCode", "code", "F")),
        F("birth year differs from NIR", "INS-014", "warning", d => Attr(d, Patient + "/h:birthTime", "value", "19860714")),
        F("birth month differs from NIR", "INS-014", "warning", d => Attr(d, Patient + "/h:birthTime", "value", "19850614")),
        F("born abroad but NIR says France", "INS-015", "warning", d => d.SetText(Patient + "/h:birthplace/h:place/h:addr/h:county", "99100")),
        B("test OID", "INS-016", "warning", b => b.WithIns(CdaBuilder.InsNirTestOid)),
        F("INS root changed to the test OID", "INS-016", "warning", d => Attr(d, InsId, "root", CdaBuilder.InsNirTestOid)),
        F("second INS with another matricule", "INS-017", "warning", d => AddAfter(d, InsId, E("id", new XAttribute("root", CdaBuilder.InsNirOid), new XAttribute("extension", CdaBuilder.Nir('1', "85", "07", "75056", "124"))))),
    ];
}
