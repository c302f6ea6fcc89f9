namespace OaiProxy.Configuration;

/// <summary><c>breaker_scope</c>: what one circuit breaker covers.</summary>
public enum BreakerScope
{
    /// <summary>One model of one connection: a failing model leaves the connection's other models in rotation.</summary>
    Deployment,

    /// <summary>The whole connection: any model's failures take all of them out of rotation.</summary>
    Connection,
}
