using OaiProxy.Errors;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// A client request the translation cannot express for Anthropic. Thrown deep inside the translators and turned
/// back into an error value at their entry point, so the forwarding path itself never sees an exception.
/// </summary>
internal sealed class AnthropicTranslationException : Exception
{
    public AnthropicTranslationException() : this("The request cannot be translated for Anthropic.") { }

    public AnthropicTranslationException(string message) : this(ProxyError.BadRequest(message)) { }

    public AnthropicTranslationException(string message, Exception innerException) : base(message, innerException) =>
        Error = ProxyError.BadRequest(message);

    public AnthropicTranslationException(ProxyError error) : base(error.Message) => Error = error;

    public ProxyError Error { get; }

    /// <summary>A 400 naming the parameter at fault.</summary>
    public static AnthropicTranslationException Invalid(string param, string message, string? code = "invalid_value") =>
        new(ProxyError.BadRequest(message, param, code));

    /// <summary>A 400 for a parameter Anthropic cannot honour.</summary>
    public static AnthropicTranslationException Unsupported(string param, string message) =>
        new(ProxyError.BadRequest(message, param, ErrorCodes.UnsupportedParameter));
}
