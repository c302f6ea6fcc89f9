using OaiProxy.Configuration;

namespace OaiProxy.Usage;

/// <summary>What usage costs at the configured prices, in billionths of a dollar (integers add up exactly).</summary>
public static class UsageCost
{
    /// <summary>
    /// The cost of one completion. Cached tokens are part of the prompt tokens and reasoning tokens part of the
    /// completion tokens, as OpenAI counts them.
    /// </summary>
    public static long CostNanos(this ModelPrice price, UsageInfo usage)
    {
        var cached = Math.Min(usage.CachedTokens, usage.PromptTokens);
        var dollarsTimesMillion = (usage.PromptTokens - cached) * price.Input + cached * price.CachedInput + usage.CompletionTokens * price.Output;
        return (long)Math.Round(dollarsTimesMillion * 1000m, MidpointRounding.AwayFromZero);
    }

    /// <summary>0 when there is no usage or no price is known for either model name; the upstream model is looked up first.</summary>
    public static long CostNanos(this PriceTable prices, UsageInfo? usage, string? upstreamModel, string? model)
    {
        if (usage is null) return 0;
        var price = prices.Find(upstreamModel) ?? prices.Find(model);
        return price?.CostNanos(usage) ?? 0;
    }
}
