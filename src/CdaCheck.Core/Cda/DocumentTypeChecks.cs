using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Cda;

/// <summary>Document type (ClinicalDocument/code): JDV_J07 membership, code system, class (ASS_X04), Ségur kind.</summary>
public sealed class DocumentTypeChecks(ReferenceData data) : ICdaCheck
{
    public const string Loinc = "2.16.840.1.113883.6.1";
    public const string AnsTypes = "1.2.250.1.213.1.1.4.12";

    public static readonly RuleDescriptor CodeMissing = new(
        "DOC-010", Severity.Error,
        "ClinicalDocument/code is required, with @code, @codeSystem and @displayName",
        "The document type code is missing or incomplete ({0}).",
        "CI-SIS Structuration minimale (SMDS_CDAClinicalDocument, code 1..1)",
        "Give ClinicalDocument/code with @code from JDV_J07, its @codeSystem and @displayName.");

    public static readonly RuleDescriptor CodeNotInJ07 = new(
        "DOC-011", Severity.Error,
        "The document type code is not in JDV_J07-XdsTypeCode-CISIS",
        "Document type code '{0}' is not in JDV_J07-XdsTypeCode-CISIS (version {1}){2}.",
        "CI-SIS Structuration minimale; ANS NOS JDV_J07-XdsTypeCode-CISIS (1.2.250.1.213.1.1.5.471)",
        "Use a current type code from JDV_J07 (e.g. 11490-0 for a lettre de liaison de sortie).");

    public static readonly RuleDescriptor CodeSystemMismatch = new(
        "DOC-012", Severity.Error,
        "The type code's codeSystem does not match JDV_J07",
        "Type code '{0}' is given with codeSystem '{1}' but JDV_J07 defines it in '{2}'.",
        "ANS NOS JDV_J07-XdsTypeCode-CISIS (LOINC 2.16.840.1.113883.6.1, TRE_A05 1.2.250.1.213.1.1.4.12)",
        "Set code/@codeSystem to the code system of the type code in JDV_J07.");

    public static readonly RuleDescriptor DisplayNameMismatch = new(
        "DOC-013", Severity.Warning,
        "The type code's displayName differs from the JDV_J07 label",
        "Type code '{0}' has displayName '{1}'; JDV_J07 labels it '{2}'.",
        "ANS NOS JDV_J07-XdsTypeCode-CISIS",
        "Use the JDV_J07 label as displayName.");

    public static readonly RuleDescriptor NotInDmpList = new(
        "DOC-014", Severity.Warning,
        "The type code is not in the DMP list JDV_J66 (ASS_X16)",
        "Type code '{0}' is in JDV_J07 but not in the DMP type list JDV_J66 (ASS_X16 v20240223); the DMP may refuse it.",
        "ANS IG HL7v2 transmission document CDA R2 (profils-messages: JDV_J66-TypeCode-DMP); ASS_X16",
        "Check with the DMP's current JDV_J66 list before sending this type to Mon espace santé.");

    public static readonly RuleDescriptor NoClassMapping = new(
        "DOC-015", Severity.Info,
        "No classCode is published yet for this type code (ASS_X04)",
        "Type code '{0}' has no class in ASS_X04 v20240426; the XDS classCode cannot be derived.",
        "ANS NOS ASS_X04-CorrespondanceType-Classe-CISIS v20240426120000",
        "Agree the classCode with the receiving system until ANS publishes the mapping.");

    public static readonly RuleDescriptor NotLetterOfLiaison = new(
        "DOC-016", Severity.Info,
        "A synthèse or hospital report is not a lettre de liaison de sortie",
        "Type code '{0}' ({1}) does not count as a lettre de liaison de sortie (11490-0) for the Ségur indicators.",
        "Ségur SUN-ES / HOP'EN 2 indicators (LDL = 11490-0); CI-SIS volet LDL-SES",
        "If this document is the lettre de liaison given at discharge, type it 11490-0 (LDL-SES).");

