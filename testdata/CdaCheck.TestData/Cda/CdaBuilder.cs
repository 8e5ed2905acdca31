using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;

namespace CdaCheck.TestData.Cda;

public enum CdaLevel { N1, N3 }

/// <summary>A document type used by the builder: J07 code, code system and label.</summary>
public sealed record DocType(string Kind, string Code, string CodeSystem, string DisplayName);

/// <summary>
/// A health professional and the organisation they sign for (author, legalAuthenticator, performer, custodian).
/// <paramref name="RppsExtension"/> and <paramref name="OrgIdExtension"/> are the full id extensions (type prefix included).
/// </summary>
public sealed record CdaParty(string Given, string Family, string RppsExtension, string OrgIdExtension, string OrgName,
    bool WithSpecialty = true, bool FamilyFirst = false);

/// <summary>
/// Fluent builder of conformant French CDA R2 documents (CI-SIS Structuration minimale header,
/// production-form INS with a computed key, N1 PDF body or N3 structured body). Every fixture in
/// the tests starts from this builder; negative variants are made with <see cref="Mutate"/>.
/// All identities are fictitious.
/// </summary>
public sealed class CdaBuilder
{
    public const string Loinc = "2.16.840.1.113883.6.1";
    public const string AnsTypes = "1.2.250.1.213.1.1.4.12";
    public const string InsNirOid = "1.2.250.1.213.1.4.8";
    public const string InsNiaOid = "1.2.250.1.213.1.4.9";
    public const string InsNirTestOid = "1.2.250.1.213.1.4.10";
    public const string RppsRoot = "1.2.250.1.71.4.2.1";
    public const string StructRoot = "1.2.250.1.71.4.2.2";
    public static readonly XNamespace V3 = "urn:hl7-org:v3";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>One type per Ségur kind (plus "other"); ods also has the other class-42 codes in <see cref="PrescriptionTypes"/>.</summary>
    public static readonly IReadOnlyList<DocType> SegurTypes =
    [
        new("ldl", "11490-0", Loinc, "Lettre de liaison à la sortie d'un établissement de soins"),
        new("ods", "57833-6", Loinc, "Prescription de produits de santé"),
        new("cro", "34874-8", Loinc, "CR opératoire"),
        new("crc", "11488-4", Loinc, "CR ou fiche de consultation ou de visite"),
        new("bio", "11502-2", Loinc, "CR d'examens biologiques"),
        new("img", "18748-4", Loinc, "CR d'imagerie médicale"),
        new("other", "34133-9", Loinc, "Synthèse d'épisode de soins"),
    ];

    public static readonly IReadOnlyList<DocType> PrescriptionTypes =
    [
        new("ods", "57833-6", Loinc, "Prescription de produits de santé"),
        new("ods", "57832-8", Loinc, "Prescription de soins"),
        new("ods", "57828-6", Loinc, "Prescription (autre)"),
        new("ods", "PRESC-KINE", AnsTypes, "Prescription d'actes de kinésithérapie"),
        new("ods", "PRESC-BIO", AnsTypes, "Prescription d'actes de biologie médicale"),
        new("ods", "PRESC-INF", AnsTypes, "Prescription d'actes infirmiers"),
    ];

    private DocType _type;
    private CdaLevel _level = CdaLevel.N1;
    private byte[]? _pdf;
    private string? _insOid = InsNirOid;
    private string? _matricule;
    private string _sex = "M";
    private string _birthDate = "19850714";
    private string _birthPlace = "75056";
    private string _familyBr = "MARTIN-FICTIF";
    private string _firstGiven = "PAUL";
    private string _givens = "PAUL JEAN";
    private string _effectiveTime = "20251103101500+0100";
    private string _docIdExtension = "DOC-0001";
    private int _version = 1;
    private bool _embedPdfInN3 = true;
    private string _docIdRoot = "1.2.250.1.999.1.1";
    private string _setIdRoot = "1.2.250.1.999.1.2";
    private string? _setIdExtension;
    private bool _setIdHasExtension = true;
    private string? _title;
    private string? _codeSystemName;
    private string _ippRoot = "1.2.250.1.999.2.1";
    private string _ipp = "IPP000123";
    private bool _patientClassCode = true;
    private bool _genderDisplay;
    private CdaParty _party = DefaultParty;
    private bool _serviceCode = true;
    private string _serviceLow = "20251028090000+0100";
    private string? _serviceHigh;
    private bool _serviceHighIsEffective = true;
    private string? _performerService;
    private string _encounterLow = "20251028090000+0100";
    private string? _encounterHigh;
    private bool _encounterHighIsEffective = true;
    private (string Title, string Text)? _simpleSection;
    private bool _base64OneLine;
    private bool _compact;
    private readonly List<Action<XDocument>> _mutations = new();

