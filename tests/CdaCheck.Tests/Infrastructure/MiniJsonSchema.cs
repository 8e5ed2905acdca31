using System.Text.Json;
using System.Text.RegularExpressions;

namespace CdaCheck.Tests.Infrastructure;

/// <summary>
/// A small JSON Schema validator for the subset our schemas use (type, enum, const, required,
/// properties, additionalProperties, items, minItems, minimum, pattern, $ref to #/$defs). Returns the list of violations.
/// </summary>
public sealed class MiniJsonSchema(JsonElement root)
{
    public static MiniJsonSchema Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone());

    public List<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors, 0);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement v, string path, List<string> errors, int depth)
    {
        if (depth > 64) { errors.Add(path + ": schema recursion too deep"); return; }
        if (schema.ValueKind == JsonValueKind.True) return;
        if (schema.ValueKind == JsonValueKind.False) { errors.Add(path + ": not allowed"); return; }
        if (schema.TryGetProperty("$ref", out var r))
        {
            var target = root;
            foreach (var part in r.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(part);
            Check(target, v, path, errors, depth + 1);
        }
        if (schema.TryGetProperty("type", out var t))
        {
            var types = t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToArray() : new[] { t.GetString()! };
            if (!types.Any(ty => Is(ty, v))) { errors.Add($"{path}: expected {string.Join("|", types)}, got {v.ValueKind}"); return; }
        }
        if (schema.TryGetProperty("enum", out var en) && !en.EnumerateArray().Any(e => JsonEquals(e, v)))
            errors.Add($"{path}: {v} not in enum");
        if (schema.TryGetProperty("const", out var c) && !JsonEquals(c, v))
            errors.Add($"{path}: {v} is not the constant {c}");
        if (v.ValueKind == JsonValueKind.String && schema.TryGetProperty("pattern", out var p) && !Regex.IsMatch(v.GetString()!, p.GetString()!))
            errors.Add($"{path}: '{v.GetString()}' does not match {p.GetString()}");
        if (v.ValueKind == JsonValueKind.Number && schema.TryGetProperty("minimum", out var min) && v.GetDecimal() < min.GetDecimal())
            errors.Add($"{path}: {v} is below the minimum {min}");
        if (v.ValueKind == JsonValueKind.Array && schema.TryGetProperty("minItems", out var minItems) && v.GetArrayLength() < minItems.GetInt32())
            errors.Add($"{path}: fewer than {minItems} items");
        if (v.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var req))
                foreach (var name in req.EnumerateArray())
                    if (!v.TryGetProperty(name.GetString()!, out _)) errors.Add($"{path}: missing required '{name.GetString()}'");
            schema.TryGetProperty("properties", out var props);
            schema.TryGetProperty("additionalProperties", out var add);
            foreach (var prop in v.EnumerateObject())
            {
                if (props.ValueKind == JsonValueKind.Object && props.TryGetProperty(prop.Name, out var ps))
                    Check(ps, prop.Value, path + "." + prop.Name, errors, depth + 1);
                else if (add.ValueKind is JsonValueKind.Object or JsonValueKind.False)
                    Check(add, prop.Value, path + "." + prop.Name, errors, depth + 1);
            }
        }
        if (v.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            int i = 0;
            foreach (var item in v.EnumerateArray()) Check(items, item, $"{path}[{i++}]", errors, depth + 1);
        }
    }

    private static bool Is(string type, JsonElement v) => type switch
    {
        "object" => v.ValueKind == JsonValueKind.Object,
        "array" => v.ValueKind == JsonValueKind.Array,
        "string" => v.ValueKind == JsonValueKind.String,
        "number" => v.ValueKind == JsonValueKind.Number,
        "integer" => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _),
        "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => v.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    private static bool JsonEquals(JsonElement a, JsonElement b) => a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText()
        || a.ValueKind == JsonValueKind.Null && b.ValueKind == JsonValueKind.Null;
}
