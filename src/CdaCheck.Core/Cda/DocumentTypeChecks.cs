using CdaCheck.Core.Localization;
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
        "CI-SIS Structuration minimale (SMDS_CDAClinicalDocument, code 1..1)");

    public static readonly RuleDescriptor CodeNotInJ07 = new(
        "DOC-011", Severity.Error,
        "CI-SIS Structuration minimale; ANS NOS JDV_J07-XdsTypeCode-CISIS (1.2.250.1.213.1.1.5.471)");

    public static readonly RuleDescriptor CodeSystemMismatch = new(
        "DOC-012", Severity.Error,
        "ANS NOS JDV_J07-XdsTypeCode-CISIS (LOINC 2.16.840.1.113883.6.1, TRE_A05 1.2.250.1.213.1.1.4.12)");

    public static readonly RuleDescriptor DisplayNameMismatch = new(
        "DOC-013", Severity.Warning,
        "ANS NOS JDV_J07-XdsTypeCode-CISIS");

    public static readonly RuleDescriptor NotInDmpList = new(
        "DOC-014", Severity.Warning,
        "ANS IG HL7v2 transmission document CDA R2 (profils-messages: JDV_J66-TypeCode-DMP); ASS_X16");

    public static readonly RuleDescriptor NoClassMapping = new(
        "DOC-015", Severity.Info,
        "ANS NOS ASS_X04-CorrespondanceType-Classe-CISIS v20240426120000");

    public static readonly RuleDescriptor NotLetterOfLiaison = new(
        "DOC-016", Severity.Info,
        "Ségur SUN-ES / HOP'EN 2 indicators (LDL = 11490-0); CI-SIS volet LDL-SES");

    private readonly ValueSet _j07 = data.ValueSet("J07-typecode");
    private readonly SegurKinds _kinds = SegurKinds.From(data);

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var codes = doc.Root.Els("code").ToList();
        var code = codes.FirstOrDefault();
        if (codes.Count > 1) sink.Report(CodeMissing, doc.Loc(codes[1]), new Phrase("type.d.001", codes.Count));
        var c = code.Attr("code");
        var cs = code.Attr("codeSystem");
        var dn = code.Attr("displayName");
        result.TypeCode = c;
        result.TypeCodeSystem = cs;
        result.TypeDisplay = dn;
        if (code is null) { sink.Report(CodeMissing, doc.Missing(doc.Root, "code"), new Phrase("type.d.002")); return; }
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(c)) missing.Add("@code");
        if (string.IsNullOrWhiteSpace(cs)) missing.Add("@codeSystem");
        if (string.IsNullOrWhiteSpace(dn)) missing.Add("@displayName");
        if (missing.Count > 0) sink.Report(CodeMissing, doc.Loc(code), new Phrase("type.d.003", string.Join(", ", missing)));
        if (string.IsNullOrWhiteSpace(c)) return;

        var concept = _j07.Find(c);
        if (concept is null)
        {
            var legacy = LegacyClass(c);
            sink.Report(CodeNotInJ07, doc.Loc(code.Attribute("code")), c, _j07.Version,
                legacy is null ? (object)"" : new Phrase("type.d.004", legacy));
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
