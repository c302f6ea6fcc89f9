using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Responses;

/// <summary>The JSON type a schema field must have.</summary>
internal enum JsonKind
{
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,

    /// <summary>Present, any value (even null).</summary>
    Any,
}

/// <summary>
/// Field checks that collect violations as <c>path: what is wrong</c>, the way the compliance suite words zod issues.
/// </summary>
internal sealed class JsonShape(List<string> violations)
{
    public List<string> Violations { get; } = violations;

    public void Add(string path, string message) => Violations.Add($"{path}: {message}");

    /// <summary>The object at <paramref name="node"/>, or null after a violation.</summary>
    public JsonObject? Object(JsonNode? node, string path)
    {
        if (node is JsonObject obj) return obj;
        Add(path, $"must be an object, got {Describe(node)}");
        return null;
    }

    /// <summary>
    /// Requires <paramref name="key"/> to be present (a missing key fails even where null would pass) with the given
    /// type; returns its value when it has that type, else null.
    /// </summary>
    public JsonNode? Require(JsonObject obj, string path, string key, JsonKind kind, bool nullable = false)
    {
        if (!obj.TryGetPropertyValue(key, out var value))
        {
            Add($"{path}.{key}", nullable ? "missing (the key is required, null is allowed)" : "missing");
            return null;
        }
        return Check(value, $"{path}.{key}", kind, nullable) ? value : null;
    }

    /// <summary>Checks an optional key's type when it is present.</summary>
    public JsonNode? Optional(JsonObject obj, string path, string key, JsonKind kind, bool nullable = false) =>
        obj.TryGetPropertyValue(key, out var value) && Check(value, $"{path}.{key}", kind, nullable) ? value : null;

    /// <summary>Requires a string key whose value is one of <paramref name="allowed"/>.</summary>
    public string? RequireOneOf(JsonObject obj, string path, string key, params string[] allowed)
    {
        if (Require(obj, path, key, JsonKind.String)?.GetValue<string>() is not { } value) return null;
        if (!allowed.Contains(value)) Add($"{path}.{key}", $"must be one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}, got \"{value}\"");
        return value;
    }

    private bool Check(JsonNode? value, string path, JsonKind kind, bool nullable)
    {
        if (value is null)
        {
            if (nullable || kind == JsonKind.Any) return false;
            Add(path, $"must be {Name(kind)}, got null");
            return false;
        }
        if (Is(value, kind)) return true;
        Add(path, $"must be {Name(kind)}{(nullable ? " or null" : "")}, got {Describe(value)}");
        return false;
    }

    private static bool Is(JsonNode value, JsonKind kind) => kind switch
    {
        JsonKind.Any => true,
        JsonKind.Array => value is JsonArray,
        JsonKind.Object => value is JsonObject,
        JsonKind.String => value.GetValueKind() == JsonValueKind.String,
        JsonKind.Boolean => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        JsonKind.Number => value.GetValueKind() == JsonValueKind.Number,
        JsonKind.Integer => Integer(value) is not null,
        _ => false,
    };

    private static string Name(JsonKind kind) => kind switch
    {
        JsonKind.Integer => "an integer",
        JsonKind.Array or JsonKind.Object => "an " + kind.ToString().ToLowerInvariant(),
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The node's value as a whole number (whatever CLR type a built node holds), or null.</summary>
    public static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => $"the string {node.ToJsonString()}",
            JsonValueKind.Number => $"the number {node.ToJsonString()}",
            _ => node.ToJsonString(),
        },
    };
}
