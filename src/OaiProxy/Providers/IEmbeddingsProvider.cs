namespace OaiProxy.Providers;

/// <summary>
/// Optional: a provider that serves <c>POST /embeddings</c>, answering in OpenAI's shape (pass-through or
/// translated). Connections whose provider lacks it are skipped for embeddings; a route with none gets a 400.
/// </summary>
public interface IEmbeddingsProvider
{
    ValueTask<ProviderResponse> EmbedAsync(EmbeddingsUpstreamRequest request, CancellationToken cancellationToken);
}
