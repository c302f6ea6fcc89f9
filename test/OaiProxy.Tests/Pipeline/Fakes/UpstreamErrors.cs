using OaiProxy.Errors;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>Errors as providers report them.</summary>
internal static class UpstreamErrors
{
    public static ProxyError Retryable() => ProxyError.BadGateway("The upstream answered 500.");

    public static ProxyError NotRetryable() =>
        new(400, ErrorTypes.InvalidRequest, "invalid_request", "The upstream refused the request.") { IsRetryable = false };

    public static ProxyError TooManyRequests(TimeSpan retryAfter) =>
        new(429, ErrorTypes.Upstream, ErrorCodes.RateLimitExceeded, "The upstream is busy.") { IsRetryable = true, RetryAfter = retryAfter };

    public static ProxyError Interrupted() =>
        new(502, ErrorTypes.Upstream, ErrorCodes.StreamInterrupted, "The upstream stream broke off.");
}
