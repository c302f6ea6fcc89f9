using OaiProxy.Errors;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// A client request Gemini cannot express (unknown tool call id, unsupported part, unreachable image). Thrown deep
/// inside the translator and turned into the error response at its one entry point, so the translation code reads
/// straight; it is a client-error path, never an upstream one.
/// </summary>
internal sealed class GeminiTranslationException : Exception
{
    public GeminiTranslationException() : base("The request cannot be translated for Gemini.") => Error = ProxyError.BadRequest(Message);

    public GeminiTranslationException(string message) : base(message) => Error = ProxyError.BadRequest(message);

    public GeminiTranslationException(string message, Exception innerException) : base(message, innerException) =>
        Error = ProxyError.BadRequest(message);

    public GeminiTranslationException(ProxyError error) : base(error.Message) => Error = error;

    public ProxyError Error { get; }
}
