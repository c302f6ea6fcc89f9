using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>
/// Validates an embeddings body in one pass (protocols.md 1.10): <c>input</c> is a non-empty string, an array of
/// 1–2048 non-empty strings, an array of token ids or an array of such arrays; <c>encoding_format</c> is
/// <c>float</c> or <c>base64</c>; <c>dimensions</c> a positive integer. Problems are 400s naming the parameter.
/// </summary>
internal static class EmbeddingsRequestParser
{
    public const int MaxInputs = 2048;

    public static bool TryParse(ReadOnlyMemory<byte> body, out EmbeddingsRequest? request, out ProxyError? error)
    {
        request = null;
        List<string>? texts = null;
        var count = 0;
        var hasInput = false;
        string? format = null;
        int? dimensions = null;
        error = BodyScanner.Scan(body, (string name, ref Utf8JsonReader reader) =>
        {
            switch (name)
            {
                case "input":
                    hasInput = true;
                    return ReadInput(ref reader, out texts, out count);
                case "encoding_format":
                    if (reader.TokenType == JsonTokenType.Null) return null;
                    format = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    return format is "float" or "base64" ? null
                        : ProxyError.BadRequest("\"encoding_format\" must be \"float\" or \"base64\".", "encoding_format", "invalid_value");
                case "dimensions":
                    if (reader.TokenType == JsonTokenType.Null) return null;
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var d) && d > 0)
                    {
                        dimensions = d;
                        return null;
                    }
                    return ProxyError.BadRequest("\"dimensions\" must be a positive integer.", "dimensions", ErrorCodes.InvalidType);
                default:
                    reader.Skip();
                    return null;
            }
        }, out var envelope);
        if (error is null && !hasInput) error = RequestErrors.Missing("input", "Send the text to embed as \"input\": \"...\" or an array of strings.");
        if (error is not null) return false;
        request = new EmbeddingsRequest(envelope!, texts, count, format, dimensions);
        return true;
    }

    private static ProxyError? ReadInput(ref Utf8JsonReader reader, out List<string>? texts, out int count)
    {
        texts = null;
        count = 0;
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            if (text.Length == 0) return EmptyInput();
            texts = [text];
            count = 1;
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray) return RequestErrors.WrongType("input", "a string or an array", reader.TokenType);
        var strings = new List<string>();
        var tokens = 0;
        var arrays = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    var text = reader.GetString()!;
                    if (text.Length == 0) return EmptyInput();
                    strings.Add(text);
                    break;
                case JsonTokenType.Number:
                    tokens++;
                    break;
                case JsonTokenType.StartArray:
                    tokens++;
                    arrays++;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.Number) return RequestErrors.WrongType("input", "an array of token ids", reader.TokenType);
                    }
                    break;
                default:
                    return RequestErrors.WrongType($"input[{strings.Count + tokens}]", "a string", reader.TokenType);
            }
        }
        if (strings.Count > 0 && tokens > 0) return ProxyError.BadRequest("\"input\" mixes strings and token ids; send one kind.", "input", "invalid_value");
        count = strings.Count > 0 ? strings.Count : arrays > 0 ? arrays : tokens > 0 ? 1 : 0;
        if (count == 0) return ProxyError.BadRequest("\"input\" is an empty array; send at least one input.", "input", "empty_array");
        if (strings.Count > MaxInputs) return ProxyError.BadRequest($"\"input\" has {strings.Count} items, more than the limit of {MaxInputs}; split the batch.", "input", "invalid_value");
        texts = strings.Count > 0 ? strings : null;
        return null;
    }

    private static ProxyError EmptyInput() =>
        ProxyError.BadRequest("\"input\" holds an empty string; every input must contain text.", "input", "invalid_value");
}
