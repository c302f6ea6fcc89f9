using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;

namespace OaiProxy.Dialects.OpenAi;

/// <summary>Legacy <c>POST /completions</c>: served by providers implementing <see cref="ICompletionsProvider"/>.</summary>
internal sealed class CompletionsOperation : ProxyOperation
{
    private RequestBody? _request;

    public override string Name => "completions";

    public override RequestBody Body => _request ?? throw new InvalidOperationException("The request has not been parsed.");

    public override ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config)
    {
        if (!CompletionsRequestParser.TryParse(body, out _request, out var error)) return error;
        Model = _request!.Model;
        Stream = _request.Stream;
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
            Body = BodyFor(target, _request!),
            UpstreamModel = target.UpstreamModel,
            Connection = target.Connection,
            ExtraHeaders = headers,
        };
        return (provider, cancellationToken) => ((ICompletionsProvider)provider).CompleteAsync(request, cancellationToken);
    }

    protected override void Release() => _request?.Dispose();
}
