using System.Globalization;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Routing;

namespace OaiProxy.Limits;

/// <summary>The errors of the limit step, in OpenAI's shape: <c>rate_limit_exceeded</c> and <c>insufficient_quota</c> (both 429).</summary>
internal static class LimitErrors
{
    public const string InsufficientQuota = "insufficient_quota";
    public const string StoreUnavailableCode = "rate_limit_store_unavailable";

    public static ProxyError Refused(LimitCheck check, LimitVerdict verdict, DateTimeOffset now)
    {
        var oldest = verdict.OldestExpiry[verdict.Failed];
        var retry = oldest < 0 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(Math.Max(1, oldest - verdict.NowMs));
        var scope = check.Scope.Describe();
        var used = verdict.Used[verdict.Failed];
        var seconds = Math.Max(1, (long)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return check.Meter switch
        {
            LimitMeter.Requests => RateLimit(
                $"Rate limit reached for {scope}: {check.Limit} requests per minute, {used} used. Retry after {seconds} s, or ask the proxy operator for a higher rpm.", retry),
            LimitMeter.Tokens => RateLimit(
                $"Rate limit reached for {scope}: {check.Limit} tokens per minute, {used} used, and this request may use {check.Amount} (prompt + max_tokens). Retry after {seconds} s, or lower max_tokens.", retry),
            LimitMeter.Parallel => RateLimit(
                $"Too many requests in flight for {scope}: at most {check.Limit} at once. Retry when one of them has finished.", TimeSpan.FromSeconds(1)),
            _ => Budget(check, used, now),
        };
    }

    public static ProxyError TooLarge(LimitCheck check) => new(429, ErrorTypes.RateLimit, ErrorCodes.RateLimitExceeded,
        $"Request too large for {check.Scope.Describe()}: it may use {check.Amount} tokens (prompt + max_tokens) and the limit is {check.Limit} tokens per minute. Send a shorter prompt or a smaller max_tokens.");

    public static ProxyError NotPriced(LimitCheck budget, RouteTarget target) => new(403, ErrorTypes.Permission, ErrorCodes.ModelNotPriced,
        $"The model \"{target.UpstreamModel}\" (connection \"{target.Connection.Name}\") has no price, so its cost cannot be counted against the budget of {budget.Scope.Describe()}. Ask the proxy operator to add [prices.\"{target.UpstreamModel}\"] (or to set unpriced_models = \"allow\").", "model");

    public static ProxyError StoreUnavailable() => new(503, ErrorTypes.Unavailable, StoreUnavailableCode,
        "The shared rate-limit store (Redis) cannot be reached and the proxy is set to refuse requests then (redis_failure_policy = \"fail_closed\"). Retry shortly.")
    { RetryAfter = TimeSpan.FromSeconds(1) };

    private static ProxyError RateLimit(string message, TimeSpan retryAfter) =>
        new(429, ErrorTypes.RateLimit, ErrorCodes.RateLimitExceeded, message) { RetryAfter = retryAfter };

    private static ProxyError Budget(LimitCheck check, long used, DateTimeOffset now)
    {
        var period = check.Key[(check.Key.LastIndexOf(':') + 1)..] switch
        {
            "total" => "total",
            { Length: 8 } => "daily",
            _ => "monthly",
        };
        var error = new ProxyError(429, InsufficientQuota, InsufficientQuota,
            $"You exceeded your current quota: {check.Scope.Describe()} has a {period} budget of {Dollars(check.Limit)}, {Dollars(used)} is spent or reserved, and this request may cost up to {Dollars(check.Amount)}. Ask the proxy operator to raise the budget.");
        return BudgetPeriod.End(period, now) is { } end ? error with { RetryAfter = end - now } : error;
    }

    private static string Dollars(long nanos) => "$" + (nanos / 1_000_000_000m).ToString("0.######", CultureInfo.InvariantCulture);
}
