using System.Globalization;
using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// A failure as the Responses API reports it inside <c>response.failed</c>: the codes clients act on (Codex retries
/// <c>rate_limit_exceeded</c> and <c>server_error</c> after the wait named in the message, gives up on
/// <c>context_length_exceeded</c>, <c>insufficient_quota</c> and <c>invalid_request_error</c>).
/// </summary>
internal static class ResponseErrors
{
    public static string Code(ProxyError error) => error.Code switch
    {
        // The codes clients act on keep their meaning, whoever raised them (an upstream's own error event included).
        "context_length_exceeded" or "insufficient_quota" or "rate_limit_exceeded" or "server_is_overloaded" or "invalid_prompt" => error.Code,
        _ when error.Status == 429 => "rate_limit_exceeded",
        "overloaded" => "server_is_overloaded",
        _ when error.Status == 503 => "server_is_overloaded",
        _ when error.Status is >= 400 and < 500 => "invalid_request_error",
        _ => "server_error",
    };

    public static string Message(ProxyError error) => error.RetryAfter is { } wait
        ? $"{error.Message} Please try again in {Math.Max(1, Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s."
        : error.Message;

    public static void WriteObject(Utf8JsonWriter w, ProxyError error)
    {
        w.WriteStartObject();
        w.WriteString("code"u8, Code(error));
        w.WriteString("message"u8, Message(error));
        w.WriteEndObject();
    }
}
