namespace OaiProxy.Providers;

/// <summary>
/// Optional: a provider that can serve OpenAI's Responses API itself (OpenAI, or a compatible server marked as
/// serving it), so <c>POST /responses</c> passes through with only the model spliced. Other providers serve it
/// through <see cref="IProvider.ChatAsync"/>, translated.
/// </summary>
public interface IResponsesProvider
{
    /// <summary>Whether this connection serves the Responses API (<c>responses_api</c>).</summary>
    bool ServesResponses { get; }

    /// <summary>
    /// Forwards the body. JSON answers come back as received (with usage for the log); streams as an
    /// <see cref="Streaming.UpstreamEventStream"/> whose chunks are whole SSE events, relayed unchanged.
    /// </summary>
    ValueTask<ProviderResponse> ResponsesAsync(ResponsesUpstreamRequest request, CancellationToken cancellationToken);
}
