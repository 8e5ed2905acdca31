using System.Text.Json;
using CdaCheck.Core.Reference;

namespace CdaCheck.Core.Xdm;

/// <summary>ebRIM 3.0 / XDS identifiers used by XDM metadata (schemas/xdm/ebrim.json).</summary>
public sealed class EbRim
{
    public const string File = "xdm/ebrim.json";

    public required string Version { get; init; }
    public required string Lcm { get; init; }
    public required string Rim { get; init; }
    public required IReadOnlyDictionary<string, string> SubmissionSet { get; init; }
    public required IReadOnlyDictionary<string, string> DocumentEntry { get; init; }
    public required string FolderNode { get; init; }
    public required string HasMember { get; init; }
    public required IReadOnlyList<string> RequiredDocumentEntry { get; init; }
    public required IReadOnlyList<string> RequiredSubmissionSet { get; init; }
    /// <summary>French confidentiality codes allowed after the HL7 one (JDV_J58).</summary>
    public required IReadOnlySet<string> ConfidentialityExtra { get; init; }

    public string SsNode => SubmissionSet["classificationNode"];
    public string DeStable => DocumentEntry["objectTypeStable"];

    public static EbRim Load(ReferenceData data) => data.Get(File, Parse);

    private static Dictionary<string, string> Map(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);

    private static EbRim Parse(JsonElement r)
    {
        string version = r.GetProperty("version").GetString() ?? throw new ReferenceDataException(File + " has no version");
        if (!r.TryGetProperty("source", out _)) throw new ReferenceDataException(File + " has no source");
        var ns = r.GetProperty("namespaces");
        var req = r.GetProperty("required");
        return new EbRim
        {
            Version = version,
            Lcm = ns.GetProperty("lcm").GetString()!,
            Rim = ns.GetProperty("rim").GetString()!,
            SubmissionSet = Map(r.GetProperty("submissionSet")),
            DocumentEntry = Map(r.GetProperty("documentEntry")),
            FolderNode = r.GetProperty("folder").GetProperty("classificationNode").GetString()!,
            HasMember = r.GetProperty("associationTypes").GetProperty("hasMember").GetString()!,
            RequiredDocumentEntry = req.GetProperty("documentEntry").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            ConfidentialityExtra = r.GetProperty("confidentialityExtra").GetProperty("codes").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal),
            RequiredSubmissionSet = req.GetProperty("submissionSet").EnumerateArray().Select(e => e.GetString()!).ToArray(),
        };
    }
}

/// <summary>CDA model / media type → XDS formatCode (schemas/xdm/formatcodes.json: ASS_A11, ASS_A12, J60).</summary>
public sealed class FormatCodes
{
    public const string File = "xdm/formatcodes.json";

    public required string Version { get; init; }
    public required IReadOnlyDictionary<string, string> NonStructured { get; init; }
    public required IReadOnlyDictionary<string, string> Templates { get; init; }
    public required string StructuredFallback { get; init; }
    public required IReadOnlySet<string> Known { get; init; }
    /// <summary>formatCodes of IHE DSG signature documents (XML, but not CDA).</summary>
    public required IReadOnlySet<string> Signatures { get; init; }

    public static FormatCodes Load(ReferenceData data) => data.Get(File, r => new FormatCodes
    {
        Version = r.GetProperty("version").GetString()!,
        NonStructured = r.GetProperty("nonStructured").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase),
        Templates = r.GetProperty("templates").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
        StructuredFallback = r.GetProperty("structuredFallback").GetString()!,
        Signatures = r.GetProperty("signatureFormats").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal),
        Known = r.GetProperty("known").EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal),
    });
}
