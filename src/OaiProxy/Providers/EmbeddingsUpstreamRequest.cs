using OaiProxy.Requests;

namespace OaiProxy.Providers;

/// <summary>One attempt of an embeddings request against one connection.</summary>
public sealed class EmbeddingsUpstreamRequest : UpstreamRequest
{
    public required EmbeddingsRequest Embeddings { get; init; }
}
