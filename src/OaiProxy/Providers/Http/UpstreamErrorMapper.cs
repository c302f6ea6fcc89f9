using OaiProxy.Errors;

namespace OaiProxy.Providers.Http;

/// <summary>
/// Maps an upstream HTTP error to what the client sees, keeping its meaning: client-side faults pass through with
/// the upstream message, rate limits keep Retry-After, a rejected provider key and server faults become 502
/// (the provider key is never echoed), timeouts 504. Every text field is scrubbed of the config's secrets.
/// </summary>
internal static class UpstreamErrorMapper
{
    public static ProxyError Map(int status, string? upstreamMessage, string? upstreamType, string? upstreamCode,
        string? upstreamParam, TimeSpan? retryAfter, string connection, SecretScrubber secrets)
    {
        var message = secrets.Scrub(upstreamMessage);
        upstreamType = secrets.Scrub(upstreamType);
        upstreamCode = secrets.Scrub(upstreamCode);
        upstreamParam = secrets.Scrub(upstreamParam);
        var detail = string.IsNullOrWhiteSpace(message) ? $"The upstream of connection \"{connection}\" answered HTTP {status}." : message;
        return status switch
        {
            401 or 403 => new ProxyError(502, ErrorTypes.Upstream, ErrorCodes.UpstreamAuth,
                $"The upstream of connection \"{connection}\" rejected the proxy's credentials (HTTP {status}); the proxy operator must check the connection's api_key.")
            { IsRetryable = true },
            408 => ProxyError.GatewayTimeout($"The upstream of connection \"{connection}\" timed out (HTTP 408)."),
            429 => new ProxyError(429, upstreamType ?? ErrorTypes.RateLimit, upstreamCode ?? ErrorCodes.RateLimitExceeded, detail)
            { RetryAfter = retryAfter, IsRetryable = true },
            >= 500 => new ProxyError(502, ErrorTypes.Upstream, ErrorCodes.UpstreamError,
                $"The upstream of connection \"{connection}\" failed (HTTP {status}): {detail}")
            { IsRetryable = true, RetryAfter = retryAfter },
            _ => new ProxyError(status, upstreamType ?? ErrorTypes.InvalidRequest, upstreamCode, detail, upstreamParam),
        };
    }
}
