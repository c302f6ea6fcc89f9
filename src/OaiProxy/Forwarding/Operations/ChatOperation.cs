using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;

namespace OaiProxy.Forwarding.Operations;

/// <summary><c>POST /chat/completions</c>: every provider serves it through <see cref="IChatProvider.ChatAsync"/>.</summary>
internal sealed class ChatOperation : ProxyOperation
{
    private ChatRequest? _chat;

    public override string Name => "chat.completions";

    /// <summary>The parsed request (after <see cref="Parse"/> or <see cref="Use"/>).</summary>
    public ChatRequest Request => _chat ?? throw new InvalidOperationException("The request has not been parsed.");

    public override ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config)
    {
        if (!ChatRequestParser.TryParse(body, out var request, out var error, config.MaxMessages)) return error;
        Use(request!);
        return null;
    }

    /// <summary>Takes a request parsed elsewhere (a translated one); this operation disposes it.</summary>
    public void Use(ChatRequest request)
    {
        _chat = request;
        Model = request.Model;
        Stream = request.Stream;
    }

    public override Func<IChatProvider, CancellationToken, ValueTask<ProviderResponse>> ForTarget(RouteTarget target,
        IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var request = new UpstreamRequest
        {
            Chat = target.Overrides is null ? Request : ChatRequestOverrides.Apply(Request, target.Overrides),
            UpstreamModel = target.UpstreamModel,
            Connection = target.Connection,
            ExtraHeaders = headers,
        };
        return (provider, cancellationToken) => provider.ChatAsync(request, cancellationToken);
    }

    protected override void Release() => _chat?.Dispose();
}
