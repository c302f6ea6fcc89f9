using OaiProxy.Configuration;

namespace OaiProxy.Resilience;

/// <summary>
/// One circuit breaker: consecutive failures open it for a cool-down, after which one probe decides whether it
/// closes again. It remembers when it last failed, so the pipeline can pick the least recently failed target when
/// every target of a route is open (panic mode).
/// </summary>
internal sealed class CircuitBreaker(TimeProvider time)
{
    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private long _openUntil;
    private long _lastFailure;
    private BreakerState _state = BreakerState.Closed;
    private bool _probeInFlight;

    public BreakerState State
    {
        get
        {
            lock (_lock) return _state == BreakerState.Open && time.GetTimestamp() >= _openUntil ? BreakerState.HalfOpen : _state;
        }
    }

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>When the last failure was recorded (a <see cref="TimeProvider"/> timestamp; 0 before any).</summary>
    public long LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Whether it is closed with no failure counted: nothing worth remembering.</summary>
    public bool IsPristine
    {
        get
        {
            lock (_lock) return _state == BreakerState.Closed && _consecutiveFailures == 0 && !_probeInFlight;
        }
    }

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
    /// Whether an attempt may go through now. When the breaker is open only the first caller after the cool-down
    /// gets through, as the probe.
    /// </summary>
    public bool TryEnter(BreakerConfig config)
    {
        if (config.Failures <= 0) return true;
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
        return true;
    }

    public void OnSuccess()
    {
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
            _lastFailure = time.GetTimestamp();
            if (config.Failures > 0 && (_state == BreakerState.HalfOpen || _consecutiveFailures >= config.Failures))
            {
                _state = BreakerState.Open;
                _openUntil = _lastFailure + (long)(config.Cooldown.TotalSeconds * time.TimestampFrequency);
            }
        }
    }

    /// <summary>An attempt that neither succeeded nor failed (client went away, a 4xx): releases a probe slot.</summary>
    public void OnNeutral()
    {
        lock (_lock) _probeInFlight = false;
    }
}
