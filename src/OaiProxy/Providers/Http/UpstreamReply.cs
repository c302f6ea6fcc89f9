using OaiProxy.Errors;

namespace OaiProxy.Providers.Http;

/// <summary>
/// What one HTTP exchange with an upstream brought back, classified: an error in OpenAI's terms, an event stream
/// handed over unread (with the answer that owns it), or a whole JSON body read within the size limit.
/// </summary>
internal readonly record struct UpstreamReply(ProxyError? Error, HttpResponseMessage? Response, Stream? Events, byte[]? Body, string? RequestId)
{
    public static UpstreamReply Failed(ProxyError error) => new(error, null, null, null, null);
}
