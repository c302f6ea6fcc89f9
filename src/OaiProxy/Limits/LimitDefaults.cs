namespace OaiProxy.Limits;

/// <summary>Defaults of the limit settings, in one place for the binder and the docs.</summary>
internal static class LimitDefaults
{
    /// <summary>Completion tokens reserved when a request sets neither <c>max_tokens</c> nor <c>max_completion_tokens</c>.</summary>
    public const int DefaultMaxTokens = 4096;

    public static readonly TimeSpan RedisTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>The rpm and tpm window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Added to the longest connection timeout to bound how long a leaked slot or reservation can live.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromMinutes(1);
}
