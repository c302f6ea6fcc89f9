using OaiProxy.Configuration;

namespace OaiProxy.Resilience;

/// <summary>
/// Live state of one connection, kept across reloads by name: in-flight attempts, a latency average (for the
/// least_busy and lowest_latency strategies), a circuit breaker and a retry budget. Lock-free on the success path.
/// </summary>
internal sealed class ConnectionHealth(string name, TimeProvider time)
{
    private const double LatencyWeight = 0.2;
    private const double RetryAllowance = 10;
    private readonly Lock _lock = new();
    private int _inFlight;
    private long _latencyMicros = -1;
    private int _consecutiveFailures;
    private long _openUntil;
    private BreakerState _state = BreakerState.Closed;
    private bool _probeInFlight;
    private double _retryTokens = RetryAllowance;

    public string Name { get; } = name;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Moving average of time to first byte; null before the first success.</summary>
    public TimeSpan? Latency => Volatile.Read(ref _latencyMicros) is var micros and >= 0 ? TimeSpan.FromMicroseconds(micros) : null;

    public BreakerState State
    {
        get
        {
            lock (_lock) return _state == BreakerState.Open && time.GetTimestamp() >= _openUntil ? BreakerState.HalfOpen : _state;
        }
    }

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Time until an open breaker lets a probe through.</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            lock (_lock)
            {
                var remaining = _openUntil - time.GetTimestamp();
                return remaining > 0 ? TimeSpan.FromSeconds(remaining / (double)time.TimestampFrequency) : TimeSpan.Zero;
            }
        }
    }

    /// <summary>
    /// Whether an attempt may go to this connection now. When the breaker is open only the first caller after the
    /// cool-down gets through, as the probe.
    /// </summary>
    public bool TryEnter(BreakerConfig config)
    {
        if (config.Failures > 0)
        {
            lock (_lock)
            {
                if (_state == BreakerState.Open)
                {
                    if (time.GetTimestamp() < _openUntil || _probeInFlight) return false;
                    _state = BreakerState.HalfOpen;
                    _probeInFlight = true;
                }
                else if (_state == BreakerState.HalfOpen)
                {
                    if (_probeInFlight) return false;
                    _probeInFlight = true;
                }
            }
        }
        Interlocked.Increment(ref _inFlight);
        return true;
    }

    /// <summary>Ends an attempt admitted by <see cref="TryEnter"/> (or the stream it started).</summary>
    public void Exit() => Interlocked.Decrement(ref _inFlight);

    public void OnSuccess(TimeSpan timeToFirstByte)
    {
        var micros = (long)timeToFirstByte.TotalMicroseconds;
        var previous = Volatile.Read(ref _latencyMicros);
        Volatile.Write(ref _latencyMicros, previous < 0 ? micros : (long)(previous + LatencyWeight * (micros - previous)));
        if (Volatile.Read(ref _consecutiveFailures) == 0 && _state == BreakerState.Closed) return;
        lock (_lock)
        {
            _consecutiveFailures = 0;
            _state = BreakerState.Closed;
            _probeInFlight = false;
        }
    }

    public void OnFailure(BreakerConfig config)
    {
        lock (_lock)
        {
            _consecutiveFailures++;
            _probeInFlight = false;
            if (config.Failures > 0 && (_state == BreakerState.HalfOpen || _consecutiveFailures >= config.Failures))
            {
                _state = BreakerState.Open;
                _openUntil = time.GetTimestamp() + (long)(config.Cooldown.TotalSeconds * time.TimestampFrequency);
            }
        }
    }

    /// <summary>An attempt that neither succeeded nor failed (client went away, a 4xx): releases a probe slot.</summary>
    public void OnNeutral()
    {
        lock (_lock) _probeInFlight = false;
    }

    /// <summary>Credits the retry budget for one new request.</summary>
    public void Deposit(BreakerConfig config)
    {
        lock (_lock) _retryTokens = Math.Min(RetryAllowance, _retryTokens + config.RetryBudget);
    }

    /// <summary>Takes one retry from the budget; false when retries would exceed the budget.</summary>
    public bool TryWithdrawRetry()
    {
        lock (_lock)
        {
            if (_retryTokens < 1) return false;
            _retryTokens -= 1;
            return true;
        }
    }
}