    private CdaBuilder(DocType type) => _type = type;

    public static CdaBuilder ForKind(string kind) =>
        new(SegurTypes.FirstOrDefault(t => t.Kind == kind) ?? throw new ArgumentException("unknown kind " + kind, nameof(kind)));

    public static CdaBuilder Ldl() => ForKind("ldl");
    public static CdaBuilder Ods() => ForKind("ods");
    public static CdaBuilder Cro() => ForKind("cro");
    public static CdaBuilder Crc() => ForKind("crc");
    public static CdaBuilder Bio() => ForKind("bio");
    public static CdaBuilder Img() => ForKind("img");
    public static CdaBuilder Other() => ForKind("other");

    public DocType Type => _type;
    public CdaLevel LevelValue => _level;

    public CdaBuilder WithType(string code, string codeSystem, string displayName)
    {
        _type = _type with { Code = code, CodeSystem = codeSystem, DisplayName = displayName };
        return this;
    }

    public CdaBuilder WithType(DocType type) { _type = type; return this; }
    public CdaBuilder Level(CdaLevel level) { _level = level; return this; }
    public CdaBuilder N1() => Level(CdaLevel.N1);
    public CdaBuilder N3() => Level(CdaLevel.N3);
    /// <summary>Embeds these PDF bytes (N1 text, or the N3 observationMedia).</summary>
    public CdaBuilder WithPdf(byte[] pdf) { _pdf = pdf; return this; }
    /// <summary>N3 only: whether the structured body also carries the PDF as observationMedia (default true).</summary>
    public CdaBuilder EmbedPdfInN3(bool embed) { _embedPdfInN3 = embed; return this; }
    /// <summary>INS under <paramref name="oid"/>; the matricule defaults to one computed from the traits with a valid key.</summary>
    public CdaBuilder WithIns(string oid, string? matricule = null) { _insOid = oid; _matricule = matricule; return this; }
    public CdaBuilder WithoutIns() { _insOid = null; return this; }
    public CdaBuilder WithPatient(string sex, string birthDate, string birthPlaceCog)
    {
        _sex = sex; _birthDate = birthDate; _birthPlace = birthPlaceCog;
        return this;
    }
    public CdaBuilder WithNames(string familyBr, string firstGiven, string givens)
    {
        _familyBr = familyBr; _firstGiven = firstGiven; _givens = givens;
        return this;
    }
    public CdaBuilder WithEffectiveTime(string ts) { _effectiveTime = ts; return this; }
    public CdaBuilder WithDocumentId(string extension) { _docIdExtension = extension; return this; }
    /// <summary>ClinicalDocument/id/@root (default 1.2.250.1.999.1.1).</summary>
    public CdaBuilder WithDocumentIdRoot(string root) { _docIdRoot = root; return this; }
    /// <summary>setId root and extension (null extension: none); default root 1.2.250.1.999.1.2, extension "SET-" + document id.</summary>
    public CdaBuilder WithSetId(string root, string? extension)
    {
        _setIdRoot = root; _setIdExtension = extension; _setIdHasExtension = extension is not null;
        return this;
    }
    /// <summary>The document title (default: the type's display name).</summary>
    public CdaBuilder WithTitle(string title) { _title = title; return this; }
    /// <summary>Adds codeSystemName to the document code (e.g. "LOINC").</summary>
    public CdaBuilder WithCodeSystemName(string name) { _codeSystemName = name; return this; }
    /// <summary>The local patient identifier (IPP) of patientRole.</summary>
    public CdaBuilder WithPatientId(string root, string extension) { _ippRoot = root; _ipp = extension; return this; }
    /// <summary>patient/@classCode="PSN" (default true) and administrativeGenderCode/@displayName (default false).</summary>
    public CdaBuilder PatientStyle(bool classCode, bool genderDisplay) { _patientClassCode = classCode; _genderDisplay = genderDisplay; return this; }
    /// <summary>The author, legal authenticator, performer and custodian.</summary>
    public CdaBuilder WithParty(CdaParty party) { _party = party; return this; }
    /// <summary>documentationOf/serviceEvent: code IMP or none, low, high (null: none), and a performer standing for a service (name) instead of a person.</summary>
    public CdaBuilder WithServiceEvent(bool code, string low, string? high, string? performerService = null)
    {
        _serviceCode = code; _serviceLow = low; _serviceHigh = high; _serviceHighIsEffective = false; _performerService = performerService;
        return this;
    }
    /// <summary>componentOf/encompassingEncounter/effectiveTime: low and high (null: none).</summary>
    public CdaBuilder WithEncounter(string low, string? high)
    {
        _encounterLow = low; _encounterHigh = high; _encounterHighIsEffective = false;
        return this;
    }
    /// <summary>N3 (non-biology): one section with just a title and a plain text instead of the default section.</summary>
    public CdaBuilder WithSimpleSection(string title, string text) { _simpleSection = (title, text); return this; }
    /// <summary>Writes the embedded PDF's base64 on one line (default: MIME line breaks).</summary>
    public CdaBuilder Base64OneLine() { _base64OneLine = true; return this; }
    /// <summary>
    /// <see cref="ToXml"/> writes "&lt;a/&gt;" empty tags, an upper-case "UTF-8" declaration, the five XML entities
    /// escaped everywhere and a final newline (the hand-written fixtures' layout) instead of the XmlWriter layout.
    /// </summary>
    public CdaBuilder CompactXml() { _compact = true; return this; }
    /// <summary>The builder's own author and organisation.</summary>
    public static CdaParty DefaultParty => new("Claire", "AUTEUR-FICTIF", "8" + Rpps, "1" + Finess, "Centre hospitalier fictif");
    /// <summary>versionNumber; a value above 1 also adds relatedDocument RPLC (as the CI-SIS requires).</summary>
    public CdaBuilder WithVersion(int version) { _version = version; return this; }
    /// <summary>Applies a change to the built document (negative variants: one fault each).</summary>
    public CdaBuilder Mutate(Action<XDocument> mutation) { _mutations.Add(mutation); return this; }

