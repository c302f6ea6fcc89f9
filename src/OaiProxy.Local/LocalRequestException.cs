namespace OaiProxy.Local;

/// <summary>
/// A chat request the local engine cannot serve faithfully (a 400 "invalid_request_error" in OpenAI terms).
/// </summary>
public sealed class LocalRequestException : Exception
{
    public LocalRequestException()
    {
        Param = "";
    }

    public LocalRequestException(string message)
        : base(message)
    {
        Param = "";
    }

    public LocalRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Param = "";
    }

    /// <param name="param">The request parameter at fault, as OpenAI names it in its error "param" field.</param>
    /// <param name="message">A whole sentence naming the parameter and what to do instead.</param>
    public LocalRequestException(string param, string message)
        : base(message)
    {
        Param = param;
    }

    /// <summary>The request parameter at fault, for example "tools" or "messages[1].content[0]".</summary>
    public string Param { get; }

    /// <summary>
    /// True when the parameter is valid OpenAI but the local engine cannot honour it (tools, images, n &gt; 1, …);
    /// false when the value itself is invalid.
    /// </summary>
    public bool IsUnsupported { get; private init; }

    /// <summary>A valid OpenAI parameter the local engine refuses rather than silently ignores.</summary>
    /// <param name="param">The request parameter, as OpenAI names it in its error "param" field.</param>
    /// <param name="message">A whole sentence naming the parameter and what to do instead.</param>
    public static LocalRequestException Unsupported(string param, string message) => new(param, message) { IsUnsupported = true };
}
