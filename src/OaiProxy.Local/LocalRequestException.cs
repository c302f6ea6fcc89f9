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
}
