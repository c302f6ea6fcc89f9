using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;

namespace OaiProxy.Dialects.OpenAi;

/// <summary><c>POST /embeddings</c>: served by providers implementing <see cref="IEmbeddingsProvider"/>.</summary>
internal sealed class EmbeddingsOperation : ProxyOperation
{
    private EmbeddingsRequest? _request;

    public override string Name => OperationNames.Embeddings;

    public override ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config)
    {
        if (!EmbeddingsRequestParser.TryParse(body, out _request, out var error)) return error;
        Accept(_request!.Envelope, stream: false);
        return null;
    }

    public override bool Supports(IProvider provider) => provider is IEmbeddingsProvider;

    public override ProxyError Unsupported(string connection) =>
        ProxyError.BadRequest($"The connection \"{connection}\" serving \"{Model}\" cannot create embeddings; route \"{Model}\" to an OpenAI-compatible or Gemini (AI Studio) connection.", "model", "unsupported_operation");

    public override Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> ForTarget(RouteTarget target,
        IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var request = new EmbeddingsUpstreamRequest
        {
            Embeddings = _request!,
            UpstreamModel = target.UpstreamModel,
            Connection = target.Connection,
            ExtraHeaders = headers,
        };
        return (provider, cancellationToken) => ((IEmbeddingsProvider)provider).EmbedAsync(request, cancellationToken);
    }
}
