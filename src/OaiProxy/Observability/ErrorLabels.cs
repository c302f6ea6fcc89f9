using System.Collections.Frozen;
using OaiProxy.Errors;

namespace OaiProxy.Observability;

/// <summary>
/// The <c>error.type</c> of metrics and spans, from a fixed set: an error's code when the proxy knows it, else its
/// type when known, else <see cref="Other"/>. Upstreams choose their codes and types freely (one echoed a provider
/// key in <c>code</c>, security-findings.md finding 5), and every distinct label value is a new series on the
/// unauthenticated <c>/metrics</c>, so free text never becomes a label.
/// </summary>
internal static class ErrorLabels
{
    public const string Other = "other";

    private static readonly FrozenSet<string> Known = new[]
    {
        // The proxy's own codes and types.
        ErrorCodes.InvalidApiKey, ErrorCodes.ConnectionNotAllowed, ErrorCodes.ModelNotAllowed, ErrorCodes.ModelNotFound,
        ErrorCodes.InvalidJson, ErrorCodes.InvalidType, ErrorCodes.MissingField, ErrorCodes.BodyTooLarge, ErrorCodes.UpstreamError,
        ErrorCodes.UpstreamAuth, ErrorCodes.UpstreamTimeout, ErrorCodes.StreamInterrupted, ErrorCodes.ProxyDisabled,
        ErrorCodes.InternalError, ErrorCodes.RateLimitExceeded, ErrorCodes.UnsupportedParameter, ErrorCodes.GroupNotConfigured, ErrorCodes.ModelNotPriced,
        ErrorTypes.InvalidRequest, ErrorTypes.Authentication, ErrorTypes.Permission, ErrorTypes.RateLimit, ErrorTypes.Server,
        ErrorTypes.Upstream, ErrorTypes.Timeout, ErrorTypes.Unavailable,
        "unknown_url", "key_not_found", "upstream_unavailable", "overloaded", "unsupported_transport", "unsupported_content_encoding",
        "invalid_content_encoding", "response_not_found", "previous_response_not_found", "item_not_found", "failed_precondition",
        "insufficient_quota", "rate_limit_store_unavailable", "invalid_request", "invalid_value", "unsupported_operation", "empty_array",
        "invalid_image_url", "unsupported_endpoint", "invalid_encrypted_content",
        // Codes and types of the providers that clients act on.
        "context_length_exceeded", "server_is_overloaded", "invalid_prompt", "content_filter", "invalid_request_error",
        "not_found_error", "overloaded_error", "api_error", "billing_error", "permission_error", "authentication_error",
        "request_too_large", "timeout_error",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static string Of(ProxyError error)
    {
        if (error.Code is { } code && Known.Contains(code)) return code;
        return Known.Contains(error.Type) ? error.Type : Other;
    }
}
