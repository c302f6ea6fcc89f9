using OaiProxy.Errors;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>An Anthropic request that cannot be expressed as an OpenAI chat request; carries the client's 400.</summary>
internal sealed class MessagesTranslationException(ProxyError error) : Exception(error.Message)
{
    public ProxyError Error { get; } = error;

    public static MessagesTranslationException Invalid(string param, string message) =>
        new(ProxyError.BadRequest(message, param, "invalid_request_error"));
}
