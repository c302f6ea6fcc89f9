using System.Net.Http.Headers;
using OaiProxy.Configuration;
using OaiProxy.Errors;

namespace OaiProxy.Providers.Http;

/// <summary>
/// The skeleton every HTTP provider shares: build the request (JSON body, HTTP/1.1, the provider's credentials and
/// headers), send it unbuffered, classify a non-2xx answer through the provider's error reader, and hand an event
/// stream over unread or read a JSON body within <see cref="UpstreamHttp.MaxResponseBytes"/>. One rule for
/// retries: a transport fault, a server fault and an answer the proxy cannot use are all retryable 502s.
/// </summary>
internal abstract class HttpProvider(ConnectionConfig connection, ProviderContext context) : IProvider
{
    /// <summary>Pages of a model list read at most, so a misbehaving upstream cannot loop the proxy.</summary>
    public const int MaxModelPages = 20;

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    protected ConnectionConfig Connection => connection;

    protected ProviderContext Context => context;

    /// <summary>Removes every configured secret (and credentials obtained at run time) from upstream text.</summary>
    protected SecretScrubber Secrets => context.Secrets;

    /// <summary>Adds the forwarded and static headers and the provider's credentials; an error when none can be had.</summary>
    protected abstract ValueTask<ProxyError?> AuthorizeAsync(HttpRequestMessage message, IReadOnlyList<KeyValuePair<string, string>> forwarded,
        CancellationToken cancellationToken);

    /// <summary>What an error answer means in OpenAI's terms; <paramref name="body"/> is bounded and may be empty or not JSON.</summary>
    protected abstract ProxyError ReadError(int status, byte[]? body, TimeSpan? retryAfter);

    /// <summary>A success answer to a stream request that is not an event stream: garbage, unless the provider knows better.</summary>
    protected virtual ProxyError NotAnEventStream(byte[]? body) =>
        ProxyError.BadGateway($"The upstream of connection \"{connection.Name}\" did not answer a stream request with an event stream.");

    /// <summary>The error for a body the provider cannot read as its answer.</summary>
    protected ProxyError Unreadable(string what) =>
        ProxyError.BadGateway($"The upstream of connection \"{connection.Name}\" sent {what}.");

    public abstract ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken);

    public abstract ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken);

    public virtual int? DefaultMaxTokens(string upstreamModel) => null;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>POSTs a JSON body and classifies the answer; the caller owns <see cref="UpstreamReply.Response"/> of a stream.</summary>
    protected async ValueTask<UpstreamReply> PostAsync(Uri uri, byte[] body, bool stream, IReadOnlyList<KeyValuePair<string, string>> forwarded,
        CancellationToken cancellationToken)
    {
        // 1. The request: the body as bytes, HTTP/1.1 (no upgrade probing), the provider's credentials.
        using var message = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonContentType } },
            Version = System.Net.HttpVersion.Version11,
        };
        if (await AuthorizeAsync(message, forwarded, cancellationToken) is { } authError) return UpstreamReply.Failed(authError);
        if (stream) message.Headers.Accept.ParseAdd("text/event-stream");

        // 2. Send; transport failures come back as retryable errors.
        var (response, sendError) = await UpstreamHttp.SendAsync(context.Http, message, connection.Name, cancellationToken);
        if (sendError is not null) return UpstreamReply.Failed(sendError);
        var requestId = UpstreamHttp.RequestId(response!);

        // 3. Errors keep their meaning; a stream request must get a stream.
        if (!UpstreamHttp.IsSuccess(response!.StatusCode))
        {
            using (response)
            {
                return UpstreamReply.Failed(ReadError((int)response.StatusCode, await ReadErrorBodyAsync(response, cancellationToken), UpstreamHttp.RetryAfter(response, context.Time.GetUtcNow())));
            }
        }
        if (stream)
        {
            if (!UpstreamHttp.IsEventStream(response))
            {
                using (response)
                {
                    return UpstreamReply.Failed(NotAnEventStream(await ReadErrorBodyAsync(response, cancellationToken)));
                }
            }
            return new UpstreamReply(null, response, await response.Content.ReadAsStreamAsync(cancellationToken), null, requestId);
        }

        // 4. A whole answer, read within the limit.
        using (response)
        {
            var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken);
            return json is null
                ? UpstreamReply.Failed(Unreadable($"a response larger than {UpstreamHttp.MaxResponseBytes / (1024 * 1024)} MiB"))
                : new UpstreamReply(null, null, null, json, requestId);
        }
    }

    /// <summary>
    /// Reads a model list page by page (<paramref name="readPage"/> adds the ids and returns the next cursor, or
    /// null); throws <see cref="ProviderException"/> when the upstream cannot say.
    /// </summary>
    protected async ValueTask<IReadOnlyList<string>> ListModelPagesAsync(Func<string?, string> pageUrl, Func<byte[], List<string>, string?> readPage,
        CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var page = 0; page < MaxModelPages; page++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, pageUrl(cursor));
            if (await AuthorizeAsync(message, [], cancellationToken) is { } authError) throw new ProviderException(authError.Message);
            var (response, error) = await UpstreamHttp.SendAsync(context.Http, message, connection.Name, cancellationToken);
            if (error is not null) throw new ProviderException(error.Message);
            using (response)
            {
                if (!UpstreamHttp.IsSuccess(response!.StatusCode))
                {
                    throw new ProviderException($"The upstream of connection \"{connection.Name}\" answered HTTP {(int)response.StatusCode} to the model list request.");
                }
                var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken)
                           ?? throw new ProviderException($"The model list of connection \"{connection.Name}\" is too large.");
                cursor = readPage(json, ids);
            }
            if (string.IsNullOrEmpty(cursor)) break;
        }
        return ids;
    }

    private static async ValueTask<byte[]?> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxErrorBytes, cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The status alone still says what happened.
            return null;
        }
    }
}
