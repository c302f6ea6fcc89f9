namespace OaiProxy.Usage;

/// <summary>Token counts of one completion, in OpenAI's terms.</summary>
public sealed record UsageInfo(long PromptTokens, long CompletionTokens, long TotalTokens)
{
    /// <summary><c>prompt_tokens_details.cached_tokens</c>.</summary>
    public long CachedTokens { get; init; }

    /// <summary><c>completion_tokens_details.reasoning_tokens</c>.</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>
    /// Prompt tokens written to the provider's prompt cache (<c>prompt_tokens_details.cache_write_tokens</c>); null when
    /// the provider has no such count. Default: null.
    /// </summary>
    public long? CacheWriteTokens { get; init; }
}
