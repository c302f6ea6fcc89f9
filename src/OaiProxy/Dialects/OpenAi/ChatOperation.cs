using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;

namespace OaiProxy.Dialects.OpenAi;

/// <summary><c>POST /chat/completions</c>: every provider serves it through <see cref="IProvider.ChatAsync"/>.</summary>
internal sealed class ChatOperation : ProxyOperation
{
    public override string Name => OperationNames.ChatCompletions;

    public override ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config)
    {
        if (!ChatRequestParser.TryParse(body, out var request, out var error, config.MaxMessages)) return error;
        Accept(request!, request!.Stream);
        return null;
    }

    public override Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> ForTarget(RouteTarget target,
        IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var request = new ChatUpstreamRequest
        {
            Chat = BodyFor(target, Body),
            UpstreamModel = target.UpstreamModel,
            Connection = target.Connection,
            ExtraHeaders = headers,
        };
        return (provider, cancellationToken) => provider.ChatAsync(request, cancellationToken);
    }
}
