using OaiProxy.Configuration;
using OaiProxy.Logging;
using OaiProxy.Usage;

namespace OaiProxy.Limits;

/// <summary>
/// What one admitted request holds: its plan, the store that admitted it, and what it reserved. Settled once, when
/// the request's outcome completes: tokens and cost from the upstream's usage when it reported any, otherwise an
/// estimate (prompt + streamed chunks for a stream cut short, the reservation for an answer without usage, nothing
/// for a request that got no answer).
/// </summary>
internal sealed class LimitTicket(LimitPlan plan, ILimitSettlement store, long promptTokens, long reservedTokens, PriceTable prices, TimeProvider time,
    PendingSettlements pending)
{
    private int _settled;

    /// <summary>The <c>x-ratelimit-*</c> headers to send with the answer; null when no window applies.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>Starts the settlement and returns: the request does not wait for the store (see <see cref="PendingSettlements"/>).</summary>
    public void Settle(RequestLogEntry log, bool answered, long streamedChunks)
    {
        if (Interlocked.Exchange(ref _settled, 1) == 1) return;
        var usage = log.Usage ?? Estimate(answered, log.Stream, streamedChunks);
        var actual = new long[plan.Checks.Length];
        for (var i = 0; i < actual.Length; i++)
        {
            var check = plan.Checks[i];
            actual[i] = check.Meter switch
            {
                LimitMeter.Tokens => usage.TotalTokens,
                LimitMeter.Budget => prices.CostNanos(usage, log.UpstreamModel, log.Model),
                LimitMeter.Parallel => 0,
                _ => -1,
            };
        }
        pending.Track(store.SettleAsync(plan, actual, time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None));
    }

    private UsageInfo Estimate(bool answered, bool stream, long streamedChunks)
    {
        if (!answered) return new UsageInfo(0, 0, 0);
        var completion = stream ? streamedChunks : reservedTokens - promptTokens;
        return new UsageInfo(promptTokens, completion, promptTokens + completion);
    }
}
