using System.ClientModel;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;
using OpenAI;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests;

/// <summary>A fake OpenAI upstream and the real proxy in front of it, for one test.</summary>
internal sealed class ProxyFixture : IAsyncDisposable
{
    public const string ClientKey = "sk-virtual-client-key";

    private ProxyFixture(FakeOpenAiServer upstream, ProxyTestServer proxy)
    {
        Upstream = upstream;
        Proxy = proxy;
    }

    public FakeOpenAiServer Upstream { get; }

    public ProxyTestServer Proxy { get; }

    public static string DefaultConfig(FakeOpenAiServer upstream, string extra = "", string connectionExtra = "max_retries = 0") => $$"""
        [connections.openai]
        api_type = "open_ai"
        api_base = "{{upstream.ApiBase}}"
        api_key = "{{upstream.ApiKey}}"
        {{connectionExtra}}

        [routing]
        "gpt*" = "openai.*"
        "alias-model" = "openai.gpt-4o-mini"

        [groups.default]
        api_keys = ["{{ClientKey}}"]
        {{extra}}
        """;

    public static async Task<ProxyFixture> StartAsync(Func<FakeOpenAiServer, string>? config = null, bool watch = false)
    {
        var upstream = await FakeOpenAiServer.StartAsync();
        try
        {
            var proxy = await ProxyTestServer.StartAsync((config ?? (u => DefaultConfig(u)))(upstream), watch: watch);
            return new ProxyFixture(upstream, proxy);
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    public ChatClient Chat(string model, string key = ClientKey) =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = Proxy.BaseUrl, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    public OpenAIClient Client(string key = ClientKey) =>
        new(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = Proxy.BaseUrl, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    public HttpClient Http(string? key = ClientKey)
    {
        var http = new HttpClient { BaseAddress = Proxy.Address };
        if (key is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
