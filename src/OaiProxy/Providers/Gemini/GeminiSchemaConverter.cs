using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Turns a JSON Schema (tool <c>parameters</c>, <c>response_format.json_schema.schema</c>) into the OpenAPI subset
/// Gemini accepts, keeping as much meaning as the subset can carry:
/// <list type="number">
/// <item><c>$ref</c> into <c>$defs</c>/<c>definitions</c> is inlined (a recursive reference becomes a plain object).</item>
/// <item><c>anyOf</c>/<c>oneOf</c> with a null branch and <c>type: [X, "null"]</c> become <c>X</c> + <c>nullable</c>; other
/// type lists become <c>anyOf</c>; <c>allOf</c> is merged.</item>
/// <item><c>const</c> becomes a one-value <c>enum</c>; non-string enums are dropped and listed in the description.</item>
/// <item><c>format</c> is kept only where Gemini supports it (date-time and enum on strings, int32/int64, float/double).</item>
/// <item>Every other keyword (<c>additionalProperties</c>, <c>$schema</c>, <c>strict</c>, <c>patternProperties</c>, …) is dropped;
/// <c>required</c> keeps only names that exist; an object without properties loses its empty <c>properties</c>.</item>
/// </list>
/// </summary>
internal static class GeminiSchemaConverter
{
    private const int MaxDepth = 48;

    private static readonly HashSet<string> CopiedAsIs =
    [
        "description", "title", "pattern", "minItems", "maxItems", "minLength", "maxLength",
        "minProperties", "maxProperties", "minimum", "maximum", "default", "example",
    ];

    /// <summary>Converts a schema; null when nothing is left (for tool parameters: omit <c>parameters</c>).</summary>
    public static JsonObject? Convert(JsonElement schema, bool addPropertyOrdering = false)
    {
        if (schema.ValueKind != JsonValueKind.Object) return null;
        var converter = new State(schema, addPropertyOrdering);
        var result = converter.Convert(schema, 0);
        return result.Count == 0 ? null : result;
    }

    /// <summary>True when a converted tool schema declares no arguments, so <c>parameters</c> must be omitted.</summary>
    public static bool IsEmptyObject(JsonObject? schema) =>
        schema is null || (IsType(schema, "object") && schema["properties"] is null && schema["anyOf"] is null);

    private static bool IsType(JsonObject schema, string type) =>
        schema["type"] is JsonValue v && string.Equals(v.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase);

    private sealed class State(JsonElement root, bool addPropertyOrdering)
    {
        private readonly List<string> _refStack = [];

        public JsonObject Convert(JsonElement schema, int depth)
        {
            var result = new JsonObject();
            if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth) return result;

            // 1. References are replaced by their target, merged under local keywords (a sibling description wins).
            if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
            {
                var target = reference.GetString()!;
                if (_refStack.Contains(target) || Resolve(target) is not { } resolved)
                {
                    result["type"] = "object";
                }
                else
                {
                    _refStack.Add(target);
                    result = Convert(resolved, depth + 1);
                    _refStack.RemoveAt(_refStack.Count - 1);
                }
            }

            // 2. allOf branches are merged into this schema.
            if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array)
            {
                foreach (var branch in allOf.EnumerateArray()) Merge(result, Convert(branch, depth + 1));
            }

            // 3. Type, with nullability folded in.
            var nullable = false;
            if (schema.TryGetProperty("type", out var type))
            {
                if (type.ValueKind == JsonValueKind.String)
                {
                    if (type.GetString() == "null") nullable = true;
                    else result["type"] = type.GetString();
                }
                else if (type.ValueKind == JsonValueKind.Array)
                {
                    var types = type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList();
                    nullable |= types.Remove("null");
                    if (types.Count == 1) result["type"] = types[0];
                    else if (types.Count > 1) result["anyOf"] = new JsonArray(types.Select(t => (JsonNode)new JsonObject { ["type"] = t }).ToArray());
                }
            }

            // 4. anyOf / oneOf: null branches become nullable; a single remaining branch is inlined.
            foreach (var keyword in (ReadOnlySpan<string>)["anyOf", "oneOf"])
            {
                if (!schema.TryGetProperty(keyword, out var branches) || branches.ValueKind != JsonValueKind.Array) continue;
                var kept = new List<JsonObject>();
                foreach (var branch in branches.EnumerateArray())
                {
                    if (IsNullSchema(branch)) nullable = true;
                    else kept.Add(Convert(branch, depth + 1));
                }
                if (kept.Count == 1) Merge(result, kept[0]);
                else if (kept.Count > 1) result["anyOf"] = new JsonArray(kept.Select(k => (JsonNode)k).ToArray());
            }