    /// <summary>The matricule the document will carry (computed from sex, birth date and place when not given).</summary>
    public string Matricule => _matricule ?? Nir(_sex == "F" ? '2' : '1', _birthDate.Substring(2, 2), _birthDate.Substring(4, 2), _birthPlace, "123");

    public XDocument Build()
    {
        var doc = new XDocument(new XDeclaration("1.0", "UTF-8", null), BuildRoot());
        foreach (var m in _mutations) m(doc);
        return doc;
    }

    public string ToXml()
    {
        var doc = Build();
        var sb = new StringBuilder();
        if (_compact)
        {
            sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            WriteCompact(sb, doc.Root!, 0, true);
            return sb.ToString();
        }
        using (var w = XmlWriter.Create(new StringWriterUtf8(sb), new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
            doc.Save(w);
        return sb.ToString();
    }

    public byte[] ToBytes() => new UTF8Encoding(false).GetBytes(ToXml());

    private sealed class StringWriterUtf8(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }

    /// <summary>Two-space indented writer: one element per line, text-only elements inline (depth is the document's, a few levels).</summary>
    private static void WriteCompact(StringBuilder sb, XElement e, int depth, bool root)
    {
        sb.Append(' ', depth * 2).Append('<').Append(e.Name.LocalName);
        if (root) sb.Append(" xmlns=\"").Append(e.Name.NamespaceName).Append('"');
        foreach (var a in e.Attributes())
        {
            if (a.IsNamespaceDeclaration) { sb.Append(" xmlns:").Append(a.Name.LocalName); }
            else sb.Append(' ').Append(a.Name.Namespace == Xsi ? "xsi:" : "").Append(a.Name.LocalName);
            sb.Append("=\"").Append(System.Security.SecurityElement.Escape(a.Value)).Append('"');
        }
        if (!e.Nodes().Any()) { sb.Append("/>\n"); return; }
        if (!e.HasElements) { sb.Append('>').Append(System.Security.SecurityElement.Escape(e.Value)).Append("</").Append(e.Name.LocalName).Append(">\n"); return; }
        sb.Append(">\n");
        foreach (var c in e.Elements()) WriteCompact(sb, c, depth + 1, false);
        sb.Append(' ', depth * 2).Append("</").Append(e.Name.LocalName).Append(">\n");
    }

    private static XElement E(string name, params object?[] content) => new(V3 + name, content);
    private static XAttribute A(string name, string value) => new(name, value);

    private bool IsBioN3 => _level == CdaLevel.N3 && _type.Code == "11502-2";

    private XElement BuildRoot()
    {
        var date = _effectiveTime;
        var p = _party;
        XElement PartyId() => E("id", A("root", RppsRoot), A("extension", p.RppsExtension));
        XElement OrgId() => E("id", A("root", StructRoot), A("extension", p.OrgIdExtension));
        XElement PartyPerson() => E("assignedPerson", E("name", p.FamilyFirst
            ? new object[] { E("family", p.Family), E("given", p.Given) }
            : new object[] { E("given", p.Given), E("family", p.Family) }));
        var root = E("ClinicalDocument",
            new XAttribute(XNamespace.Xmlns + "xsi", Xsi.NamespaceName),
            E("realmCode", A("code", "FR")),
            E("typeId", A("root", "2.16.840.1.113883.1.3"), A("extension", "POCD_HD000040")),
            E("templateId", A("root", "2.16.840.1.113883.2.8.2.1")),
            E("templateId", A("root", "1.2.250.1.213.1.1.1.1")),
            VoletTemplates(),
            E("id", A("root", _docIdRoot), A("extension", _docIdExtension)),
            E("code", A("code", _type.Code), A("codeSystem", _type.CodeSystem), _codeSystemName is null ? null : A("codeSystemName", _codeSystemName), A("displayName", _type.DisplayName)),
            E("title", _title ?? (IsBioN3 ? "Compte rendu d'examens biologiques" : _type.DisplayName)),
            E("effectiveTime", A("value", date)),
            E("confidentialityCode", A("code", "N"), A("codeSystem", "2.16.840.1.113883.5.25"), A("displayName", "Normal")),
            E("languageCode", A("code", "fr-FR")),
            E("setId", A("root", _setIdRoot), _setIdHasExtension ? A("extension", _setIdExtension ?? "SET-" + _docIdExtension) : null),
            E("versionNumber", A("value", _version.ToString(CultureInfo.InvariantCulture))),
            RecordTarget(),
            E("author",
                E("time", A("value", date)),
                E("assignedAuthor",
                    PartyId(),
                    p.WithSpecialty ? E("code", A("code", "G15_10/SM26"), A("codeSystem", "1.2.250.1.213.1.1.4.5"), A("displayName", "Médecin - Qualifié en Médecine Générale (SM)")) : null,
                    PartyPerson(),
                    E("representedOrganization", OrgId(), E("name", p.OrgName)))),
            E("custodian",
                E("assignedCustodian",
                    E("representedCustodianOrganization", OrgId(), E("name", p.OrgName)))),
            E("legalAuthenticator",
                E("time", A("value", date)),
                E("signatureCode", A("code", "S")),
                E("assignedEntity", PartyId(), PartyPerson())),
            _version > 1 ? E("relatedDocument", A("typeCode", "RPLC"), E("parentDocument", E("id", A("root", _docIdRoot), A("extension", _docIdExtension + "-v" + (_version - 1))))) : null,
            E("documentationOf",
                E("serviceEvent",
                    _serviceCode ? E("code", A("code", "IMP"), A("codeSystem", "2.16.840.1.113883.5.4"), A("displayName", "Hospitalisation")) : null,
                    Interval(_serviceLow, _serviceHighIsEffective ? date : _serviceHigh),
                    E("performer", A("typeCode", "PRF"),
                        E("assignedEntity",
                            PartyId(),
                            _performerService is null
                                ? PartyPerson()
                                : E("representedOrganization", E("name", _performerService),
                                    E("standardIndustryClassCode", A("code", "ETABLISSEMENT"), A("codeSystem", "1.2.250.1.213.1.1.4.9"), A("displayName", "Etablissement de santé"))))))),
            E("componentOf",
                E("encompassingEncounter",
                    Interval(_encounterLow, _encounterHighIsEffective ? date : _encounterHigh),
                    E("location",
                        E("healthCareFacility",
                            E("code", A("code", "SA01"), A("codeSystem", "1.2.250.1.71.4.2.4"), A("displayName", "Etablissement public de santé")))))),
            E("component", _level == CdaLevel.N1 ? NonXmlBody() : StructuredBody()));
        return root;
    }

    private static XElement Interval(string low, string? high) =>
        E("effectiveTime", E("low", A("value", low)), high is null ? null : E("high", A("value", high)));

    private IEnumerable<XElement> VoletTemplates()
    {
        if (_level == CdaLevel.N1)
        {
            yield return E("templateId", A("root", "1.3.6.1.4.1.19376.1.2.20"));
            yield break;
        }
        if (_type.Code == "11502-2")
        {
            yield return E("templateId", A("root", "1.3.6.1.4.1.19376.1.3.3"));
            yield return E("templateId", A("root", "1.2.250.1.213.1.1.1.55"), A("extension", "2024.01"));
        }
        else if (_type.Code == "11490-0")
            yield return E("templateId", A("root", "1.2.250.1.213.1.1.1.29"), A("extension", "2022.01"));
        else if (_type.Code == "18748-4")
        {
            yield return E("templateId", A("root", "1.2.840.10008.9.1"));
            yield return E("templateId", A("root", "1.2.840.10008.9.20"));
            yield return E("templateId", A("root", "1.2.840.10008.9.21"));
            yield return E("templateId", A("root", "1.2.250.1.213.1.1.1.45"), A("extension", "2024.01"));
        }
        else
            yield return E("templateId", A("root", "1.3.6.1.4.1.19376.1.5.3.1.1.1"));
    }

    private XElement RecordTarget()
    {
        var role = E("patientRole");
        if (_insOid is not null) role.Add(E("id", A("root", _insOid), A("extension", Matricule)));
        role.Add(E("id", A("root", _ippRoot), A("extension", _ipp)));
        role.Add(E("patient", _patientClassCode ? A("classCode", "PSN") : null,
            E("name",
                E("family", A("qualifier", "BR"), _familyBr),
                E("given", _givens),
                E("given", A("qualifier", "BR"), _firstGiven)),
            E("administrativeGenderCode", A("code", _sex), A("codeSystem", "2.16.840.1.113883.5.1"),
                _genderDisplay ? A("displayName", _sex == "M" ? "Masculin" : "Féminin") : null),
            E("birthTime", A("value", _birthDate)),
            E("birthplace", E("place", E("addr", E("county", _birthPlace))))));
        return E("recordTarget", role);
    }

    /// <summary>Default PDF: a report page with the identity cartouche and, when the document has an INS, the INS DataMatrix (vector, FOP style).</summary>
    private byte[] Pdf => _pdf ??= DefaultPdf;

    /// <summary>The PDF embedded when none is given with <see cref="WithPdf"/>.</summary>
    public byte[] DefaultPdf => Composite.SegurPdf.Render("CdaCheck fictitious " + _type.DisplayName, Identity);

    /// <summary>The identity the document carries (null without INS), for fixture PDFs and DataMatrix payloads.</summary>
    public Composite.PdfIdentity? Identity =>
        _insOid is null ? null : new Composite.PdfIdentity(Matricule, _insOid, _givens, _familyBr, _sex, _birthDate, _birthPlace);

    private XElement NonXmlBody() =>
        E("nonXMLBody", E("text", A("mediaType", "application/pdf"), A("representation", "B64"), Base64Lines(Pdf)));

    private XElement StructuredBody()
    {
        if (IsBioN3)
        {
            var section = E("section",
                E("templateId", A("root", "1.3.6.1.4.1.19376.1.3.3.2.1")),
                E("id", A("root", "1.2.250.1.999.3.1")),
                E("code", A("code", "18719-5"), A("codeSystem", Loinc), A("displayName", "Chimie")),
                E("title", "Biochimie"),
                E("text", E("paragraph", "Glycémie à jeun : 5,1 mmol/L")),
                E("entry", A("typeCode", "DRIV"),
                    E("act", A("classCode", "ACT"), A("moodCode", "EVN"),
                        E("templateId", A("root", "1.3.6.1.4.1.19376.1.3.1")),
                        E("code", A("code", "18719-5"), A("codeSystem", Loinc), A("displayName", "Chimie")),
                        E("statusCode", A("code", "completed")),
                        E("entryRelationship", A("typeCode", "COMP"),
                            E("observation", A("classCode", "OBS"), A("moodCode", "EVN"),
                                E("templateId", A("root", "1.3.6.1.4.1.19376.1.3.1.6")),
                                E("code", A("code", "14749-6"), A("codeSystem", Loinc), A("displayName", "Glucose")),
                                E("statusCode", A("code", "completed")),
                                E("effectiveTime", A("value", "20251103080000+0100")),
                                E("value", new XAttribute(Xsi + "type", "PQ"), A("value", "5.1"), A("unit", "mmol/L")))))));
            var body = E("structuredBody", E("component", section));
            if (_embedPdfInN3)
                body.Add(E("component", E("section",
                    E("code", A("code", "55108-5"), A("codeSystem", Loinc), A("displayName", "Document joint")),
                    E("title", "Compte rendu au format PDF"),
                    E("text", E("renderMultiMedia", A("referencedObject", "pdf-1"))),
                    E("entry", E("observationMedia", A("classCode", "OBS"), A("moodCode", "EVN"), A("ID", "pdf-1"),
                        E("value", A("mediaType", "application/pdf"), A("representation", "B64"), Base64Lines(Pdf)))))));
            return body;
        }
        var s = _simpleSection is { } simple ? E("section", E("title", simple.Title), E("text", simple.Text)) : E("section",
            E("code", A("code", "51847-2"), A("codeSystem", Loinc), A("displayName", "Évaluation et plan")),
            E("title", "Synthèse"),
            E("text", E("paragraph", "Document fictif produit par CdaCheck.")));
        var sb = E("structuredBody", E("component", s));
        if (_embedPdfInN3 && _pdf is not null)
            sb.Add(E("component", E("section",
                E("title", "Document joint"),
                E("text", E("renderMultiMedia", A("referencedObject", "pdf-1"))),
                E("entry", E("observationMedia", A("classCode", "OBS"), A("moodCode", "EVN"), A("ID", "pdf-1"),
                    E("value", A("mediaType", "application/pdf"), A("representation", "B64"), Base64Lines(Pdf)))))));
        return sb;
    }

    private string Base64Lines(byte[] bytes) => Convert.ToBase64String(bytes, _base64OneLine ? Base64FormattingOptions.None : Base64FormattingOptions.InsertLineBreaks);

    // ---- identifiers with valid check digits (fictitious) ----

    /// <summary>11-digit RPPS whose last digit is the Luhn key.</summary>
    public static readonly string Rpps = WithLuhn("1000123456");
    /// <summary>9-character FINESS whose last digit is the Luhn key.</summary>
    public static readonly string Finess = WithLuhn("75000012");

    public static string WithLuhn(string digits)
    {
        // Luhn: double every second digit from the right of the full number (check digit position excluded).
        int sum = 0;
        bool dbl = true;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (dbl) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            dbl = !dbl;
        }
        return digits + ((10 - sum % 10) % 10).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A 15-character matricule: sex, YY, MM, department+commune (5 chars COG), order (3), computed key.</summary>
    public static string Nir(char sex, string yy, string mm, string cog, string order)
    {
        var body = $"{sex}{yy}{mm}{cog}{order}";
        if (body.Length != 13) throw new ArgumentException("NIR body must have 13 characters: " + body.Length);
        var numeric = body.Substring(5, 2) switch { "2A" => body[..5] + "19" + body[7..], "2B" => body[..5] + "18" + body[7..], _ => body };
        var key = 97 - long.Parse(numeric, CultureInfo.InvariantCulture) % 97;
        return body + key.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>A tiny valid one-page PDF 1.4 with a correct xref table, ending with %%EOF.</summary>
    public static byte[] MinimalPdf(string text = "CdaCheck sample")
    {
        var safe = new string(text.Where(c => c is >= ' ' and < (char)127 && c is not '(' and not ')' and not '\\').ToArray());
        return OnePagePdf($"BT /F1 12 Tf 72 770 Td ({safe}) Tj ET", fontFirst: false);
    }

    /// <summary>
    /// A one-page PDF 1.4 (A4, Helvetica as /F1) drawing <paramref name="content"/>, with exact xref offsets:
    /// objects catalog, pages, page, then the font and the content stream (or the stream first when not <paramref name="fontFirst"/>).
    /// </summary>
    public static byte[] OnePagePdf(string content, bool fontFirst)
    {
        var (font, stream) = fontFirst ? (4, 5) : (5, 4);
        var fontObj = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
        var streamObj = $"<< /Length {content.Length} >>\nstream\n{content}\nendstream";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> >> /Contents {stream} 0 R >>",
            fontFirst ? fontObj : streamObj,
            fontFirst ? streamObj : fontObj,
        };
        var sb = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (int i = 0; i < objects.Length; i++)
        {
            offsets.Add(sb.Length);
            sb.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }
        int xref = sb.Length;
        sb.Append("xref\n0 ").Append(objects.Length + 1).Append('\n');
        sb.Append("0000000000 65535 f \n");
        foreach (var o in offsets) sb.Append(o.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        sb.Append("trailer\n<< /Size ").Append(objects.Length + 1).Append(" /Root 1 0 R >>\nstartxref\n").Append(xref).Append("\n%%EOF\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}

/// <summary>XPath helpers for mutations (prefix h: = urn:hl7-org:v3).</summary>
public static class CdaXPath
{
    private static readonly XmlNamespaceManager Ns = Make();

    private static XmlNamespaceManager Make()
    {
        var m = new XmlNamespaceManager(new NameTable());
        m.AddNamespace("h", "urn:hl7-org:v3");
        m.AddNamespace("xsi", "http://www.w3.org/2001/XMLSchema-instance");
        return m;
    }

    public static XElement? El(this XDocument doc, string xpath) => doc.XPathSelectElement(xpath, Ns);
    public static IEnumerable<XElement> Els(this XDocument doc, string xpath) => doc.XPathSelectElements(xpath, Ns);

    /// <summary>Removes every element matching <paramref name="xpath"/>.</summary>
    public static void RemoveAll(this XDocument doc, string xpath)
    {
        foreach (var e in doc.Els(xpath).ToList()) e.Remove();
    }

    /// <summary>Sets (or with null removes) an attribute on every element matching <paramref name="xpath"/>.</summary>
    public static void SetAttr(this XDocument doc, string xpath, string attribute, string? value)
    {
        foreach (var e in doc.Els(xpath).ToList()) e.SetAttributeValue(attribute, value);
    }

    public static void SetText(this XDocument doc, string xpath, string value)
    {
        foreach (var e in doc.Els(xpath).ToList()) e.Value = value;
    }
}
