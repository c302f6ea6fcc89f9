using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// OpenAI embeddings on AI Studio's <c>batchEmbedContents</c> (one request per input, so an array never collapses
/// into one vector; protocols.md 3.8), translated back by <see cref="GeminiEmbeddingsTranslator"/>.
/// </summary>
internal sealed partial class GeminiProvider : IEmbeddingsProvider
{
    public async ValueTask<ProviderResponse> EmbedAsync(EmbeddingsUpstreamRequest request, CancellationToken cancellationToken)
    {
        // 1. What Gemini cannot express is the client's 400.
        if (_settings.Vertex)
        {
            return ProviderResponse.Failed(ProxyError.BadRequest($"Connection \"{Connection.Name}\" (Vertex AI) does not serve embeddings; route the embedding model to an AI Studio or OpenAI-compatible connection.", "model", "unsupported_operation"));
        }
        var embeddings = request.Embeddings;
        if (embeddings.Texts is null)
        {
            return ProviderResponse.Failed(ProxyError.BadRequest("Gemini embeds text only; send \"input\" as a string or an array of strings, not token ids.", "input", "invalid_value"));
        }

        // 2. Send.
        var resource = ModelResource(request.UpstreamModel);
        var reply = await PostAsync(new Uri($"{_apiBase}/v1beta/{resource}:batchEmbedContents"),
            GeminiEmbeddingsTranslator.ToBatchRequest(resource, embeddings.Texts, embeddings.Dimensions), false, request.ExtraHeaders, cancellationToken);
        if (reply.Error is not null) return ProviderResponse.Failed(reply.Error);

        // 3. Translate back, in the encoding the client asked for.
        try
        {
            var translated = GeminiEmbeddingsTranslator.FromBatchResponse(reply.Body!, request.Embeddings.Model, embeddings.Texts, embeddings.Base64, cancellationToken);
            return translated is null
                ? ProviderResponse.Failed(Unreadable("an answer without one embedding per input"))
                : ProviderResponse.Completed(translated, reply.RequestId);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return ProviderResponse.Failed(Unreadable("an embeddings response that is not valid"));
        }
    }
}
