using OaiProxy.Configuration;
using OaiProxy.Logging;
using OaiProxy.Usage;

namespace OaiProxy.Limits;

/// <summary>
/// What one admitted request holds: its plan, the store that admitted it, and what it reserved. Settled once, when
/// the request's outcome completes: tokens and cost from the upstream's usage for a finished answer that reported
/// it; otherwise (no usage, a stream that did not finish) at least the reservation, prompt + the output the upstream
/// was asked for at most, or one token per streamed chunk when that is more, because the upstream may have
/// generated and billed that much, hidden reasoning included; nothing for a request that got no answer. Each attempt
/// abandoned on the way (timed out, or broken before its first event, after the upstream took the request) adds one
/// reservation, since its generation is billed too.
/// </summary>
internal sealed class LimitTicket(LimitPlan plan, ILimitSettlement store, long promptTokens, long reservedTokens, PriceTable prices, TimeProvider time,
    PendingSettlements pending)
{
    private int _settled;

    /// <summary>The <c>x-ratelimit-*</c> headers to send with the answer; null when no window applies.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>Starts the settlement and returns: the request does not wait for the store (see <see cref="PendingSettlements"/>).</summary>
    public void Settle(RequestLogEntry log, AnswerEnd end, long streamedChunks, int abandonedAttempts)
    {
        if (Interlocked.Exchange(ref _settled, 1) == 1) return;
        var usage = Charged(log.Usage, end, streamedChunks);
        var reservation = new UsageInfo(promptTokens, reservedTokens - promptTokens, reservedTokens);
        var actual = new long[plan.Checks.Length];
        for (var i = 0; i < actual.Length; i++)
        {
            var check = plan.Checks[i];
            actual[i] = check.Meter switch
            {
                LimitMeter.Tokens => usage.TotalTokens + abandonedAttempts * reservation.TotalTokens,
                LimitMeter.Budget => prices.CostNanos(usage, log.UpstreamModel, log.Model)
                    + abandonedAttempts * prices.CostNanos(reservation, log.UpstreamModel, log.Model),
                LimitMeter.Parallel => 0,
                _ => -1,
            };
        }
        pending.Track(store.SettleAsync(plan, actual, time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None));
    }

    /// <summary>What the answer itself is charged (see the type's summary).</summary>
    internal UsageInfo Charged(UsageInfo? reported, AnswerEnd end, long streamedChunks)
    {
        if (end == AnswerEnd.None) return new UsageInfo(0, 0, 0);
        if (end == AnswerEnd.Finished && reported is not null) return reported;
        var completion = Math.Max(reservedTokens - promptTokens, streamedChunks);
        var estimate = new UsageInfo(promptTokens, completion, promptTokens + completion);
        return reported is not null && reported.TotalTokens > estimate.TotalTokens ? reported : estimate;
    }
}
