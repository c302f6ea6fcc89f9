using System.Collections.Frozen;
using OaiProxy.Configuration;
using OaiProxy.Errors;

namespace OaiProxy.Hooks;

/// <summary>
/// Forwards the client's HTTP headers upstream (lm-proxy's <c>HTTPHeadersForwarder</c>), except credentials,
/// hop-by-hop and transport headers; with <c>white_list_headers</c> only those. Headers that change billing at the
/// provider (<c>openai-organization</c>, <c>openai-project</c>, <c>x-goog-user-project</c>, <c>anthropic-beta</c>)
/// are then gated per target by the connection's and group's <c>allowed_client_headers</c> and
/// <c>allowed_anthropic_betas</c> (<c>Pipeline/ClientHeaderGate</c>).
/// </summary>
internal sealed class HttpHeadersForwarder(FrozenSet<string> ignore, FrozenSet<string> whiteList) : IRequestHandler
{
    private static readonly string[] SensitiveHeaders =
    [
        "authorization", "www-authenticate", "x-api-key", "api-key", "content-length", "content-type",
        "transfer-encoding", "connection", "keep-alive", "upgrade", "cache-control", "etag", "if-none-match",
        "proxy-authorization", "proxy-connection", "strict-transport-security", "host", "range", "if-range",
        ":method", ":path", ":scheme", ":authority", "te", "trailer", "accept-encoding", "cookie", "expect",
    ];

    public static HttpHeadersForwarder Create(ConfigSection settings)
    {
        var ignore = settings.StringList("ignore_headers")?.Select(h => h.ToLowerInvariant()) ?? SensitiveHeaders;
        var whiteList = settings.StringList("white_list_headers")?.Select(h => h.ToLowerInvariant()) ?? [];
        // Credentials never pass, even when a config's ignore list forgets them.
        return new HttpHeadersForwarder(
            ignore.Concat(["authorization", "x-api-key", "api-key", "proxy-authorization", "host", "content-length"]).ToFrozenSet(StringComparer.OrdinalIgnoreCase),
            whiteList.ToFrozenSet(StringComparer.OrdinalIgnoreCase));
    }

    public ValueTask<ProxyError?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        if (context.ClientHeaders is null) return ValueTask.FromResult<ProxyError?>(null);
        foreach (var (name, values) in context.ClientHeaders)
        {
            if (ignore.Contains(name)) continue;
            if (whiteList.Count > 0 && !whiteList.Contains(name)) continue;
            context.UpstreamHeaders.Add(new(name, values.ToString()));
        }
        return ValueTask.FromResult<ProxyError?>(null);
    }
}
