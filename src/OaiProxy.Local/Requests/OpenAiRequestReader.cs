using System.Text.Json;

namespace OaiProxy.Local.Requests;

/// <summary>
/// Maps an OpenAI chat-completions body to a <see cref="LocalChatRequest"/>, refusing what the engine cannot honour.
/// </summary>
internal static class OpenAiRequestReader
{
    public static LocalChatRequest Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new LocalRequestException("", "The request body must be a JSON object.");
        }

        RejectUnsupported(body);
        var maxTokens = JsonFields.Integer(body, "max_completion_tokens", 1, int.MaxValue)
            ?? JsonFields.Integer(body, "max_tokens", 1, int.MaxValue);
        return new LocalChatRequest
        {
            Messages = OpenAiMessageReader.Read(body),
            Temperature = JsonFields.Number(body, "temperature", 0, 2),
            TopP = JsonFields.Number(body, "top_p", 0, 1),
            TopK = (int?)JsonFields.Integer(body, "top_k", 0, int.MaxValue),
            Seed = JsonFields.Integer(body, "seed", long.MinValue, long.MaxValue),
            PresencePenalty = JsonFields.Number(body, "presence_penalty", -2, 2),
            FrequencyPenalty = JsonFields.Number(body, "frequency_penalty", -2, 2),
            Stop = ReadStop(body),
            MaxTokens = (int?)maxTokens,
        };
    }

    private static void RejectUnsupported(JsonElement body)
    {
        var hasTools = JsonFields.TryGet(body, "tools", out var tools)
            && (tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() > 0);
        if (hasTools)
        {
            throw LocalRequestException.Unsupported("tools", "'tools' is not supported by local models; remove it or route the request to a provider with tool calling.");
        }

        if (JsonFields.TryGet(body, "functions", out _))
        {
            throw LocalRequestException.Unsupported("functions", "'functions' is not supported by local models; remove it or route the request to a provider with tool calling.");
        }

        if ((JsonFields.Integer(body, "n", 1, 128) ?? 1) > 1)
        {
            throw LocalRequestException.Unsupported("n", "'n' greater than 1 is not supported by local models; send one request per choice.");
        }

        if (JsonFields.Flag(body, "logprobs"))
        {
            throw LocalRequestException.Unsupported("logprobs", "'logprobs' is not supported by local models; remove it.");
        }

        if (JsonFields.TryGet(body, "top_logprobs", out _))
        {
            throw LocalRequestException.Unsupported("top_logprobs", "'top_logprobs' is not supported by local models; remove it.");
        }

        if (JsonFields.TryGet(body, "response_format", out var format) && format.ValueKind == JsonValueKind.Object
            && JsonFields.TryGet(format, "type", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() is "json_schema" or "json_object")
        {
            throw LocalRequestException.Unsupported(
                "response_format", $"'response_format' of type '{type.GetString()}' is not supported by local models, which cannot guarantee JSON output; use 'text' or a provider with structured outputs.");
        }

        if (JsonFields.TryGet(body, "audio", out _) || JsonFields.TryGet(body, "modalities", out var m) && m.ToString().Contains("audio", StringComparison.Ordinal))
        {
            throw LocalRequestException.Unsupported("modalities", "Audio output is not supported by local models; ask for text only.");
        }
    }

    private static List<string> ReadStop(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "stop", out var stop))
        {
            return [];
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            return Check([stop.GetString()!]);
        }

        if (stop.ValueKind == JsonValueKind.Array && stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String))
        {
            return Check(stop.EnumerateArray().Select(s => s.GetString()!).ToList());
        }

        throw new LocalRequestException("stop", "'stop' must be a string or an array of strings.");

        static List<string> Check(List<string> stops) => stops.Any(s => s.Length == 0)
            ? throw new LocalRequestException("stop", "'stop' must not contain an empty string.")
            : stops;
    }
}
