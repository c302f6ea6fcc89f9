using OaiProxy.Requests;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// OpenAI's Responses API passed through: the body goes out with only the model spliced, the answer comes back as
/// received (events relayed whole), with usage read for the log.
/// </summary>
internal sealed partial class OpenAiProvider : IResponsesProvider
{
    public bool ServesResponses => _settings.ServesResponses;

    public async ValueTask<ProviderResponse> ResponsesAsync(ResponsesUpstreamRequest request, CancellationToken cancellationToken)
    {
        var reply = await PostAsync(new Uri(_modelsUri, "responses"), BodyRewriter.Rewrite(request.Body, request.UpstreamModel, null), request.Body.Stream,
            request.ExtraHeaders, cancellationToken);
        if (reply.Error is not null) return ProviderResponse.Failed(reply.Error);
        if (reply.Events is not null)
        {
            return ProviderResponse.Streaming(new ResponsesPassThroughStream(reply.Response!, reply.Events, Connection.Name, Secrets), reply.RequestId);
        }
        // A failed response carries the upstream's error text, relayed as it is: scrubbed first.
        var body = reply.Body!.AsSpan().IndexOf("\"failed\""u8) >= 0 ? Secrets.ScrubJson(reply.Body) ?? reply.Body : reply.Body;
        return ResponsesUsage.TryReadResponse(body, out var usage)
            ? ProviderResponse.Completed(body, reply.RequestId, usage)
            : ProviderResponse.Failed(Unreadable("a response that is not a Responses API response object"));
    }
}
