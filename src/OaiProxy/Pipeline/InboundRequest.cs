using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;

namespace OaiProxy.Pipeline;

/// <summary>One incoming chat request, from HTTP or from in-process code.</summary>
public sealed class InboundRequest
{
    /// <summary>The request body as received (a JSON chat-completions request).</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The virtual key presented; null when none was sent.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Set for trusted in-process callers: skips key validation and uses this group.</summary>
    public AuthResult? TrustedAuth { get; init; }

    public IHeaderDictionary? Headers { get; init; }

    public string? RemoteAddress { get; init; }
}
