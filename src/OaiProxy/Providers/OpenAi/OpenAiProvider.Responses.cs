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
            return ProviderResponse.Streaming(new ResponsesPassThroughStream(reply.Response!, reply.Events, Connection.Name, Secret), reply.RequestId);
        }
        return ResponsesUsage.TryReadResponse(reply.Body!, out var usage)
            ? ProviderResponse.Completed(reply.Body!, reply.RequestId, usage)
            : ProviderResponse.Failed(Unreadable("a response that is not a Responses API response object"));
    }
}
