namespace OaiProxy.Providers;

/// <summary>
/// Optional: a provider that serves the legacy <c>POST /completions</c> API. JSON answers and streams are
/// <c>text_completion</c> objects; the relay passes them on without assuming chat chunks.
/// </summary>
public interface ICompletionsProvider
{
    ValueTask<ProviderResponse> CompleteAsync(CompletionsUpstreamRequest request, CancellationToken cancellationToken);
}
