namespace OaiProxy.Providers;

/// <summary>
/// One configured connection's adapter: takes an OpenAI-shaped chat request and answers in OpenAI's shape, whether
/// the upstream speaks OpenAI (pass-through) or another protocol (translation). Upstream faults come back as
/// <see cref="ProviderResponse"/> errors, never as exceptions.
/// </summary>
public interface IProvider : IAsyncDisposable
{
    /// <summary>Sends the request; returns once the upstream answered with headers (and, for streams, is readable).</summary>
    ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken);

    /// <summary>Model ids the upstream offers, for <c>expand_wildcards</c>; throws <see cref="ProviderException"/> when it cannot say.</summary>
    ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The output cap this provider itself sends upstream for a request that sets none (<c>max_tokens</c> and the
    /// like), such as a translator's default where the upstream requires one; null when it sends none, so the
    /// upstream's own limit applies. The limits reserve what the upstream is asked for, so it must be the value really
    /// sent. Default: null.
    /// </summary>
    int? DefaultMaxTokens(string upstreamModel) => null;
}
