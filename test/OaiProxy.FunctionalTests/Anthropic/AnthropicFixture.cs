using System.ClientModel;
using System.ClientModel.Primitives;
using OaiProxy.Testing;
using OaiProxy.Testing.Anthropic;
using OpenAI;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Anthropic;

/// <summary>A strict fake Anthropic upstream and the real proxy in front of it (an <c>anthropic</c> connection), for one test.</summary>
internal sealed class AnthropicFixture : IAsyncDisposable
{
    public const string Model = "claude-sonnet-4-5";

    private AnthropicFixture(FakeAnthropicServer upstream, ProxyTestServer proxy)
    {
        Upstream = upstream;
        Proxy = proxy;
    }

    public FakeAnthropicServer Upstream { get; }

    public ProxyTestServer Proxy { get; }

    public static string Config(FakeAnthropicServer upstream, string? apiKey = null, string top = "") => $$"""
        {{top}}
        [connections.claude]
        api_type = "anthropic"
        api_base = "{{upstream.ApiBase}}"
        api_key = "{{apiKey ?? upstream.ApiKey}}"
        max_retries = 0
        http_headers = { "anthropic-beta" = "prompt-caching-2024-07-31" }

        [routing]
        "claude*" = "claude.*"

        [groups.default]
        api_keys = ["{{ProxyFixture.ClientKey}}"]
        """;

    public static async Task<AnthropicFixture> StartAsync(Func<FakeAnthropicServer, string>? config = null)
    {
        var upstream = await FakeAnthropicServer.StartAsync();
        try
        {
            var proxy = await ProxyTestServer.StartAsync((config ?? (u => Config(u)))(upstream));
            return new AnthropicFixture(upstream, proxy);
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    public ChatClient Chat(string model = Model) =>
        new(model, new ApiKeyCredential(ProxyFixture.ClientKey), new OpenAIClientOptions { Endpoint = Proxy.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) });

    public HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = Proxy.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ProxyFixture.ClientKey);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
