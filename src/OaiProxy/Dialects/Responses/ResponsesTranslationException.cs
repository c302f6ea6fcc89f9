using OaiProxy.Errors;

namespace OaiProxy.Dialects.Responses;

/// <summary>A Responses request that cannot be served as asked; carries the client's 400 (or 404 for missing state).</summary>
internal sealed class ResponsesTranslationException(ProxyError error) : Exception(error.Message)
{
    public ProxyError Error { get; } = error;

    public static ResponsesTranslationException Invalid(string param, string message, string? code = null) =>
        new(ProxyError.BadRequest(message, param, code ?? "invalid_request_error"));
}
