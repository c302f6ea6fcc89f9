using System.Text.Json;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// The top-level fields of a client's OpenAI request (the connection's <c>default_args</c> already applied by the
/// pipeline), with typed getters that reject a wrongly typed field with a 400 naming it.
/// </summary>
internal sealed class OpenAiRequestFields
{
    private readonly JsonElement _root;
    public OpenAiRequestFields(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new GeminiTranslationException("The request body must be a JSON object.");
        _root = root;
    }

    public bool TryGet(string name, out JsonElement value) => _root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public double? Number(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        throw Wrong(name, "a number");
    }

    public long? Integer(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
        throw Wrong(name, "an integer");
    }

    public string? String(string name)
    {
        if (!TryGet(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        throw Wrong(name, "a string");
    }

    public static GeminiTranslationException Wrong(string param, string expected) =>
        new(Errors.ProxyError.BadRequest($"Invalid type for '{param}': expected {expected}.", param, Errors.ErrorCodes.InvalidType));
}
