using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>The 400s every request parser answers with, worded the same way for every endpoint.</summary>
internal static class RequestErrors
{
    public static ProxyError WrongType(string param, string expected, JsonTokenType found) =>
        ProxyError.BadRequest($"\"{param}\" must be {expected}, found {Describe(found)}.", param, ErrorCodes.InvalidType);

    public static ProxyError Missing(string param, string fix) =>
        ProxyError.BadRequest($"The required parameter \"{param}\" is missing. {fix}", param, ErrorCodes.MissingField);

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
