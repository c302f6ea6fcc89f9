using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;

namespace OaiProxy.Hooks;

/// <summary>What a <c>before</c> handler sees of a request, and the upstream headers it may add.</summary>
public sealed class RequestContext
{
    public required string Model { get; init; }

    public required string Group { get; init; }

    public required string Connection { get; init; }

    public string? ApiKeyId { get; init; }

    /// <summary>What key validation learned: the stored key's id and limits, when it is a stored key.</summary>
    public AuthResult? Auth { get; init; }

    public string? RemoteAddress { get; init; }

    /// <summary>The client's HTTP headers; null for in-process calls.</summary>
    public IHeaderDictionary? ClientHeaders { get; init; }

    /// <summary>Headers to send upstream in addition to the connection's own.</summary>
    public List<KeyValuePair<string, string>> UpstreamHeaders { get; } = [];
}
