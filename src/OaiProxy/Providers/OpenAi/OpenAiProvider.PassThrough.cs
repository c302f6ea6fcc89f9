namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// Embeddings and legacy completions against an OpenAI-compatible upstream: the body goes out with only the model
/// spliced, the answer comes back untouched (JSON, or <c>text_completion</c> stream events relayed as they are).
/// </summary>
internal sealed partial class OpenAiProvider : IEmbeddingsProvider, ICompletionsProvider
{
    public ValueTask<ProviderResponse> EmbedAsync(EmbeddingsUpstreamRequest request, CancellationToken cancellationToken) =>
        ForwardAsync(new Uri(_modelsUri, "embeddings"), request.Embeddings.Envelope, request.UpstreamModel, request.ExtraHeaders, cancellationToken);

    public ValueTask<ProviderResponse> CompleteAsync(CompletionsUpstreamRequest request, CancellationToken cancellationToken) =>
        ForwardAsync(new Uri(_modelsUri, "completions"), request.Body, request.UpstreamModel, request.ExtraHeaders, cancellationToken);
}
