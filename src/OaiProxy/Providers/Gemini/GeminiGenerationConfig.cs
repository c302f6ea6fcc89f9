using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Errors;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// OpenAI sampling and output fields to Gemini's <c>generationConfig</c>: temperature, top_p, top_k,
/// max_completion_tokens/max_tokens, stop, n, seed, penalties, response_format, reasoning_effort and modalities.
/// </summary>
internal static class GeminiGenerationConfig
{
    /// <summary>Thinking budgets for Gemini 2.5 models (LiteLLM's values); Gemini 3 takes a thinking level instead.</summary>
    private static readonly Dictionary<string, int> Budgets = new(StringComparer.Ordinal)
    {
        ["none"] = 0, ["minimal"] = 512, ["low"] = 1024, ["medium"] = 2048, ["high"] = 4096, ["xhigh"] = 8192,
    };

    private static readonly Dictionary<string, string> Levels = new(StringComparer.Ordinal)
    {
        ["none"] = "MINIMAL", ["minimal"] = "MINIMAL", ["low"] = "LOW", ["medium"] = "MEDIUM", ["high"] = "HIGH", ["xhigh"] = "HIGH",
    };

    public static JsonObject? Build(OpenAiRequestFields fields, string model)
    {
        var config = new JsonObject();
        Copy(config, "temperature", fields.Number("temperature"));
        Copy(config, "topP", fields.Number("top_p"));
        Copy(config, "topK", fields.Integer("top_k"));
        Copy(config, "maxOutputTokens", fields.Integer("max_completion_tokens") ?? fields.Integer("max_tokens"));
        Copy(config, "candidateCount", fields.Integer("n"));
        Copy(config, "seed", fields.Integer("seed"));
        Copy(config, "presencePenalty", fields.Number("presence_penalty"));
        Copy(config, "frequencyPenalty", fields.Number("frequency_penalty"));
        if (Stop(fields) is { Count: > 0 } stop) config["stopSequences"] = stop;
        ResponseFormat(fields, config);
        if (fields.String("reasoning_effort") is { } effort) config["thinkingConfig"] = Thinking(effort, model);
        if (fields.TryGet("modalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array)
        {
            config["responseModalities"] = new JsonArray(modalities.EnumerateArray()
                .Where(m => m.ValueKind == JsonValueKind.String)
                .Select(m => (JsonNode)m.GetString()!.ToUpperInvariant()).ToArray());
        }
        return config.Count == 0 ? null : config;
    }

    private static void Copy(JsonObject config, string name, double? value)
    {
        if (value is { } v) config[name] = v;
    }

    private static void Copy(JsonObject config, string name, long? value)
    {
        if (value is { } v) config[name] = v;
    }

    private static JsonArray? Stop(OpenAiRequestFields fields)
    {
        if (!fields.TryGet("stop", out var stop)) return null;
        if (stop.ValueKind == JsonValueKind.String) return stop.GetString()!.Length == 0 ? null : new JsonArray(stop.GetString());
        if (stop.ValueKind != JsonValueKind.Array) throw OpenAiRequestFields.Wrong("stop", "a string or an array of strings");
        var list = new JsonArray();
        foreach (var item in stop.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw OpenAiRequestFields.Wrong("stop", "a string or an array of strings");
            if (item.GetString()!.Length > 0) list.Add((JsonNode?)item.GetString());
        }
        return list;
    }

    private static void ResponseFormat(OpenAiRequestFields fields, JsonObject config)
    {
        if (!fields.TryGet("response_format", out var format)) return;
        var type = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : throw OpenAiRequestFields.Wrong("response_format", "an object with a \"type\"");
        switch (type)
        {
            case "text":
                return;
            case "json_object":
                config["responseMimeType"] = "application/json";
                return;
            case "json_schema":
                config["responseMimeType"] = "application/json";
                if (format.TryGetProperty("json_schema", out var spec) && spec.ValueKind == JsonValueKind.Object &&
                    spec.TryGetProperty("schema", out var schema) && GeminiSchemaConverter.Convert(schema, addPropertyOrdering: true) is { } converted)
                {
                    config["responseSchema"] = converted;
                }
                return;
            default:
                throw new GeminiTranslationException(ProxyError.BadRequest(
                    $"Invalid value for 'response_format.type': \"{type}\"; use \"text\", \"json_object\" or \"json_schema\".", "response_format.type", "invalid_value"));
        }
    }

    private static JsonObject Thinking(string effort, string model)
    {
        var gemini3 = model.Contains("gemini-3", StringComparison.OrdinalIgnoreCase);
        // Gemini returns thought summaries only when asked; without them reasoning_content would never be filled.
        if (gemini3 && Levels.TryGetValue(effort, out var level)) return WithThoughts(new JsonObject { ["thinkingLevel"] = level }, effort);
        if (!gemini3 && Budgets.TryGetValue(effort, out var budget)) return WithThoughts(new JsonObject { ["thinkingBudget"] = budget }, effort);
        throw new GeminiTranslationException(ProxyError.BadRequest(
            $"Invalid value for 'reasoning_effort': \"{effort}\"; use one of {string.Join(", ", Budgets.Keys.Select(k => $"\"{k}\""))}.",
            "reasoning_effort", "invalid_value"));
    }

    private static JsonObject WithThoughts(JsonObject thinking, string effort)
    {
        if (effort != "none") thinking["includeThoughts"] = true;
        return thinking;
    }
}
