using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;

namespace OaiProxy.Dialects.OpenAi;

/// <summary><c>POST /chat/completions</c>: every provider serves it through <see cref="IProvider.ChatAsync"/>.</summary>
internal sealed class ChatOperation : ProxyOperation
{
    private RequestBody? _chat;

    public override string Name => "chat.completions";

    /// <summary>The parsed request (after <see cref="Parse"/> or <see cref="Use"/>).</summary>
    public RequestBody Request => _chat ?? throw new InvalidOperationException("The request has not been parsed.");

    public override ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config)
    {
        if (!ChatRequestParser.TryParse(body, out var request, out var error, config.MaxMessages)) return error;
        Use(request!);
        return null;
    }

    /// <summary>Takes a request parsed elsewhere (a translated one); this operation disposes it.</summary>
    public void Use(RequestBody request)
    {
        _chat = request;
        Model = request.Model;
        Stream = request.Stream;
    }

    public override Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> ForTarget(RouteTarget target,
        IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var request = new ChatUpstreamRequest
        {
            Chat = target.Overrides is null ? Request : BodyOverrides.Apply(Request, target.Overrides),
            UpstreamModel = target.UpstreamModel,
            Connection = target.Connection,
            ExtraHeaders = headers,
        };
        return (provider, cancellationToken) => provider.ChatAsync(request, cancellationToken);
    }

    protected override void Release() => _chat?.Dispose();
}
