using System.Globalization;

namespace OaiProxy.Limits;

/// <summary>
/// OpenAI's <c>x-ratelimit-*</c> headers from the tightest requests and tokens windows of a request: limit,
/// remaining, and time until the oldest counted request leaves the window (<c>1s</c>, <c>6m0s</c>, <c>20ms</c>).
/// </summary>
internal static class RateLimitHeaders
{
    public static List<KeyValuePair<string, string>>? Build(LimitPlan plan, LimitVerdict verdict)
    {
        List<KeyValuePair<string, string>>? headers = null;
        Add(ref headers, plan, verdict, verdict.NowMs, LimitMeter.Requests, "requests");
        Add(ref headers, plan, verdict, verdict.NowMs, LimitMeter.Tokens, "tokens");
        return headers;
    }

    private static void Add(ref List<KeyValuePair<string, string>>? headers, LimitPlan plan, LimitVerdict verdict, long nowMs, LimitMeter meter, string suffix)
    {
        var best = -1;
        var bestRemaining = long.MaxValue;
        for (var i = 0; i < plan.Checks.Length; i++)
        {
            if (plan.Checks[i].Meter != meter || (!verdict.Admitted && i != verdict.Failed)) continue;
            var remaining = Math.Max(0, plan.Checks[i].Limit - verdict.Used[i]);
            if (remaining < bestRemaining)
            {
                bestRemaining = remaining;
                best = i;
            }
        }
        if (best < 0) return;
        headers ??= new List<KeyValuePair<string, string>>(6);
        var oldest = verdict.OldestExpiry[best];
        var reset = oldest < 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Max(0, oldest - nowMs));
        headers.Add(new("x-ratelimit-limit-" + suffix, plan.Checks[best].Limit.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("x-ratelimit-remaining-" + suffix, bestRemaining.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new("x-ratelimit-reset-" + suffix, FormatDuration(reset)));
    }

    public static string FormatDuration(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1)) return ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var seconds = Math.Round(span.TotalSeconds % 60, 3).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        var minutes = (long)span.TotalMinutes;
        return minutes > 0 ? minutes.ToString(CultureInfo.InvariantCulture) + "m" + seconds : seconds;
    }
}
