using System.Text.Json;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// OpenAI usage in Anthropic's terms (protocols.md 4.8, reverse): <c>input_tokens = prompt - cached</c>,
/// <c>cache_read_input_tokens = cached</c>, <c>output_tokens = completion</c>.
/// </summary>
internal readonly record struct MessagesUsage(long Input, long Output, long CacheRead)
{
    public static MessagesUsage Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return default;
        }
        var prompt = Count(usage, "prompt_tokens");
        var cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object ? Count(details, "cached_tokens") : 0;
        return new MessagesUsage(Math.Max(0, prompt - cached), Count(usage, "completion_tokens"), cached);
    }

    private static long Count(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;

    public void Write(Utf8JsonWriter writer, bool includeInput)
    {
        writer.WriteStartObject("usage"u8);
        if (includeInput)
        {
            writer.WriteNumber("input_tokens"u8, Input);
            writer.WriteNumber("cache_creation_input_tokens"u8, 0);
            writer.WriteNumber("cache_read_input_tokens"u8, CacheRead);
        }
        writer.WriteNumber("output_tokens"u8, Output);
        writer.WriteEndObject();
    }
}
