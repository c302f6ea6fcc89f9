using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>
/// Validates a chat-completions body in one forward pass over its bytes (no tree is built, see
/// <see cref="BodyScanner"/>) and reads the fields the proxy needs. Every problem becomes a 400 in OpenAI's shape
/// naming the parameter.
/// </summary>
internal static class ChatRequestParser
{
    /// <summary>JSON nesting the proxy accepts; deeper documents are refused before any work is done.</summary>
    public const int MaxDepth = 64;

    public static bool TryParse(ReadOnlyMemory<byte> body, out RequestBody? request, out ProxyError? error, int maxMessages = int.MaxValue)
    {
        request = null;
        int? messageCount = null;
        // Chat has always called a body that is JSON but not an object a wrong type; the other endpoints say invalid_json.
        error = BodyScanner.Scan(body.Span, ref messageCount, static (string name, ref Utf8JsonReader reader, ref int? count) =>
        {
            if (name != "messages") return CheckParameter(name, ref reader);
            if (reader.TokenType != JsonTokenType.StartArray) return RequestErrors.WrongType("messages", "an array", reader.TokenType);
            var messagesError = ScanMessages(ref reader, out var scanned);
            count = scanned;
            return messagesError;
        }, ErrorCodes.InvalidType, out var fields);
        error ??= CheckMessageCount(messageCount, maxMessages);
        if (error is not null) return false;
        fields!.MessageCount = messageCount!.Value;
        request = new RequestBody(body, fields);
        return true;
    }

    private static ProxyError? CheckParameter(string name, ref Utf8JsonReader reader)
    {
        var expected = name switch
        {
            "n" or "max_tokens" or "max_completion_tokens" => "an integer",
            "temperature" or "top_p" or "presence_penalty" or "frequency_penalty" => "a number",
            _ => null,
        };
        if (expected is null)
        {
            reader.Skip();
            return null;
        }
        return reader.TokenType is JsonTokenType.Number or JsonTokenType.Null ? null : RequestErrors.WrongType(name, expected, reader.TokenType);
    }

    private static ProxyError? CheckMessageCount(int? count, int maxMessages) => count switch
    {
        null => RequestErrors.Missing("messages", "Send the conversation as \"messages\": [{\"role\": \"user\", \"content\": \"...\"}]."),
        0 => ProxyError.BadRequest("\"messages\" is empty; send at least one message.", "messages", "empty_array"),
        { } n when n > maxMessages => ProxyError.BadRequest(
            $"The request has {n} messages, more than the proxy's limit of {maxMessages} (max_messages); shorten the conversation.", "messages", "too_many_messages"),
        _ => null,
    };

    private static ProxyError? ScanMessages(ref Utf8JsonReader reader, out int count)
    {
        count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return ProxyError.BadRequest($"messages[{count}] must be an object with \"role\" and \"content\", found {RequestErrors.Describe(reader.TokenType)}.",
                    $"messages[{count}]", ErrorCodes.InvalidType);
            }
            var hasRole = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRole = reader.ValueTextEquals("role"u8);
                reader.Read();
                if (isRole)
                {
                    if (reader.TokenType != JsonTokenType.String) return RequestErrors.WrongType($"messages[{count}].role", "a string", reader.TokenType);
                    hasRole = true;
                }
                else
                {
                    reader.Skip();
                }
            }
            if (!hasRole) return RequestErrors.Missing($"messages[{count}].role", "Give every message a \"role\" such as \"user\".");
            count++;
        }
        return null;
    }
}
