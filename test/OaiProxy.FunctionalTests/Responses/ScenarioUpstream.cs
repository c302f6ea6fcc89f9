using OaiProxy.FunctionalTests.Anthropic;
using OaiProxy.Testing;
using OaiProxy.Testing.Anthropic;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>What serves the proxy's <c>/v1/responses</c> in a client scenario.</summary>
public enum ResponsesUpstreamKind
{
    /// <summary>OpenAI's own Responses API: passed through.</summary>
    Native,

    /// <summary>An OpenAI-compatible server with chat only (vLLM, Ollama): translated to chat.</summary>
    Chat,

    /// <summary>Anthropic's Messages API: translated through chat's mapping.</summary>
    Anthropic,
}

/// <summary>
/// The real proxy in front of one scripted upstream of <see cref="ResponsesUpstreamKind"/>, every <c>gpt*</c> model
/// routed to it, answering the client scenarios' turns on its own wire.
/// </summary>
internal sealed class ScenarioUpstream : IAsyncDisposable
{
    private readonly IAsyncDisposable _fixture;
    private readonly Func<IReadOnlyList<RecordedRequest>> _requests;

    private ScenarioUpstream(IAsyncDisposable fixture, ProxyTestServer proxy, Func<IReadOnlyList<RecordedRequest>> requests)
    {
        _fixture = fixture;
        Proxy = proxy;
        _requests = requests;
    }

    public ProxyTestServer Proxy { get; }

    public IReadOnlyList<RecordedRequest> Requests => _requests();

    public static async Task<ScenarioUpstream> StartAsync(ResponsesUpstreamKind kind)
    {
        switch (kind)
        {
            case ResponsesUpstreamKind.Anthropic:
                var anthropic = await AnthropicFixture.StartAsync(u => AnthropicFixture.Config(u).Replace("\"claude*\" = \"claude.*\"", "\"gpt*\" = \"claude.claude-sonnet-4-5\"", StringComparison.Ordinal));
                anthropic.Upstream.Handler = AnthropicScenarioReplies.Messages;
                return new ScenarioUpstream(anthropic, anthropic.Proxy, () => [.. anthropic.Upstream.Requests]);
            default:
                var native = kind == ResponsesUpstreamKind.Native;
                var openAi = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 0\nresponses_api = " + (native ? "true" : "false")));
                if (native) openAi.Upstream.ResponsesHandler = ScenarioReplies.Responses;
                else openAi.Upstream.Handler = ScenarioReplies.Chat;
                return new ScenarioUpstream(openAi, openAi.Proxy, () => [.. openAi.Upstream.Requests]);
        }
    }

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();
}
