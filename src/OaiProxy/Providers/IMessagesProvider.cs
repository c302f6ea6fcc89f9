namespace OaiProxy.Providers;

/// <summary>
/// Optional: a provider that speaks Anthropic's Messages API natively, so <c>POST /messages</c> and
/// <c>/messages/count_tokens</c> pass through without translation. Other providers serve <c>/messages</c> through
/// <see cref="IProvider.ChatAsync"/> with the request and answer translated.
/// </summary>
public interface IMessagesProvider
{
    /// <summary>
    /// Forwards the body with only the model spliced. JSON answers come back as received (with usage for the log);
    /// streams as a <see cref="Streaming.UpstreamEventStream"/> whose chunks are whole SSE events (<c>event:</c> and
    /// <c>data:</c> lines), relayed unchanged.
    /// </summary>
    ValueTask<ProviderResponse> MessagesAsync(MessagesUpstreamRequest request, CancellationToken cancellationToken);

    /// <summary>Forwards a <c>count_tokens</c> body; the answer is Anthropic's <c>{"input_tokens": N}</c>.</summary>
    ValueTask<ProviderResponse> CountTokensAsync(MessagesUpstreamRequest request, CancellationToken cancellationToken);
}
