namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// <c>reasoning_effort</c> as an extended-thinking budget. Anthropic's minimum budget is 1024 tokens, so
/// <c>minimal</c> and <c>low</c> share it; the higher levels grow by powers of two, larger than LiteLLM's modest
/// 4096 for <c>high</c>, because thinking tokens are what the client pays for with a higher effort.
/// </summary>
internal static class AnthropicThinking
{
    public const int MinBudget = 1024;

    /// <summary>The budget for an effort; null for <c>none</c> (no thinking); throws for unknown values.</summary>
    public static int? Budget(string effort) => effort switch
    {
        "none" => null,
        "minimal" or "low" => MinBudget,
        "medium" => 4096,
        "high" => 16384,
        "xhigh" => 24576,
        "max" => 32000,
        _ => throw AnthropicTranslationException.Invalid("reasoning_effort",
            $"\"reasoning_effort\" is \"{effort}\"; use \"none\", \"minimal\", \"low\", \"medium\", \"high\", \"xhigh\" or \"max\"."),
    };
}
