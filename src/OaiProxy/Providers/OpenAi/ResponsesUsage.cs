using System.Text.Json;
using OaiProxy.Requests;
using OaiProxy.Usage;

namespace OaiProxy.Providers.OpenAi;

/// <summary>The usage of a Responses API response object (<c>input_tokens</c>, <c>output_tokens</c> and their details) for the log.</summary>
internal static class ResponsesUsage
{
    /// <summary>Whether <paramref name="json"/> is one response object; its usage when it reports one.</summary>
    public static bool TryReadResponse(ReadOnlySpan<byte> json, out UsageInfo? usage)
    {
        usage = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read() || document.RootElement.ValueKind != JsonValueKind.Object) return false;
            usage = FromResponse(document.RootElement);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The usage of a response object; null when it has none.</summary>
    public static UsageInfo? FromResponse(JsonElement response)
    {
        if (!JsonFields.TryGet(response, "usage", out var usage) || usage.ValueKind != JsonValueKind.Object) return null;
        var input = Count(usage, "input_tokens");
        var output = Count(usage, "output_tokens");
        return new UsageInfo(input, output, JsonFields.TryGet(usage, "total_tokens", out _) ? Count(usage, "total_tokens") : input + output)
        {
            CachedTokens = JsonFields.TryGet(usage, "input_tokens_details", out var inputDetails) ? Count(inputDetails, "cached_tokens") : 0,
            ReasoningTokens = JsonFields.TryGet(usage, "output_tokens_details", out var outputDetails) ? Count(outputDetails, "reasoning_tokens") : 0,
        };
    }

    private static long Count(JsonElement element, string name) =>
        JsonFields.TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
