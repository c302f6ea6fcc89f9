namespace OaiProxy.Configuration;

/// <summary>Circuit breaking and retry budget of one connection.</summary>
public sealed record BreakerConfig
{
    /// <summary><c>breaker_failures</c>: consecutive failed attempts that eject the deployment (or connection). Default 5; 0 turns breaking off.</summary>
    public int Failures { get; init; } = 5;

    /// <summary><c>breaker_cooldown</c>: seconds an ejected connection gets no traffic before a probe. Default 30.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>retry_budget</c>: retries allowed as a share of requests (0.2 = one retry per five requests, after an
    /// initial allowance of 10), so a failing upstream is not hammered. Default 0.2.
    /// </summary>
    public double RetryBudget { get; init; } = 0.2;

    /// <summary>
    /// <c>breaker_scope</c>: <c>"deployment"</c> (default) breaks per upstream model of the connection,
    /// <c>"connection"</c> one breaker for all of them.
    /// </summary>
    public BreakerScope Scope { get; init; } = BreakerScope.Deployment;
}
