using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// Anthropic's own Messages API from an Anthropic client: the body goes out with only the model spliced, the
/// client's <c>anthropic-version</c> and <c>anthropic-beta</c> with it, and the answer comes back as received
/// (thinking signatures, cache_control, server-tool blocks and betas survive because nothing is re-serialised).
/// </summary>
internal sealed partial class AnthropicProvider : IMessagesProvider
{
    public ValueTask<ProviderResponse> MessagesAsync(MessagesUpstreamRequest request, CancellationToken cancellationToken) =>
        PassThroughAsync(_messagesUri, request, request.Body.Stream, cancellationToken);

    public ValueTask<ProviderResponse> CountTokensAsync(MessagesUpstreamRequest request, CancellationToken cancellationToken) =>
        PassThroughAsync(new Uri(_messagesUri + "/count_tokens"), request, false, cancellationToken);

    private async ValueTask<ProviderResponse> PassThroughAsync(Uri uri, MessagesUpstreamRequest request, bool stream, CancellationToken cancellationToken)
    {
        // 1. The client's bytes with the upstream model spliced in; its version and betas unless the connection sets them.
        var body = BodyRewriter.Rewrite(request.Body, request.UpstreamModel, null);
        using var message = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonContentType } },
            Version = System.Net.HttpVersion.Version11,
        };
        var extra = new List<KeyValuePair<string, string>>(request.ExtraHeaders);
        if (request.AnthropicVersion is { Length: > 0 } version) extra.Add(new("anthropic-version", version));
        if (request.AnthropicBeta is { Length: > 0 } beta) extra.Add(new("anthropic-beta", beta));
        ApplyHeaders(message, extra);
        if (stream) message.Headers.Accept.ParseAdd("text/event-stream");

        // 2. Send; errors keep their meaning for retries and fallback.
        var (response, sendError) = await UpstreamHttp.SendAsync(_context.Http, message, _connection.Name, cancellationToken);
        if (sendError is not null) return ProviderResponse.Failed(sendError);
        var requestId = UpstreamHttp.RequestId(response!);
        if (!UpstreamHttp.IsSuccess(response!.StatusCode))
        {
            using (response)
            {
                var errorBody = await ReadErrorBodyAsync(response, cancellationToken);
                return ProviderResponse.Failed(AnthropicErrors.FromResponse((int)response.StatusCode, errorBody,
                    UpstreamHttp.RetryAfter(response), _connection.Name, _connection.ApiKey));
            }
        }

        // 3. Streams unread; JSON as received, with its usage read for the log.
        if (stream)
        {
            if (!UpstreamHttp.IsEventStream(response))
            {
                response.Dispose();
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" did not answer a stream request with an event stream."));
            }
            var events = await response.Content.ReadAsStreamAsync(cancellationToken);
            return ProviderResponse.Streaming(new AnthropicPassThroughStream(response, events, _connection.Name, _connection.ApiKey), requestId);
        }
        using (response)
        {
            var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken);
            if (json is null) return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response larger than {UpstreamHttp.MaxResponseBytes / (1024 * 1024)} MiB.", retryable: false));
            try
            {
                using var document = JsonDocument.Parse(json);
                var usage = new AnthropicUsage();
                if (AnthropicJson.TryGet(document.RootElement, "usage", out var u)) usage.Read(u);
                return ProviderResponse.Completed(json, requestId, usage.ToUsageInfo());
            }
            catch (JsonException)
            {
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response that is not JSON."));
            }
        }
    }
}
