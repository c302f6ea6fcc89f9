using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;

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
            return ProviderResponse.Failed(ProxyError.BadRequest($"Connection \"{_connection.Name}\" (Vertex AI) does not serve embeddings; route the embedding model to an AI Studio or OpenAI-compatible connection.", "model", "unsupported_operation"));
        }
        var embeddings = request.Embeddings;
        if (embeddings.Texts is null)
        {
            return ProviderResponse.Failed(ProxyError.BadRequest("Gemini embeds text only; send \"input\" as a string or an array of strings, not token ids.", "input", "invalid_value"));
        }

        // 2. Send.
        var resource = ModelResource(request.UpstreamModel);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_apiBase}/v1beta/{resource}:batchEmbedContents"))
        {
            Content = new ByteArrayContent(GeminiEmbeddingsTranslator.ToBatchRequest(resource, embeddings.Texts, embeddings.Dimensions)) { Headers = { ContentType = JsonContentType } },
            Version = System.Net.HttpVersion.Version11,
        };
        if (await AuthorizeAsync(message, request.ExtraHeaders, cancellationToken) is { } authError) return ProviderResponse.Failed(authError);
        var (response, error) = await UpstreamHttp.SendAsync(_context.Http, message, _connection.Name, cancellationToken);
        if (error is not null) return ProviderResponse.Failed(error);
        using (response)
        {
            if (!UpstreamHttp.IsSuccess(response!.StatusCode)) return ProviderResponse.Failed(await ReadErrorAsync(response, cancellationToken));
            var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken);

            // 3. Translate back, in the encoding the client asked for.
            try
            {
                var translated = json is null ? null : GeminiEmbeddingsTranslator.FromBatchResponse(json, request.Embeddings.Model, embeddings.Texts, embeddings.Base64);
                return translated is null
                    ? ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" answered without one embedding per input."))
                    : ProviderResponse.Completed(translated, UpstreamHttp.RequestId(response));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent an embeddings response that is not valid."));
            }
        }
    }
}
