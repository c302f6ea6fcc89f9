using System.Text.Json;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// Anthropic's own Messages API from an Anthropic client: the body goes out with only the model spliced, the
/// client's <c>anthropic-version</c> and its allowed <c>anthropic-beta</c> values with it, and the answer comes back as received
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
        var headers = new List<KeyValuePair<string, string>>(request.ExtraHeaders);
        if (request.AnthropicVersion is { Length: > 0 } version) headers.Add(new("anthropic-version", version));
        if (request.AnthropicBeta is { Length: > 0 } beta) headers.Add(new("anthropic-beta", beta));
        var reply = await PostAsync(uri, BodyRewriter.Rewrite(request.Body, request.UpstreamModel, null), stream, headers, cancellationToken);

        // 2. Streams unread; JSON as received, with its usage read for the log.
        if (reply.Error is not null) return ProviderResponse.Failed(reply.Error);
        if (reply.Events is not null)
        {
            return ProviderResponse.Streaming(new AnthropicPassThroughStream(reply.Response!, reply.Events, Connection.Name, Secrets), reply.RequestId);
        }
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            var usage = new AnthropicUsage();
            if (JsonFields.TryGet(document.RootElement, "usage", out var u)) usage.Read(u);
            return ProviderResponse.Completed(reply.Body, reply.RequestId, usage.ToUsageInfo());
        }
        catch (JsonException)
        {
            return ProviderResponse.Failed(Unreadable("a response that is not JSON"));
        }
    }
}
