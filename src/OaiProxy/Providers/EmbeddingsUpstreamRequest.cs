using OaiProxy.Configuration;
using OaiProxy.Requests;

namespace OaiProxy.Providers;

/// <summary>One attempt of an embeddings request against one connection.</summary>
public sealed class EmbeddingsUpstreamRequest
{
    public required EmbeddingsRequest Embeddings { get; init; }

    /// <summary>The model name to send upstream (the route may rename it).</summary>
    public required string UpstreamModel { get; init; }

    public required ConnectionConfig Connection { get; init; }

    /// <summary>Headers added by <c>before</c> handlers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];
}
