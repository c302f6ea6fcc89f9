using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Anthropic;

/// <summary>The typed readers of the Anthropic translation: a wrong type is a 400 in the client's terms.</summary>
internal static class AnthropicJson
{
    /// <summary>A whole number, or a 400 naming the parameter.</summary>
    public static long Integer(JsonElement value, string param)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue) return (long)d;
        throw AnthropicTranslationException.Invalid(param, $"\"{param}\" must be a whole number, found {value.GetRawText()}.", "invalid_type");
    }

    public static double Number(JsonElement value, string param)
    {
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        throw AnthropicTranslationException.Invalid(param, $"\"{param}\" must be a number, found {value.GetRawText()}.", "invalid_type");
    }

    /// <summary>A string or an array of text parts, as OpenAI allows for system, developer and tool content.</summary>
    public static IEnumerable<(string Text, JsonElement Part)> TextParts(JsonElement content, string param)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            yield return (content.GetString()!, default);
            yield break;
        }
        if (content.ValueKind == JsonValueKind.Null) yield break;
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw AnthropicTranslationException.Invalid(param, $"\"{param}\" must be a string or an array of text parts.", "invalid_type");
        }
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            if (JsonFields.String(part, "type") != "text" || JsonFields.String(part, "text") is not { } text)
            {
                throw AnthropicTranslationException.Invalid($"{param}[{i}]", $"\"{param}[{i}]\" must be a text part ({{\"type\": \"text\", \"text\": \"...\"}}).", "invalid_type");
            }
            yield return (text, part);
            i++;
        }
    }

    /// <summary>A text block, keeping the part's prompt-caching marker (a LiteLLM/Portkey extension).</summary>
    public static JsonObject TextBlock(string text, JsonElement part)
    {
        var block = new JsonObject { ["type"] = "text", ["text"] = text };
        if (JsonFields.TryGet(part, "cache_control", out var cache)) block["cache_control"] = JsonFields.Clone(cache);
        return block;
    }
}
