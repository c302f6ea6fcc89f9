using System.Globalization;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Google's error body (<c>{"error":{"code","message","status","details"}}</c>, sometimes wrapped in an array, or not
/// JSON at all) to the client's OpenAI-shaped error, by Google's <c>status</c> first and the HTTP status otherwise:
/// INVALID_ARGUMENT and FAILED_PRECONDITION 400, a rejected key (API_KEY_INVALID, PERMISSION_DENIED, UNAUTHENTICATED)
/// 502 without the key, NOT_FOUND 404, RESOURCE_EXHAUSTED 429 with <c>RetryInfo.retryDelay</c> as Retry-After,
/// UNAVAILABLE 503, INTERNAL 502, DEADLINE_EXCEEDED 504.
/// </summary>
internal static class GeminiErrors
{
    public readonly record struct GoogleError(int? Code, string? Message, string? Status, string? Reason, TimeSpan? RetryDelay);

    public static ProxyError Map(int httpStatus, GoogleError error, TimeSpan? retryAfterHeader, string connection, SecretScrubber secrets)
    {
        var message = secrets.Scrub(error.Message);
        var detail = string.IsNullOrWhiteSpace(message) ? $"The upstream of connection \"{connection}\" answered HTTP {httpStatus}." : message;
        var retryAfter = error.RetryDelay ?? retryAfterHeader;
        if (error.Reason is "API_KEY_INVALID" or "API_KEY_SERVICE_BLOCKED" or "ACCESS_TOKEN_EXPIRED")
        {
            return UpstreamErrorMapper.Map(401, message, null, null, null, null, connection, secrets);
        }
        return error.Status switch
        {
            "INVALID_ARGUMENT" or "OUT_OF_RANGE" => new ProxyError(400, ErrorTypes.InvalidRequest, null, detail),
            "FAILED_PRECONDITION" => new ProxyError(400, ErrorTypes.InvalidRequest, "failed_precondition", detail),
            "PERMISSION_DENIED" or "UNAUTHENTICATED" => UpstreamErrorMapper.Map(error.Status == "UNAUTHENTICATED" ? 401 : 403, message, null, null, null, null, connection, secrets),
            "NOT_FOUND" => new ProxyError(404, ErrorTypes.InvalidRequest, ErrorCodes.ModelNotFound, detail, "model"),
            "RESOURCE_EXHAUSTED" => new ProxyError(429, ErrorTypes.RateLimit, ErrorCodes.RateLimitExceeded, detail) { RetryAfter = retryAfter, IsRetryable = true },
            "UNAVAILABLE" => new ProxyError(503, ErrorTypes.Server, "upstream_unavailable",
                $"The upstream of connection \"{connection}\" is unavailable: {detail}") { RetryAfter = retryAfter, IsRetryable = true },
            "DEADLINE_EXCEEDED" => new ProxyError(504, ErrorTypes.Timeout, ErrorCodes.UpstreamTimeout,
                $"The upstream of connection \"{connection}\" timed out: {detail}") { IsRetryable = true },
            "INTERNAL" or "UNKNOWN" or "DATA_LOSS" => new ProxyError(502, ErrorTypes.Upstream, ErrorCodes.UpstreamError,
                $"The upstream of connection \"{connection}\" failed: {detail}") { IsRetryable = true },
            _ => httpStatus switch
            {
                503 => Map(httpStatus, error with { Status = "UNAVAILABLE" }, retryAfterHeader, connection, secrets),
                504 => Map(httpStatus, error with { Status = "DEADLINE_EXCEEDED" }, retryAfterHeader, connection, secrets),
                _ => UpstreamErrorMapper.Map(httpStatus, message, null, null, null, retryAfter, connection, secrets),
            },
        };
    }

    /// <summary>Reads Google's error from a body; the message falls back to the raw text when it is not JSON.</summary>
    public static GoogleError Parse(ReadOnlySpan<byte> body, SecretScrubber secrets)
    {
        if (body.IsEmpty) return default;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (JsonDocument.TryParseValue(ref reader, out var doc))
            {
                using (doc)
                {
                    var root = doc.RootElement;
                    if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0) root = root[0];
                    if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)) return Read(error);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself is the message.
        }
        return new GoogleError(null, UpstreamHttp.Excerpt(body, secrets), null, null, null);
    }

    /// <summary>True when a JSON document is (or wraps) a Google error.</summary>
    public static bool IsError(JsonElement root, out GoogleError error)
    {
        if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0) root = root[0];
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e))
        {
            error = Read(e);
            return true;
        }
        error = default;
        return false;
    }

    public static int HttpStatus(GoogleError error, int fallback) => error.Code is >= 400 and < 600 ? error.Code.Value : fallback;

    private static GoogleError Read(JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.String) return new GoogleError(null, error.GetString(), null, null, null);
        if (error.ValueKind != JsonValueKind.Object) return default;
        int? code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var value) ? value : null;
        string? reason = null;
        TimeSpan? retryDelay = null;
        if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind != JsonValueKind.Object) continue;
                reason ??= JsonFields.String(detail, "reason");
                if (JsonFields.String(detail, "retryDelay") is { } delay) retryDelay ??= ParseDuration(delay);
            }
        }
        return new GoogleError(code, JsonFields.String(error, "message"), JsonFields.String(error, "status"), reason, retryDelay);
    }

    /// <summary>A protobuf JSON duration such as <c>"37s"</c> or <c>"1.5s"</c>.</summary>
    internal static TimeSpan? ParseDuration(string text) =>
        text.EndsWith('s') && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
