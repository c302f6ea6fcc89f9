using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Requests;
using OaiProxy.Usage;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// Embeddings and legacy completions against an OpenAI-compatible upstream: the body goes out with only the model
/// spliced, the answer comes back untouched (JSON, or <c>text_completion</c> stream events relayed as they are).
/// </summary>
internal sealed partial class OpenAiProvider : IEmbeddingsProvider, ICompletionsProvider
{
    public ValueTask<ProviderResponse> EmbedAsync(EmbeddingsUpstreamRequest request, CancellationToken cancellationToken)
    {
        // default_args are chat arguments (temperature and the like) that a strict embeddings endpoint rejects.
        var body = BodyRewriter.Rewrite(request.Embeddings.Envelope, request.UpstreamModel, null);
        return PostAsync(new Uri(_modelsUri, "embeddings"), body, false, request.ExtraHeaders, cancellationToken);
    }

    public ValueTask<ProviderResponse> CompleteAsync(CompletionsUpstreamRequest request, CancellationToken cancellationToken)
    {
        var body = BodyRewriter.Rewrite(request.Body, request.UpstreamModel, _connection.DefaultArgs);
        return PostAsync(new Uri(_modelsUri, "completions"), body, request.Body.Stream, request.ExtraHeaders, cancellationToken);
    }

    private async ValueTask<ProviderResponse> PostAsync(Uri uri, byte[] body, bool stream, IReadOnlyList<KeyValuePair<string, string>> extraHeaders,
        CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonContentType } },
            Version = System.Net.HttpVersion.Version11,
        };
        ApplyHeaders(message, extraHeaders);
        if (stream) message.Headers.Accept.ParseAdd("text/event-stream");
        var (response, error) = await UpstreamHttp.SendAsync(_context.Http, message, _connection.Name, cancellationToken);
        if (error is not null) return ProviderResponse.Failed(error);
        var requestId = UpstreamHttp.RequestId(response!);
        if (!UpstreamHttp.IsSuccess(response!.StatusCode))
        {
            using (response)
            {
                return ProviderResponse.Failed(await ReadErrorAsync(response, cancellationToken));
            }
        }
        if (stream)
        {
            if (!UpstreamHttp.IsEventStream(response))
            {
                response.Dispose();
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" did not answer a stream request with an event stream."));
            }
            var events = await response.Content.ReadAsStreamAsync(cancellationToken);
            return ProviderResponse.Streaming(new OpenAiEventStream(response, events, _connection.Name), requestId);
        }
        using (response)
        {
            var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken);
            if (json is null || !UsageReader.TryReadObject(json, out var usage))
            {
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response that is too large or not a JSON object."));
            }
            return ProviderResponse.Completed(json, requestId, usage);
        }
    }
}
