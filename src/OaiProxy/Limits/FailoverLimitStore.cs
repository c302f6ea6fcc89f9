using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Diagnostics;

namespace OaiProxy.Limits;

/// <summary>
/// Redis first; when a call fails or takes longer than <c>redis_timeout</c>, the policy decides: fail_open admits
/// through this instance's in-memory limits, fail_closed refuses. After a failure Redis is skipped for
/// <see cref="ProbeInterval"/>, then the next request probes it again, so an outage costs one bounded wait per
/// interval and recovery needs nothing but Redis coming back.
/// </summary>
internal sealed partial class FailoverLimitStore(ILimitStore redis, MemoryLimitStore local, RedisConfig settings, TimeProvider time, ILogger logger)
    : ILimitStore
{
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private long _skipUntil;
    private int _down;

    public async ValueTask<LimitVerdict> AdmitAsync(LimitPlan plan, long nowMs, CancellationToken cancellationToken)
    {
        if (time.GetTimestamp() >= Volatile.Read(ref _skipUntil))
        {
            try
            {
                var verdict = await redis.AdmitAsync(plan, nowMs, cancellationToken).AsTask().WaitAsync(settings.Timeout, time, cancellationToken);
                if (Interlocked.Exchange(ref _down, 0) == 1) LogRecovered(logger);
                return verdict.Admitted ? verdict with { Store = this } : verdict;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                MarkDown(e);
            }
        }
        if (settings.FailurePolicy == RedisFailurePolicy.FailClosed)
        {
            return new LimitVerdict { Admitted = false, Unavailable = true, Used = new long[plan.Checks.Length], OldestExpiry = new long[plan.Checks.Length] };
        }
        return local.Admit(plan, nowMs);
    }

    public async ValueTask SettleAsync(LimitPlan plan, long[] actual, long nowMs, CancellationToken cancellationToken)
    {
        try
        {
            await redis.SettleAsync(plan, actual, nowMs, cancellationToken).AsTask().WaitAsync(settings.Timeout, time, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The request's entries expire by themselves (window, lease); only the real cost of a budget is lost.
            MarkDown(e);
        }
    }

    private void MarkDown(Exception e)
    {
        Volatile.Write(ref _skipUntil, time.GetTimestamp() + (long)(ProbeInterval.TotalSeconds * time.TimestampFrequency));
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogDown(logger, e.GetType().Name + ": " + e.Message, settings.FailurePolicy == RedisFailurePolicy.FailOpen ? "this instance's own limits apply" : "requests with limits are refused");
        }
    }

    [LoggerMessage(EventId = LogEvents.RedisDown, Level = LogLevel.Warning, Message = "Redis is unavailable for rate limits ({Reason}); until it is back, {Policy}.")]
    private static partial void LogDown(ILogger logger, string reason, string policy);

    [LoggerMessage(EventId = LogEvents.RedisRecovered, Level = LogLevel.Information, Message = "Redis is back; rate limits are shared again.")]
    private static partial void LogRecovered(ILogger logger);
}
