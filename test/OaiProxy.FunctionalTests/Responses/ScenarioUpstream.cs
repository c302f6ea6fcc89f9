using OaiProxy.FunctionalTests.Anthropic;
using OaiProxy.FunctionalTests.Gemini;
using OaiProxy.Testing;
using OaiProxy.Testing.Anthropic;
using OaiProxy.Testing.Gemini;
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

    /// <summary>Gemini's generateContent (a Gemini 3 model, which wants its thought signatures back): translated through chat's mapping.</summary>
    Gemini,
}

/// <summary>
/// The real proxy in front of one scripted upstream of <see cref="ResponsesUpstreamKind"/>, every <c>gpt*</c> model
/// routed to it, answering the client scenarios' turns on its own wire.
/// </summary>
internal sealed class ScenarioUpstream : IAsyncDisposable
{
    private readonly IAsyncDisposable _fixture;
    private readonly Func<int> _requestCount;

    private ScenarioUpstream(IAsyncDisposable fixture, ProxyTestServer proxy, Func<int> requestCount)
    {
        _fixture = fixture;
        Proxy = proxy;
        _requestCount = requestCount;
    }

    public ProxyTestServer Proxy { get; }

    /// <summary>How many requests the upstream received.</summary>
    public int RequestCount => _requestCount();

    /// <summary>The fake Gemini API of a <see cref="ResponsesUpstreamKind.Gemini"/> upstream; null for the others.</summary>
    public FakeGeminiServer? Gemini { get; private init; }

    public static async Task<ScenarioUpstream> StartAsync(ResponsesUpstreamKind kind)
    {
        switch (kind)
        {
            case ResponsesUpstreamKind.Anthropic:
                var anthropic = await AnthropicFixture.StartAsync(u => AnthropicFixture.Config(u).Replace("\"claude*\" = \"claude.*\"", "\"gpt*\" = \"claude.claude-sonnet-4-5\"", StringComparison.Ordinal));
                anthropic.Upstream.Handler = AnthropicScenarioReplies.Messages;
                return new ScenarioUpstream(anthropic, anthropic.Proxy, () => anthropic.Upstream.Requests.Count);
            case ResponsesUpstreamKind.Gemini:
                var gemini = await GeminiFixture.StartAsync(routing: "\"gpt*\" = \"gemini.gemini-3-pro-preview\"");
                gemini.Upstream.Handler = GeminiScenarioReplies.Generate;
                return new ScenarioUpstream(gemini, gemini.Proxy, () => gemini.Upstream.Requests.Count) { Gemini = gemini.Upstream };
            default:
                var native = kind == ResponsesUpstreamKind.Native;
                var openAi = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 0\nresponses_api = " + (native ? "true" : "false")));
                if (native) openAi.Upstream.ResponsesHandler = ScenarioReplies.Responses;
                else openAi.Upstream.Handler = ScenarioReplies.Chat;
                return new ScenarioUpstream(openAi, openAi.Proxy, () => openAi.Upstream.Requests.Count);
        }
    }

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();
}
