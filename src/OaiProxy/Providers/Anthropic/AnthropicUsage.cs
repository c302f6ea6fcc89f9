using System.Text.Json;
using OaiProxy.Requests;
using OaiProxy.Usage;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// Anthropic usage, accumulated across stream events and converted to OpenAI's counts. OpenAI's prompt total includes
/// cached tokens while Anthropic's <c>input_tokens</c> excludes both cache reads and cache writes, so
/// <c>prompt_tokens = input + cache read + cache creation</c> (protocols.md 4.8). The cache write count is always
/// set (0 when absent), so the OpenAI usage object also carries the cache counts under their Anthropic names.
/// </summary>
internal sealed class AnthropicUsage
{
    public long Input { get; private set; }

    public long CacheRead { get; private set; }

    public long CacheCreation { get; private set; }

    public long Output { get; private set; }

    /// <summary><c>output_tokens_details.thinking_tokens</c> when the upstream reports it.</summary>
    public long? Thinking { get; private set; }

    public long Prompt => Input + CacheRead + CacheCreation;

    /// <summary>
    /// Reads a usage object. Stream usage is cumulative: a later event's non-null fields overwrite, never add.
    /// </summary>
    public void Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object) return;
        if (Count(usage, "input_tokens") is { } input) Input = input;
        if (Count(usage, "cache_read_input_tokens") is { } read) CacheRead = read;
        if (Count(usage, "cache_creation_input_tokens") is { } creation) CacheCreation = creation;
        if (Count(usage, "output_tokens") is { } output) Output = output;
        if (JsonFields.TryGet(usage, "output_tokens_details", out var details) && Count(details, "thinking_tokens") is { } thinking)
        {
            Thinking = thinking;
        }
    }

    private static long? Count(JsonElement element, string name) =>
        JsonFields.TryGet(element, name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    /// <summary>The counts in OpenAI's terms, for the log and for the usage objects written to OpenAI clients.</summary>
    public UsageInfo ToUsageInfo() =>
        new(Prompt, Output, Prompt + Output) { CachedTokens = CacheRead, ReasoningTokens = Thinking ?? 0, CacheWriteTokens = CacheCreation };
}
