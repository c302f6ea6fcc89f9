using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>
/// Validates a legacy <c>POST /completions</c> body (protocols.md 1.11): <c>model</c> and <c>prompt</c> (a string,
/// strings, token ids) are required; the rest passes through to the upstream, which knows its own limits.
/// </summary>
internal static class CompletionsRequestParser
{
    /// <summary>The body as an envelope (model, stream, include_usage) for pass-through.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out RequestBody? request, out ProxyError? error)
    {
        var hasPrompt = false;
        error = BodyScanner.Scan(body, (string name, ref Utf8JsonReader reader) =>
        {
            if (name == "prompt")
            {
                hasPrompt = true;
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.StartArray))
                {
                    return RequestErrors.WrongType("prompt", "a string or an array", reader.TokenType);
                }
            }
            else if (name is "max_tokens" or "n" or "logprobs" or "best_of" && reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null))
            {
                return RequestErrors.WrongType(name, "an integer", reader.TokenType);
            }
            reader.Skip();
            return null;
        }, out request);
        if (error is null && !hasPrompt)
        {
            error = RequestErrors.Missing("prompt", "Send the text to complete as \"prompt\": \"...\".");
            request = null;
        }
        return error is null;
    }
}
