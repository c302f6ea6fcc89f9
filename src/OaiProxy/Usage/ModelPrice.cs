namespace OaiProxy.Usage;

/// <summary>US dollars per million tokens: prompt (<c>input</c>), completion (<c>output</c>) and cached prompt tokens.</summary>
public sealed record ModelPrice(decimal Input, decimal Output, decimal CachedInput)
{
    /// <summary>
    /// The cost of one completion in billionths of a dollar (integers add up exactly). Cached tokens are part of
    /// the prompt tokens and reasoning tokens part of the completion tokens, as OpenAI counts them.
    /// </summary>
    public long CostNanos(UsageInfo usage)
    {
        var cached = Math.Min(usage.CachedTokens, usage.PromptTokens);
        var dollarsTimesMillion = (usage.PromptTokens - cached) * Input + cached * CachedInput + usage.CompletionTokens * Output;
        return (long)Math.Round(dollarsTimesMillion * 1000m, MidpointRounding.AwayFromZero);
    }
}
