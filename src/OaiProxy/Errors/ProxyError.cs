namespace OaiProxy.Errors;

/// <summary>
/// An error answered to the client in OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.
/// </summary>
/// <param name="Status">HTTP status sent to the client.</param>
/// <param name="Type">OpenAI error type, such as <c>invalid_request_error</c>.</param>
/// <param name="Code">Machine-readable code, such as <c>model_not_found</c>.</param>
/// <param name="Message">A whole sentence that names the problem and how to fix it.</param>
/// <param name="Param">The request parameter at fault, when there is one.</param>
public sealed record ProxyError(int Status, string Type, string? Code, string Message, string? Param = null)
{
    /// <summary>Seconds the client should wait before retrying (sent as <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Extra response headers (rate-limit state, upstream request id).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    /// <summary>Whether a retry or a fallback to another target may succeed.</summary>
    public bool IsRetryable { get; init; }

    public static ProxyError BadRequest(string message, string? param = null, string? code = null) =>
        new(400, ErrorTypes.InvalidRequest, code, message, param);

    public static ProxyError InvalidApiKey(string message) =>
        new(401, ErrorTypes.Authentication, ErrorCodes.InvalidApiKey, message);

    public static ProxyError ModelNotFound(string model) =>
        new(404, ErrorTypes.InvalidRequest, ErrorCodes.ModelNotFound,
            $"The model \"{model}\" does not exist or you do not have access to it. Check the model name, or ask the proxy operator to add a routing rule for it.",
            "model");

    public static ProxyError BadGateway(string message, bool retryable = true) =>
        new(502, ErrorTypes.Upstream, ErrorCodes.UpstreamError, message) { IsRetryable = retryable };

    public static ProxyError GatewayTimeout(string message) =>
        new(504, ErrorTypes.Timeout, ErrorCodes.UpstreamTimeout, message) { IsRetryable = true };

    public static ProxyError Internal(string message) =>
        new(500, ErrorTypes.Server, ErrorCodes.InternalError, message);
}
