using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Requests;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// The checks of a Responses request's own top-level fields in the one scan, and what the proxy reads of them.
/// Fields the proxy does not act on (<c>include</c>, <c>service_tier</c>, <c>client_metadata</c>, ...) are accepted.
/// </summary>
internal sealed class ResponsesFields
{
    public bool Store { get; private set; } = true;

    public string? PreviousResponseId { get; private set; }

    public ProxyError? Check(string name, ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        switch (name)
        {
            case "input" when token is not (JsonTokenType.String or JsonTokenType.StartArray or JsonTokenType.Null):
                return RequestErrors.WrongType("input", "a string or an array of items", token);
            case "instructions" or "previous_response_id" or "user" or "safety_identifier" or "prompt_cache_key"
                when token is not (JsonTokenType.String or JsonTokenType.Null):
                return RequestErrors.WrongType(name, "a string", token);
            case "previous_response_id" when token == JsonTokenType.String:
                PreviousResponseId = reader.GetString();
                return null;
            case "store" or "parallel_tool_calls" or "background" when token is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null):
                return RequestErrors.WrongType(name, "a boolean", token);
            case "store":
                Store = token != JsonTokenType.False;
                return null;
            case "background" when token == JsonTokenType.True:
                return ProxyError.BadRequest("background is not supported by this proxy; send the request without it (stream it to watch it run).", "background", "unsupported_parameter");
            case "conversation" when token != JsonTokenType.Null:
                return ProxyError.BadRequest("conversation objects are not supported by this proxy; continue a conversation with previous_response_id.", "conversation", "unsupported_parameter");
            case "max_output_tokens" or "temperature" or "top_p" when token is not (JsonTokenType.Number or JsonTokenType.Null):
                return RequestErrors.WrongType(name, name == "max_output_tokens" ? "an integer" : "a number", token);
            case "tools" when token is not (JsonTokenType.StartArray or JsonTokenType.Null):
                return RequestErrors.WrongType("tools", "an array", token);
        }
        reader.Skip();
        return null;
    }
}
