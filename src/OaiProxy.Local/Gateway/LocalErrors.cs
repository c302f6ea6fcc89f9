using OaiProxy.Errors;

namespace OaiProxy.Local.Gateway;

/// <summary>The engine's exceptions as OpenAI-shaped errors.</summary>
internal static class LocalErrors
{
    /// <summary>The <c>error.code</c> of a request whose value is invalid (not merely unsupported).</summary>
    public const string InvalidRequestCode = "invalid_request";

    /// <summary>Maps an engine failure; null for exceptions that are not the engine's (those propagate).</summary>
    public static ProxyError? From(Exception e, string connection, LocalModelOptions options) => e switch
    {
        LocalRequestException r => ProxyError.BadRequest(
            r.Message, r.Param.Length == 0 ? null : r.Param, r.IsUnsupported ? ErrorCodes.UnsupportedParameter : InvalidRequestCode),
        // Retryable: the attempt policy waits a short Retry-After or falls back to the route's next target.
        LocalModelBusyException b => new ProxyError(429, ErrorTypes.RateLimit, ErrorCodes.RateLimitExceeded,
            $"The local model of connection \"{connection}\" is busy ({options.MaxConcurrency} running, {options.MaxQueue} queued); retry later, or raise max_concurrency or max_queue.")
        {
            RetryAfter = b.RetryAfter,
            IsRetryable = true,
        },
        // Only "first_use" models load at request time; another target may still answer.
        LocalModelLoadException l => ProxyError.BadGateway($"The local model of connection \"{connection}\" failed to load: {l.Message}"),
        _ => null,
    };

    /// <summary>A failure after the stream started: sent to the client as an error event.</summary>
    public static ProxyError MidStream(Exception e, string connection, LocalModelOptions options) =>
        From(e, connection, options)
        ?? ProxyError.Internal($"The local model of connection \"{connection}\" failed while generating: {e.Message}");
}
