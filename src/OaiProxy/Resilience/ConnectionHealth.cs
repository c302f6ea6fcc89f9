using System.Collections.Concurrent;
using OaiProxy.Configuration;

namespace OaiProxy.Resilience;

/// <summary>
/// Live state of one connection, kept across reloads by name: in-flight attempts, a latency average (for the
/// least_busy and lowest_latency strategies), a retry budget, and circuit breakers by deployment (the upstream
/// model; one for the whole connection with <c>breaker_scope = "connection"</c>). Lock-free on the success path.
/// </summary>
internal sealed class ConnectionHealth(string name, TimeProvider time)
{
    private const double LatencyWeight = 0.2;
    private const double RetryAllowance = 10;

    // Upstream models come from clients through wildcard routes: only this many breakers are kept apart, the rest
    // share the connection's own one, so a flood of made-up model names cannot grow memory.
    private const int MaxDeployments = 1024;

    private const string WholeConnection = "";

    private readonly ConcurrentDictionary<string, CircuitBreaker> _breakers = new(StringComparer.Ordinal);
    private readonly Lock _retryLock = new();
    private int _inFlight;
    private long _latencyMicros = -1;
    private double _retryTokens = RetryAllowance;

    public string Name { get; } = name;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Moving average of time to first byte; null before the first success.</summary>
    public TimeSpan? Latency => Volatile.Read(ref _latencyMicros) is var micros and >= 0 ? TimeSpan.FromMicroseconds(micros) : null;

    /// <summary>
    /// The connection's state as a whole: closed while any of its deployments is (or none was used yet), half-open
    /// when none is closed but one may probe, open when every deployment it was asked for is ejected.
    /// </summary>
    public BreakerState State
    {
        get
        {
            var halfOpen = false;
            var any = false;
            foreach (var breaker in _breakers.Values)
            {
                var state = breaker.State;
                if (state == BreakerState.Closed) return BreakerState.Closed;
                any = true;
                halfOpen |= state == BreakerState.HalfOpen;
            }
            return !any ? BreakerState.Closed : halfOpen ? BreakerState.HalfOpen : BreakerState.Open;
        }
    }

    /// <summary>The most failed attempts in a row of any of its deployments.</summary>
    public int ConsecutiveFailures => _breakers.Values.Select(b => b.ConsecutiveFailures).DefaultIfEmpty(0).Max();

    /// <summary>The breaker of <paramref name="upstreamModel"/> on this connection.</summary>
    public CircuitBreaker Breaker(string upstreamModel, BreakerConfig config)
    {
        var key = config.Scope == BreakerScope.Connection ? WholeConnection : upstreamModel;
        if (_breakers.TryGetValue(key, out var breaker)) return breaker;
        if (_breakers.Count >= MaxDeployments)
        {
            foreach (var (model, idle) in _breakers)
            {
                if (idle.IsPristine && model != WholeConnection) _breakers.TryRemove(model, out _);
            }
            if (_breakers.Count >= MaxDeployments) key = WholeConnection;
        }
        return _breakers.GetOrAdd(key, _ => new CircuitBreaker(time));
    }

    /// <summary>Counts an attempt admitted by its breaker as in flight.</summary>
    public void Enter() => Interlocked.Increment(ref _inFlight);

    /// <summary>Ends an attempt counted by <see cref="Enter"/> (or the stream it started).</summary>
    public void Exit() => Interlocked.Decrement(ref _inFlight);

    public void RecordLatency(TimeSpan timeToFirstByte)
    {
        var micros = (long)timeToFirstByte.TotalMicroseconds;
        var previous = Volatile.Read(ref _latencyMicros);
        Volatile.Write(ref _latencyMicros, previous < 0 ? micros : (long)(previous + LatencyWeight * (micros - previous)));
    }

    /// <summary>Credits the retry budget for one new request.</summary>
    public void Deposit(BreakerConfig config)
    {
        lock (_retryLock) _retryTokens = Math.Min(RetryAllowance, _retryTokens + config.RetryBudget);
    }

    /// <summary>Takes one retry from the budget; false when retries would exceed the budget.</summary>
    public bool TryWithdrawRetry()
    {
        lock (_retryLock)
        {
            if (_retryTokens < 1) return false;
            _retryTokens -= 1;
            return true;
        }
    }
}
