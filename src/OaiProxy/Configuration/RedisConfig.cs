namespace OaiProxy.Configuration;

/// <summary>The top-level Redis keys of the config. Read at start-up only.</summary>
/// <param name="Url"><c>redis_url</c>: <c>redis://[:password@]host:port[/db]</c>, <c>rediss://...</c> for TLS, or a StackExchange.Redis configuration string. Default: none (limits in memory).</param>
/// <param name="FailurePolicy"><c>redis_failure_policy</c>: <c>fail_open</c> (default) or <c>fail_closed</c>.</param>
/// <param name="Timeout"><c>redis_timeout</c>: longest wait for one Redis call, in seconds. Default 0.5.</param>
/// <param name="KeyPrefix"><c>redis_key_prefix</c>: prefix of every Redis key and channel. Default <c>oaiproxy:</c>.</param>
public sealed record RedisConfig(string? Url, RedisFailurePolicy FailurePolicy, TimeSpan Timeout, string KeyPrefix)
{
    /// <summary>No Redis: limits live in memory.</summary>
    public static RedisConfig None { get; } = new(null, RedisFailurePolicy.FailOpen, LimitsBinder.DefaultRedisTimeout, "oaiproxy:");
}