            // 5. Plain keywords.
            foreach (var property in schema.EnumerateObject())
            {
                if (CopiedAsIs.Contains(property.Name)) result[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
            if (schema.TryGetProperty("examples", out var examples) && examples.ValueKind == JsonValueKind.Array &&
                examples.GetArrayLength() > 0 && result["example"] is null)
            {
                result["example"] = JsonNode.Parse(examples[0].GetRawText());
            }
            if (schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True) nullable = true;

            // 6. const and enum: strings only.
            var values = new List<JsonElement>();
            if (schema.TryGetProperty("const", out var constant)) values.Add(constant);
            if (schema.TryGetProperty("enum", out var enumeration) && enumeration.ValueKind == JsonValueKind.Array) values.AddRange(enumeration.EnumerateArray());
            if (values.Count > 0) ApplyEnum(result, values, ref nullable);

            // 7. format, where Gemini knows it.
            if (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String && FormatAllowed(result, format.GetString()!))
            {
                result["format"] = format.GetString();
            }

            // 8. Children.
            if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                var converted = new JsonObject();
                foreach (var property in properties.EnumerateObject()) converted[property.Name] = Convert(property.Value, depth + 1);
                if (converted.Count > 0)
                {
                    result["properties"] = converted;
                    result["type"] ??= "object";
                }
            }
            if (schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
            {
                result["items"] = Convert(items, depth + 1);
                result["type"] ??= "array";
            }
            if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array &&
                result["properties"] is JsonObject known)
            {
                var names = required.EnumerateArray()
                    .Where(r => r.ValueKind == JsonValueKind.String && known.ContainsKey(r.GetString()!))
                    .Select(r => (JsonNode)r.GetString()!).ToArray();
                if (names.Length > 0) result["required"] = new JsonArray(names);
            }
            if (addPropertyOrdering && result["properties"] is JsonObject ordered && ordered.Count > 1)
            {
                result["propertyOrdering"] = new JsonArray(ordered.Select(p => (JsonNode)p.Key).ToArray());
            }
            if (nullable) result["nullable"] = true;
            return result;
        }

        private static void ApplyEnum(JsonObject result, List<JsonElement> values, ref bool nullable)
        {
            var strings = new List<string>();
            var others = new List<string>();
            foreach (var value in values)
            {
                switch (value.ValueKind)
                {
                    case JsonValueKind.Null: nullable = true; break;
                    case JsonValueKind.String: strings.Add(value.GetString()!); break;
                    default: others.Add(value.GetRawText()); break;
                }
            }
            if (others.Count == 0 && strings.Count > 0)
            {
                result["enum"] = new JsonArray(strings.Distinct().Select(s => (JsonNode)s).ToArray());
                result["type"] ??= "string";
                return;
            }
            // Gemini's enums are string-only: the allowed values survive as guidance in the description.
            var all = strings.Select(s => JsonSerializer.Serialize(s, GeminiJsonContext.Default.String)).Concat(others);
            var note = "Allowed values: " + string.Join(", ", all) + ".";
            result["description"] = result["description"] is JsonValue d ? d.GetValue<string>() + " " + note : note;
        }

        private JsonElement? Resolve(string reference)
        {
            if (!reference.StartsWith("#/", StringComparison.Ordinal)) return null;
            var current = root;
            foreach (var raw in reference[2..].Split('/'))
            {
                var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current)) return null;
            }
            return current;
        }

        private static bool IsNullSchema(JsonElement schema) =>
            schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var t) &&
            t.ValueKind == JsonValueKind.String && t.GetString() == "null";

        private static bool FormatAllowed(JsonObject result, string format)
        {
            var type = result["type"] is JsonValue t ? t.GetValue<string>().ToLower(CultureInfo.InvariantCulture) : null;
            return type switch
            {
                "string" => format is "date-time" or "enum",
                "integer" => format is "int32" or "int64",
                "number" => format is "float" or "double",
                _ => false,
            };
        }

        private static void Merge(JsonObject into, JsonObject from)
        {
            foreach (var (key, value) in from.ToList())
            {
                from.Remove(key);
                if (key == "properties" && into[key] is JsonObject existing && value is JsonObject more)
                {
                    foreach (var (name, child) in more.ToList())
                    {
                        more.Remove(name);
                        existing[name] = child;
                    }
                }
                else if (key == "required" && into[key] is JsonArray have && value is JsonArray add)
                {
                    foreach (var name in add.ToList())
                    {
                        add.Remove(name);
                        if (!have.Any(h => h!.GetValue<string>() == name!.GetValue<string>())) have.Add(name);
                    }
                }
                else if (into[key] is null)
                {
                    into[key] = value;
                }
            }
        }
    }
}
