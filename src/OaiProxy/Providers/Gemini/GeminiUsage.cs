using System.Text.Json;
using OaiProxy.Usage;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Gemini's <c>usageMetadata</c> in OpenAI's terms. The prompt count already includes cached tokens and gets the
/// server-side tool prompt added; completion adds the thoughts when the candidates count excludes them (the normal
/// case, detected by prompt + candidates != total, as LiteLLM does) so prompt + completion = total.
/// </summary>
internal readonly record struct GeminiUsage(long Prompt, long Completion, long Total, long Cached, long Reasoning)
{
    public static GeminiUsage? Read(JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("usageMetadata", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var prompt = Count(usage, "promptTokenCount") + Count(usage, "toolUsePromptTokenCount");
        var candidates = Count(usage, "candidatesTokenCount");
        var thoughts = Count(usage, "thoughtsTokenCount");
        long? total = usage.TryGetProperty("totalTokenCount", out var t) && t.TryGetInt64(out var value) ? value : null;
        var completion = total == prompt + candidates ? candidates : candidates + thoughts;
        return new GeminiUsage(prompt, completion, total ?? prompt + completion, Count(usage, "cachedContentTokenCount"), thoughts);
    }

    private static long Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) ? count : 0;

    /// <summary>The counts in OpenAI's terms; Gemini reports no cache writes, so <see cref="UsageInfo.CacheWriteTokens"/> stays null.</summary>
    public UsageInfo ToUsageInfo() => new(Prompt, Completion, Total) { CachedTokens = Cached, ReasoningTokens = Reasoning };
}
