using OaiProxy.Errors;

namespace OaiProxy.Hosting;

/// <summary>An in-process call ended in an error the HTTP endpoint would have answered.</summary>
public sealed class OaiProxyException : Exception
{
    public OaiProxyException(ProxyError error) : base(error.Message) => Error = error;

    public OaiProxyException() : this(ProxyError.Internal("Unknown error.")) { }

    public OaiProxyException(string message) : this(ProxyError.Internal(message)) { }

    public OaiProxyException(string message, Exception innerException) : base(message, innerException) =>
        Error = ProxyError.Internal(message);

    public ProxyError Error { get; }
}
