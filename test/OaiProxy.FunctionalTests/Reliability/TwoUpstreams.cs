using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Reliability;

/// <summary>A primary and a backup fake upstream behind one proxy, for failover and fault-injection tests.</summary>
internal sealed class TwoUpstreams : IAsyncDisposable
{
    private TwoUpstreams(FakeOpenAiServer primary, FakeOpenAiServer backup, ProxyTestServer proxy)
    {
        Primary = primary;
        Backup = backup;
        Proxy = proxy;
    }

    public FakeOpenAiServer Primary { get; }

    public FakeOpenAiServer Backup { get; }

    public ProxyTestServer Proxy { get; }

    public static async Task<TwoUpstreams> StartAsync(string primaryExtra = "", string backupExtra = "", string routing = "\"gpt*\" = [\"primary.*\", \"backup.*\"]",
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null, string extra = "")
    {
        var primary = await FakeOpenAiServer.StartAsync();
        var backup = await FakeOpenAiServer.StartAsync();
        var config = $$"""
            {{extra}}
            [connections.primary]
            api_base = "{{primary.ApiBase}}"
            api_key = "{{primary.ApiKey}}"
            max_retries = 0
            {{primaryExtra}}

            [connections.backup]
            api_base = "{{backup.ApiBase}}"
            api_key = "{{backup.ApiKey}}"
            max_retries = 0
            {{backupExtra}}

            [routing]
            {{routing}}

            [groups.default]
            api_keys = ["{{ProxyFixture.ClientKey}}"]
            """;
        var proxy = await ProxyTestServer.StartAsync(config, configureServices: services);
        return new TwoUpstreams(primary, backup, proxy);
    }

    public ChatClient Chat(string model = "gpt-4o") =>
        new(model, new System.ClientModel.ApiKeyCredential(ProxyFixture.ClientKey), new OpenAI.OpenAIClientOptions
        {
            Endpoint = Proxy.BaseUrl,
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        });

    public HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = Proxy.Address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ProxyFixture.ClientKey);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Primary.DisposeAsync();
        await Backup.DisposeAsync();
    }
}
