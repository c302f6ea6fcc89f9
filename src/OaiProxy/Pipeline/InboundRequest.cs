using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;
using OaiProxy.Errors;

namespace OaiProxy.Pipeline;

/// <summary>
/// One request as the pipeline receives it, from HTTP or from in-process code: where its body comes from, the
/// virtual key it presents (or the group a trusted caller acts as), and what the <c>before</c> hooks may read.
/// </summary>
internal sealed class InboundRequest
{
    private readonly HttpContext? _http;
    private readonly byte[]? _body;

    private InboundRequest(HttpContext? http, byte[]? body)
    {
        _http = http;
        _body = body;
    }

    /// <summary>The virtual key presented; null when none was sent.</summary>
    public string? ApiKey { get; private init; }

    /// <summary>Set for trusted in-process callers: no key is validated and the request acts as this group.</summary>
    public AuthResult? TrustedAuth { get; private init; }

    public IHeaderDictionary? Headers { get; private init; }

    public string? RemoteAddress { get; private init; }

    public static InboundRequest FromHttp(HttpContext context) => new(context, null)
    {
        ApiKey = ApiKeyExtractor.FromHeaders(context.Request.Headers),
        Headers = context.Request.Headers,
        RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
    };

    public static InboundRequest InProcess(byte[] body, AuthResult trusted) => new(null, body) { TrustedAuth = trusted };

    /// <summary>The whole body (decoded when it came compressed); null as soon as it is larger than <paramref name="maxBytes"/>.</summary>
    public ValueTask<(byte[]? Body, ProxyError? Error)> ReadBodyAsync(long maxBytes, CancellationToken cancellationToken) => _http is null
        ? ValueTask.FromResult<(byte[]?, ProxyError?)>((_body!.Length > maxBytes ? null : _body, null))
        : ReadHttpAsync(_http, maxBytes, cancellationToken);

    private static async ValueTask<(byte[]? Body, ProxyError? Error)> ReadHttpAsync(HttpContext http, long maxBytes, CancellationToken cancellationToken)
    {
        var raw = await HttpRequestBody.ReadAsync(http, maxBytes, cancellationToken);
        if (raw is null || http.Request.Headers.ContentEncoding.ToString() is not { Length: > 0 } encoding) return (raw, null);
        return ContentDecoding.Decode(raw, encoding, maxBytes);
    }
}
