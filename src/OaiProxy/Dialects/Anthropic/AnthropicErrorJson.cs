using System.Buffers;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// A <see cref="ProxyError"/> in Anthropic's shape (<c>{"type":"error","error":{"type","message"}}</c>,
/// protocols.md 2.8), for the <c>/messages</c> endpoints whose clients parse only that; the type follows the status.
/// </summary>
internal static class AnthropicErrorJson
{
    public static string Type(int status) => status switch
    {
        400 or 422 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 => "timeout_error",
        _ => "api_error",
    };

    public static byte[] ToUtf8(ProxyError error, string? requestId = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error");
            writer.WriteStartObject("error"u8);
            writer.WriteString("type"u8, Type(error.Status));
            writer.WriteString("message"u8, error.Message);
            writer.WriteEndObject();
            if (requestId is not null) writer.WriteString("request_id"u8, requestId);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
