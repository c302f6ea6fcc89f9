namespace OaiProxy.Configuration;

/// <summary><c>redis_failure_policy</c>: what requests meet while Redis cannot be reached.</summary>
public enum RedisFailurePolicy
{
    /// <summary><c>fail_open</c> (default): each instance enforces the limits on its own, in memory, until Redis is back.</summary>
    FailOpen,

    /// <summary><c>fail_closed</c>: requests that have limits are refused with 503 until Redis is back.</summary>
    FailClosed,
}
