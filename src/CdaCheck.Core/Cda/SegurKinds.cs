using System.Text.Json;
using CdaCheck.Core.Reference;

namespace CdaCheck.Core.Cda;

public sealed record SegurKind(string Id, string Label, IReadOnlyList<string> TypeCodes, IReadOnlyList<string> Indicators, bool DataMatrixRequired);

/// <summary>Ségur document kinds (schemas/segur-kinds.json): typeCode → kind → indicators.</summary>
public sealed class SegurKinds
{
    public required IReadOnlyList<SegurKind> Kinds { get; init; }
    public required string Version { get; init; }

    public SegurKind? ForTypeCode(string? code) =>
        code is null ? null : Kinds.FirstOrDefault(k => k.TypeCodes.Contains(code, StringComparer.Ordinal));

    public SegurKind? ById(string id) => Kinds.FirstOrDefault(k => k.Id == id);

    public static SegurKinds From(ReferenceData data) => data.Get("segur-kinds.json", Parse);

    private static SegurKinds Parse(JsonElement root)
    {
        var kinds = new List<SegurKind>();
        foreach (var k in root.GetProperty("kinds").EnumerateArray())
        {
            kinds.Add(new SegurKind(
                k.GetProperty("id").GetString()!,
                k.GetProperty("label").GetString()!,
                k.GetProperty("typeCodes").EnumerateArray().Select(x => x.GetString()!).ToArray(),
                k.GetProperty("indicators").EnumerateArray().Select(x => x.GetString()!).ToArray(),
                !k.TryGetProperty("dataMatrixRequired", out var dm) || dm.GetBoolean()));
        }
        if (kinds.Count == 0) throw new ReferenceDataException("segur-kinds.json has no kinds.");
        return new SegurKinds { Kinds = kinds, Version = root.GetProperty("version").GetString()! };
    }
}
