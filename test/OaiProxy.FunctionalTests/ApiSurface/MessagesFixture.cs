using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using OaiProxy.Testing;
using OaiProxy.Testing.Anthropic;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.ApiSurface;

/// <summary>The proxy in front of both an Anthropic fake (<c>claude*</c>, native) and an OpenAI fake (<c>gpt*</c>, translated).</summary>
internal sealed class MessagesFixture : IAsyncDisposable
{
    public const string Native = "claude-sonnet-4-5";
    public const string Translated = "gpt-4o";

    private MessagesFixture(FakeAnthropicServer anthropic, FakeOpenAiServer openAi, ProxyTestServer proxy)
    {
        Anthropic = anthropic;
        OpenAi = openAi;
        Proxy = proxy;
    }

    public FakeAnthropicServer Anthropic { get; }

    public FakeOpenAiServer OpenAi { get; }

    public ProxyTestServer Proxy { get; }

    public static async Task<MessagesFixture> StartAsync()
    {
        var anthropic = await FakeAnthropicServer.StartAsync();
        var openAi = await FakeOpenAiServer.StartAsync();
        var proxy = await ProxyTestServer.StartAsync($$"""
            [connections.claude]
            api_type = "anthropic"
            api_base = "{{anthropic.ApiBase}}"
            api_key = "{{anthropic.ApiKey}}"
            max_retries = 0

            [connections.openai]
            api_type = "open_ai"
            api_base = "{{openAi.ApiBase}}"
            api_key = "{{openAi.ApiKey}}"
            max_retries = 0

            [routing]
            "claude*" = "claude.*"
            "gpt*" = "openai.*"

            [groups.default]
            api_keys = ["{{ProxyFixture.ClientKey}}"]
            """);
        return new MessagesFixture(anthropic, openAi, proxy);
    }

    /// <summary>The official SDK pointed at the proxy, authenticating with <c>x-api-key</c> as Anthropic clients do.</summary>
    public AnthropicClient Client() => new() { ApiKey = ProxyFixture.ClientKey, BaseUrl = Proxy.Address.ToString().TrimEnd('/'), MaxRetries = 0 };

    public HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = Proxy.Address };
        http.DefaultRequestHeaders.Add("x-api-key", ProxyFixture.ClientKey);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return http;
    }

    /// <summary>A raw JSON body as the SDK's parameter dictionaries.</summary>
    public static Dictionary<string, JsonElement> Raw(JsonObject body) =>
        body.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value));

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Anthropic.DisposeAsync();
        await OpenAi.DisposeAsync();
    }
}
