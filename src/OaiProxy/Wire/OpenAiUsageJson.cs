using System.Text.Json;
using OaiProxy.Usage;

namespace OaiProxy.Wire;

/// <summary>Writes OpenAI's <c>usage</c> object, the same in completions and in the last chunk of a stream.</summary>
public static class OpenAiUsageJson
{
    /// <summary>
    /// Writes the usage object as a value (the caller writes the <c>usage</c> name): the three totals,
    /// <c>prompt_tokens_details</c> and <c>completion_tokens_details</c>. When the provider counts cache writes
    /// (<see cref="UsageInfo.CacheWriteTokens"/> not null), <c>cache_write_tokens</c> is added to the prompt details
    /// and both cache counts are copied at the end under Anthropic's names.
    /// </summary>
    /// <param name="writer">The writer, positioned where a value may be written.</param>
    /// <param name="usage">The counts to write.</param>
    public static void Write(Utf8JsonWriter writer, UsageInfo usage)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(usage);
        writer.WriteStartObject();
        writer.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        writer.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        writer.WriteNumber("total_tokens"u8, usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details"u8);
        writer.WriteNumber("cached_tokens"u8, usage.CachedTokens);
        if (usage.CacheWriteTokens is { } written) writer.WriteNumber("cache_write_tokens"u8, written);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details"u8);
        writer.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens);
        writer.WriteEndObject();
        if (usage.CacheWriteTokens is { } creation)
        {
            // LiteLLM's clients read the cache counts under these names, whichever provider answered.
            writer.WriteNumber("cache_read_input_tokens"u8, usage.CachedTokens);
            writer.WriteNumber("cache_creation_input_tokens"u8, creation);
        }
        writer.WriteEndObject();
    }
}