    private readonly ValueSet _j07 = data.ValueSet("J07-typecode");
    private readonly SegurKinds _kinds = SegurKinds.From(data);

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var codes = doc.Root.Els("code").ToList();
        var code = codes.FirstOrDefault();
        if (codes.Count > 1) sink.Report(CodeMissing, doc.Loc(codes[1]), $"{codes.Count} code elements, expected 1");
        var c = code.Attr("code");
        var cs = code.Attr("codeSystem");
        var dn = code.Attr("displayName");
        result.TypeCode = c;
        result.TypeCodeSystem = cs;
        result.TypeDisplay = dn;
        if (code is null) { sink.Report(CodeMissing, doc.Missing(doc.Root, "code"), "no code element"); return; }
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(c)) missing.Add("@code");
        if (string.IsNullOrWhiteSpace(cs)) missing.Add("@codeSystem");
        if (string.IsNullOrWhiteSpace(dn)) missing.Add("@displayName");
        if (missing.Count > 0) sink.Report(CodeMissing, doc.Loc(code), "missing " + string.Join(", ", missing));
        if (string.IsNullOrWhiteSpace(c)) return;

        var concept = _j07.Find(c);
        if (concept is null)
        {
            var legacy = LegacyClass(c);
            sink.Report(CodeNotInJ07, doc.Loc(code.Attribute("code")), c, _j07.Version,
                legacy is null ? "" : $" (legacy code, removed from J07; ASS_X04 still maps it to class {legacy})");
        }
        else
        {
            if (cs is not null && concept.CodeSystem is not null && concept.CodeSystem != "ASTM" && cs != concept.CodeSystem)
                sink.Report(CodeSystemMismatch, doc.Loc(code.Attribute("codeSystem")), c, cs, concept.CodeSystem);
            if (dn is not null && concept.Display is not null && !string.Equals(Normalize(dn), Normalize(concept.Display), StringComparison.OrdinalIgnoreCase))
                sink.Report(DisplayNameMismatch, doc.Loc(code.Attribute("displayName")), c, dn, concept.Display);
            if (concept.Bool("inDmpJ66") == false)
                sink.Report(NotInDmpList, doc.Loc(code), c);
            result.ClassCode = concept.Str("classCode");
            if (result.ClassCode is null) sink.Report(NoClassMapping, doc.Loc(code), c);
        }
        if (NotLdlCodes().TryGetValue(c, out var label)) sink.Report(NotLetterOfLiaison, doc.Loc(code), c, label);
        var kind = _kinds.ForTypeCode(c);
        result.SegurKind = kind?.Id ?? "other";
        result.Indicators = kind?.Indicators ?? Array.Empty<string>();
    }

    private sealed class NotLdl(Dictionary<string, string> map)
    {
        public Dictionary<string, string> Map { get; } = map;
    }

    /// <summary>segur-kinds.json "notLetterOfLiaison": types often mistaken for a lettre de liaison.</summary>
    private Dictionary<string, string> NotLdlCodes() => data.Get("segur-kinds.json", root =>
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("notLetterOfLiaison", out var arr))
            foreach (var e in arr.EnumerateArray())
                map[e.GetProperty("code").GetString()!] = e.GetProperty("display").GetString()!;
        return new NotLdl(map);
    }).Map;

    private sealed class LegacyMap(Dictionary<string, string> map)
    {
        public Dictionary<string, string> Map { get; } = map;
    }

    /// <summary>Codes removed from J07 that ASS_X04 still maps (the J07 file's "legacyNotInJ07" list).</summary>
    private string? LegacyClass(string code)
    {
        var legacy = data.Get("valuesets/" + _j07.File, root =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("legacyNotInJ07", out var arr))
                foreach (var e in arr.EnumerateArray())
                    map[e.GetProperty("code").GetString()!] = e.GetProperty("classCode").GetString()!;
            return new LegacyMap(map);
        });
        return legacy.Map.TryGetValue(code, out var k) ? k : null;
    }

    private static string Normalize(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace('’', '\'');
}
