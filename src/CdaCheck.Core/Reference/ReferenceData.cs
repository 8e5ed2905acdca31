using System.Collections.Concurrent;
using System.Text.Json;

namespace CdaCheck.Core.Reference;

public sealed class ReferenceDataException(string message) : Exception(message);

/// <summary>A code in a value set, with the extra properties its file gives (classCode, kind…).</summary>
public sealed record Concept(string Code, string? CodeSystem, string? Display, IReadOnlyDictionary<string, JsonElement> Extra)
{
    public string? Str(string name) =>
        Extra.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public bool? Bool(string name) =>
        Extra.TryGetValue(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
}

/// <summary>A value set loaded from <c>schemas/valuesets/*.json</c>, with its version and source.</summary>
public sealed class ValueSet
{
    public required string Id { get; init; }
    public string? Oid { get; init; }
    public required string Version { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyList<Concept> Concepts { get; init; }
    public required string File { get; init; }
    private Dictionary<string, Concept>? _byCode;

    public Concept? Find(string? code)
    {
        if (code is null) return null;
        _byCode ??= Concepts.GroupBy(c => c.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _byCode.TryGetValue(code, out var c) ? c : null;
    }

    public bool Contains(string? code) => Find(code) is not null;
}

/// <summary>
/// The project's machine-readable reference data (<c>schemas/</c>), loaded at run time. Loading
/// fails loudly when a file is missing, unreadable or empty: a validator that silently passes
/// because its value set is missing is worse than none.
/// </summary>
public sealed class ReferenceData
{
    private readonly ConcurrentDictionary<string, object> _cache = new();
    private readonly Dictionary<string, ValueSet> _valueSets;

    private ReferenceData(string directory, Dictionary<string, ValueSet> valueSets)
    {
        Directory = directory;
        _valueSets = valueSets;
    }

    public string Directory { get; }
    public IReadOnlyDictionary<string, ValueSet> ValueSets => _valueSets;

    /// <summary>Value sets every run needs; loading fails when one is absent.</summary>
    public static readonly string[] RequiredValueSets =
    [
        "J07-typecode", "J06-classcode", "confidentiality", "J143-gender", "ins-oids",
    ];

    public ValueSet ValueSet(string key) =>
        _valueSets.TryGetValue(key, out var vs) ? vs : throw new ReferenceDataException($"Value set '{key}' is not in {Directory}/valuesets.");

    private static readonly Lazy<ReferenceData> _default = new(() => Load());
    public static ReferenceData Default => _default.Value;

    /// <summary>
    /// Finds the schemas folder: the explicit path (<c>--schemas</c>: used as given, never replaced by another folder),
    /// else CDACHECK_SCHEMAS, next to the binary, or up from the current directory.
    /// </summary>
    public static string Locate(string? directory = null)
    {
        if (directory is not null)
        {
            if (!System.IO.Directory.Exists(directory))
                throw new ReferenceDataException($"--schemas {directory}: no such folder.");
            if (!System.IO.Directory.Exists(Path.Combine(directory, "valuesets")))
                throw new ReferenceDataException($"--schemas {directory}: incomplete reference data (no valuesets/ folder); point it at a copy of the schemas/ folder shipped with cdacheck.");
            return Path.GetFullPath(directory);
        }
        var candidates = new List<string>();
        var env = Environment.GetEnvironmentVariable("CDACHECK_SCHEMAS");
        if (!string.IsNullOrEmpty(env)) candidates.Add(env);
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "schemas"));
        for (var d = new DirectoryInfo(System.IO.Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
            candidates.Add(Path.Combine(d.FullName, "schemas"));
        foreach (var c in candidates)
            if (System.IO.Directory.Exists(Path.Combine(c, "valuesets"))) return Path.GetFullPath(c);
        throw new ReferenceDataException("Reference data folder 'schemas/' (with valuesets/) was not found; set CDACHECK_SCHEMAS.");
    }

    public static ReferenceData Load(string? directory = null)
    {
        var dir = Locate(directory);
        var sets = new Dictionary<string, ValueSet>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(dir, "valuesets"), "*.json").Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileNameWithoutExtension(file);
            sets[key] = ReadValueSet(file);
        }
        foreach (var req in RequiredValueSets)
            if (!sets.ContainsKey(req))
                throw new ReferenceDataException($"Required value set '{req}.json' is missing from {dir}/valuesets.");
        return new ReferenceData(dir, sets);
    }

    /// <summary>A reference file larger than this is refused (they are a few KB): /dev/zero under a name never fills memory.</summary>
    private const long MaxFileBytes = 64L << 20;

    private static ValueSet ReadValueSet(string file)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(Input.FileProbe.ReadAllBytesRegular(file, MaxFileBytes)); }
        catch (JsonException ex) { throw new ReferenceDataException($"Value set file {file} is not valid JSON: {ex.Message}"); }
        var root = doc.RootElement;
        string Req(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s : throw new ReferenceDataException($"Value set file {file} has no '{name}'.");
        if (!root.TryGetProperty("concepts", out var arr) || arr.ValueKind != JsonValueKind.Array || arr.GetArrayLength() == 0)
            throw new ReferenceDataException($"Value set file {file} has no concepts: refusing to validate against an empty value set.");
        var concepts = new List<Concept>(arr.GetArrayLength());
        foreach (var c in arr.EnumerateArray())
        {
            var code = c.TryGetProperty("code", out var cv) ? cv.GetString() : null;
            if (string.IsNullOrEmpty(code)) throw new ReferenceDataException($"Value set file {file} has a concept without a code.");
            var extra = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in c.EnumerateObject())
                if (p.Name is not ("code" or "codeSystem" or "display")) extra[p.Name] = p.Value.Clone();
            concepts.Add(new Concept(code,
                c.TryGetProperty("codeSystem", out var cs) && cs.ValueKind == JsonValueKind.String ? cs.GetString() : null,
                c.TryGetProperty("display", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
                extra));
        }
        return new ValueSet
        {
            Id = Req("id"),
            Oid = root.TryGetProperty("oid", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null,
            Version = Req("version"),
            Source = Req("source"),
            Concepts = concepts,
            File = Path.GetFileName(file),
        };
    }

    /// <summary>
    /// Reads another reference file (relative to <c>schemas/</c>), parsed once and cached. Each layer
    /// owns its files (e.g. <c>xdm/ebrim.json</c>, <c>indicators/hopen2.json</c>) and its model.
    /// </summary>
    public T Get<T>(string relativePath, Func<JsonElement, T> parse) where T : class =>
        (T)_cache.GetOrAdd("file:" + relativePath + "|" + typeof(T).FullName, _ =>
        {
            var path = Path.Combine(Directory, relativePath);
            if (!File.Exists(path)) throw new ReferenceDataException($"Reference file {relativePath} is missing from {Directory}.");
            var bytes = Input.FileProbe.ReadAllBytesRegular(path, MaxFileBytes);
            if (bytes.Length == 0) throw new ReferenceDataException($"Reference file {relativePath} is empty.");
            using var doc = JsonDocument.Parse(bytes);
            return parse(doc.RootElement) ?? throw new ReferenceDataException($"Reference file {relativePath} could not be read.");
        });

    /// <summary>Versions of every value set, for reports ("which rule-set version judged this").</summary>
    public IReadOnlyDictionary<string, string> Versions() =>
        _valueSets.Values.OrderBy(v => v.Id, StringComparer.Ordinal).ToDictionary(v => v.Id, v => v.Version);
}
