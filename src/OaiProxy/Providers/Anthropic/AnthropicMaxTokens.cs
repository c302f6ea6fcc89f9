namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// The <c>max_tokens</c> sent when the client set none. Anthropic requires the field, and a small fixed default
/// (LiteLLM's 4096) silently truncates long answers, so each model family gets its own documented output limit.
/// </summary>
internal static class AnthropicMaxTokens
{
    /// <summary>For ids no rule below knows: the limit every current Claude model supports.</summary>
    public const int Fallback = 8192;

    // Most specific prefix first; dated ids (claude-sonnet-4-5-20250929) match their family.
    private static readonly (string Prefix, int MaxTokens)[] Families =
    [
        ("claude-3-haiku", 4096),
        ("claude-3-opus", 4096),
        ("claude-3-sonnet", 4096),
        ("claude-3-5-", 8192),
        ("claude-3-7-sonnet", 64000),
        ("claude-opus-4-0", 32000),
        ("claude-opus-4-1", 32000),
        ("claude-opus-4-2025", 32000),
        ("claude-4-opus", 32000),
        ("claude-opus-4", 64000),
        ("claude-sonnet-4", 64000),
        ("claude-4-sonnet", 64000),
        ("claude-haiku-4", 64000),
    ];

    /// <summary>What is sent for <paramref name="model"/> when the client set no cap: the connection's <c>default_max_tokens</c>, else the family's.</summary>
    public static int Default(AnthropicSettings settings, string model) => settings.DefaultMaxTokens ?? For(model);

    public static int For(string model)
    {
        foreach (var (prefix, maxTokens) in Families)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return maxTokens;
        }
        return Fallback;
    }
}
