using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>
/// Validates a chat-completions body in one forward pass over its bytes (no tree is built) and reads the fields the
/// proxy needs. Every problem becomes a 400 in OpenAI's shape naming the parameter.
/// </summary>
public static class ChatRequestParser
{
    /// <summary>JSON nesting the proxy accepts; deeper documents are refused before any work is done.</summary>
    public const int MaxDepth = 64;

    public static bool TryParse(ReadOnlyMemory<byte> body, out RequestBody? request, out ProxyError? error, int maxMessages = int.MaxValue)
    {
        request = null;
        try
        {
            error = Scan(body.Span, out var fields);
            if (error is null && fields!.MessageCount > maxMessages)
            {
                error = ProxyError.BadRequest($"The request has {fields.MessageCount} messages, more than the proxy's limit of {maxMessages} (max_messages); shorten the conversation.", "messages", "too_many_messages");
            }
            if (error is null) request = new RequestBody(body, fields!);
        }
        catch (JsonException e)
        {
            error = ProxyError.BadRequest(
                $"The request body is not valid JSON ({e.Message}). Send a JSON object as described in the chat completions API.",
                code: ErrorCodes.InvalidJson);
        }
        return error is null;
    }

    private static ProxyError? Scan(ReadOnlySpan<byte> body, out RequestBodyFields? fields)
    {
        fields = null;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ProxyError.BadRequest("The request body must be a JSON object.", code: ErrorCodes.InvalidType);
        }
        string? model = null;
        Range modelToken = default;
        bool stream = false, includeUsage = false, hasMessages = false;
        var messageCount = 0;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            keys.Add(name);
            reader.Read();
            switch (name)
            {
                case "model":
                    if (reader.TokenType != JsonTokenType.String) return RequestErrors.WrongType("model", "a string", reader.TokenType);
                    model = reader.GetString();
                    var start = (int)reader.TokenStartIndex;
                    modelToken = new Range(start, start + TokenLength(ref reader));
                    break;
                case "messages":
                    if (reader.TokenType != JsonTokenType.StartArray) return RequestErrors.WrongType("messages", "an array", reader.TokenType);
                    hasMessages = true;
                    var messagesError = ScanMessages(ref reader, out messageCount);
                    if (messagesError is not null) return messagesError;
                    break;
                case "stream":
                    if (reader.TokenType is JsonTokenType.True or JsonTokenType.False) stream = reader.GetBoolean();
                    else if (reader.TokenType != JsonTokenType.Null) return RequestErrors.WrongType("stream", "a boolean", reader.TokenType);
                    break;
                case "stream_options":
                    if (reader.TokenType == JsonTokenType.StartObject) includeUsage = BodyScanner.ReadIncludeUsage(ref reader);
                    else if (reader.TokenType != JsonTokenType.Null) return RequestErrors.WrongType("stream_options", "an object", reader.TokenType);
                    break;
                case "n" or "max_tokens" or "max_completion_tokens":
                    if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null)) return RequestErrors.WrongType(name, "an integer", reader.TokenType);
                    break;
                case "temperature" or "top_p" or "presence_penalty" or "frequency_penalty":
                    if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null)) return RequestErrors.WrongType(name, "a number", reader.TokenType);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        var objectEnd = (int)reader.TokenStartIndex;
        if (reader.Read())
        {
            return ProxyError.BadRequest("The request body holds more than one JSON value; send exactly one object.", code: ErrorCodes.InvalidJson);
        }
        if (model is null) return RequestErrors.Missing("model", "Set \"model\" to the name of the model to use.");
        if (model.Length == 0) return ProxyError.BadRequest("\"model\" is empty; set it to the name of the model to use.", "model");
        if (!hasMessages) return RequestErrors.Missing("messages", "Send the conversation as \"messages\": [{\"role\": \"user\", \"content\": \"...\"}].");
        if (messageCount == 0) return ProxyError.BadRequest("\"messages\" is empty; send at least one message.", "messages", "empty_array");
        fields = new RequestBodyFields
        {
            Model = model,
            ModelToken = modelToken,
            ObjectEnd = objectEnd,
            Stream = stream,
            IncludeUsage = includeUsage && stream,
            MessageCount = messageCount,
            TopLevelKeys = keys,
        };
        return null;
    }

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

    private static int TokenLength(ref Utf8JsonReader reader)
    {
        // ValueSpan excludes the quotes; escapes keep the raw length.
        var raw = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        return raw + 2;
    }
}
