namespace OaiProxy.Resilience;

/// <summary>Circuit breaker states, as Envoy and Polly name them.</summary>
internal enum BreakerState
{
    /// <summary>Healthy: traffic flows.</summary>
    Closed,

    /// <summary>Ejected after repeated failures: no traffic until the cool-down ends.</summary>
    Open,

    /// <summary>Cool-down over: one probe request decides whether to close or open again.</summary>
    HalfOpen,
}
