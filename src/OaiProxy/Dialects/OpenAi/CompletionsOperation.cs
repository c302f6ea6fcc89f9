using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;

namespace OaiProxy.Dialects.OpenAi;

/// <summary>Legacy <c>POST /completions</c>: served by providers implementing <see cref="ICompletionsProvider"/>.</summary>
internal sealed class CompletionsOperation : ProxyOperation
{
    public override string Name => OperationNames.Completions;

    public override ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config)
    {
        if (!CompletionsRequestParser.TryParse(body, out var request, out var error)) return error;
        Accept(request!, request!.Stream);
        return null;
    }

    public override bool Supports(IProvider provider) => provider is ICompletionsProvider;

    public override ProxyError Unsupported(string connection) =>
        ProxyError.BadRequest($"The connection \"{connection}\" serving \"{Model}\" does not offer the legacy completions API; use /v1/chat/completions, or route \"{Model}\" to an OpenAI-compatible connection.", "model", "unsupported_operation");

    public override Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> ForTarget(RouteTarget target,
        IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var request = new CompletionsUpstreamRequest
        {
            Body = BodyFor(target, Body),
            UpstreamModel = target.UpstreamModel,
            Connection = target.Connection,
            ExtraHeaders = headers,
        };
        return (provider, cancellationToken) => ((ICompletionsProvider)provider).CompleteAsync(request, cancellationToken);
    }
}
