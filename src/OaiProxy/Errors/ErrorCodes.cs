namespace OaiProxy.Errors;

/// <summary>The <c>error.code</c> values the proxy answers with.</summary>
public static class ErrorCodes
{
    public const string InvalidApiKey = "invalid_api_key";
    public const string ConnectionNotAllowed = "connection_not_allowed";
    public const string ModelNotAllowed = "model_not_allowed";
    public const string GroupNotConfigured = "group_not_configured";
    public const string ModelNotPriced = "model_not_priced";
    public const string ModelNotFound = "model_not_found";
    public const string InvalidJson = "invalid_json";
    public const string InvalidType = "invalid_type";
    public const string MissingField = "missing_required_parameter";
    public const string BodyTooLarge = "request_too_large";
    public const string UpstreamError = "upstream_error";
    public const string UpstreamAuth = "upstream_authentication_failed";
    public const string UpstreamTimeout = "upstream_timeout";
    public const string StreamInterrupted = "stream_interrupted";
    public const string ProxyDisabled = "proxy_disabled";
    public const string InternalError = "internal_error";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string UnsupportedParameter = "unsupported_parameter";
}
