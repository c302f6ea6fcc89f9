using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// Anthropic errors (<c>{"type":"error","error":{"type","message"}}</c>, as an HTTP body or a stream event) to
/// OpenAI's shape and a status OpenAI clients understand (protocols.md 2.8, 4.13): overloaded (529) becomes a
/// retryable 503, rate limits 429 with Retry-After, request faults keep their status and upstream message, a
/// rejected key or server fault goes through <see cref="UpstreamErrorMapper"/> (502, the key never echoed). Every
/// upstream text is scrubbed of the config's secrets before it is cut or mapped.
/// </summary>
internal static class AnthropicErrors
{
    public const string Overloaded = "overloaded";

    /// <summary>An HTTP error answer.</summary>
    public static ProxyError FromResponse(int status, byte[]? body, TimeSpan? retryAfter, string connection, SecretScrubber secrets)
    {
        var (type, message, detailCode) = Read(body, secrets);
        return Map(status, type, message, detailCode, retryAfter, connection, secrets);
    }

    /// <summary>An <c>error</c> event inside a stream that started with HTTP 200; the type stands in for the status.</summary>
    public static ProxyError FromStreamEvent(JsonElement eventJson, string connection, SecretScrubber secrets)
    {
        JsonFields.TryGet(eventJson, "error", out var error);
        var type = JsonFields.String(error, "type");
        var message = JsonFields.String(error, "message");
        var status = type switch
        {
            "invalid_request_error" => 400,
            "authentication_error" => 401,
            "billing_error" => 402,
            "permission_error" => 403,
            "not_found_error" => 404,
            "request_too_large" => 413,
            "rate_limit_error" => 429,
            "timeout_error" => 504,
            "overloaded_error" => 529,
            _ => 500,
        };
        var mapped = Map(status, type, message, DetailCode(error), null, connection, secrets);
        return mapped with { Message = $"Connection \"{connection}\": the upstream reported an error mid-stream: {mapped.Message}" };
    }

    private static ProxyError Map(int status, string? type, string? message, string? detailCode, TimeSpan? retryAfter, string connection, SecretScrubber secrets)
    {
        var text = secrets.Scrub(message);
        var detail = string.IsNullOrWhiteSpace(text) ? $"The upstream of connection \"{connection}\" answered HTTP {status}." : text;
        if (type == "overloaded_error" || status == 529)
        {
            // 529 is not a status OpenAI clients know; 503 is, and their SDKs retry it with backoff.
            return new ProxyError(503, ErrorTypes.Server, Overloaded, $"The upstream of connection \"{connection}\" is overloaded: {detail}")
            { IsRetryable = true, RetryAfter = retryAfter };
        }
        if (detailCode == "enforced_spend_limit_reached")
        {
            // A spend cap does not lift on retry, and SDKs retry every 429.
            return new ProxyError(402, "insufficient_quota", "insufficient_quota", $"The upstream of connection \"{connection}\" reached its spend limit: {detail}");
        }
        return (type, status) switch
        {
            ("rate_limit_error", _) or (_, 429) => UpstreamErrorMapper.Map(429, text, ErrorTypes.RateLimit, ErrorCodes.RateLimitExceeded, null, retryAfter, connection, secrets),
            ("authentication_error", _) => UpstreamErrorMapper.Map(401, text, null, null, null, retryAfter, connection, secrets),
            ("permission_error", _) => UpstreamErrorMapper.Map(403, text, null, null, null, retryAfter, connection, secrets),
            ("billing_error", _) or (_, 402) => new ProxyError(402, "insufficient_quota", "insufficient_quota", $"The upstream of connection \"{connection}\" reports a billing problem: {detail}"),
            ("not_found_error", _) or (_, 404) => new ProxyError(404, ErrorTypes.InvalidRequest, ErrorCodes.ModelNotFound, detail),
            ("request_too_large", _) or (_, 413) => new ProxyError(413, ErrorTypes.InvalidRequest, ErrorCodes.BodyTooLarge, detail),
            ("timeout_error", _) or (_, 504) => ProxyError.GatewayTimeout($"The upstream of connection \"{connection}\" timed out: {detail}"),
            ("invalid_request_error", _) when status < 500 => new ProxyError(status, ErrorTypes.InvalidRequest, InvalidRequestCode(text), detail),
            _ => UpstreamErrorMapper.Map(status, text, type, null, null, retryAfter, connection, secrets),
        };
    }

    private static string? InvalidRequestCode(string? message) =>
        message is not null && message.Contains("prompt is too long", StringComparison.OrdinalIgnoreCase) ? "context_length_exceeded" : null;

    private static (string? Type, string? Message, string? DetailCode) Read(byte[]? body, SecretScrubber secrets)
    {
        if (body is null || body.Length == 0) return default;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (JsonFields.TryGet(root, "error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (JsonFields.String(error, "type"), JsonFields.String(error, "message"), DetailCode(error));
            }
            if (JsonFields.String(root, "message") is { } message) return (null, message, null);
        }
        catch (JsonException)
        {
            // Not JSON (a gateway's HTML page, say): the text itself is the message.
        }
        return (null, UpstreamHttp.Excerpt(body, secrets), null);
    }

    private static string? DetailCode(JsonElement error) =>
        JsonFields.TryGet(error, "details", out var details) ? JsonFields.String(details, "error_code") : null;
}
