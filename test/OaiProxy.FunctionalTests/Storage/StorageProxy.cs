using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OaiProxy.Storage;
using OaiProxy.Storage.Hosting;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;
using OpenAI;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>The real proxy with the storage module, a master key and a price table, in front of a fake upstream.</summary>
internal sealed class StorageProxy : IAsyncDisposable
{
    public const string MasterKey = "mk-test-0123456789abcdef";

    private StorageProxy(ProxyTestServer proxy) => Proxy = proxy;

    public ProxyTestServer Proxy { get; }

    public StorageService Storage => Proxy.Service<StorageService>();

    public static string Config(FakeOpenAiServer upstream, string? databaseUrl, string connectionExtra = "max_retries = 0") =>
        $"master_key = \"{MasterKey}\"\n" +
        (databaseUrl is null ? "" : $"database_url = \"{databaseUrl}\"\n") +
        ProxyFixture.DefaultConfig(upstream, connectionExtra: connectionExtra) + """

            [prices."gpt-4o-mini"]
            input = 1.0
            output = 2.0
            cached_input = 0.5
            """;

    public static async Task<StorageProxy> StartAsync(FakeOpenAiServer upstream, string? databaseUrl = null, ILoggerProvider? logs = null,
        string connectionExtra = "max_retries = 0", TimeProvider? time = null) =>
        new(await ProxyTestServer.StartAsync(Config(upstream, databaseUrl, connectionExtra), configureServices: services =>
        {
            services.AddOaiProxyStorage();
            if (logs is not null) services.AddSingleton(logs);
            if (time is not null) services.AddSingleton(time);
        }));

    /// <summary>The proxy with the storage module on a config of the test's own, which sets <see cref="MasterKey"/> itself.</summary>
    public static async Task<StorageProxy> StartWithConfigAsync(string config) =>
        new(await ProxyTestServer.StartAsync(config, configureServices: services => services.AddOaiProxyStorage()));

    public ChatClient Chat(string model, string key) =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = Proxy.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) });

    /// <summary>Calls the admin API with the master key; asserts the status; returns the raw body.</summary>
    public async Task<string> AdminRawAsync(HttpMethod method, string path, string? body = null, int expectStatus = 200, string? masterKey = MasterKey)
    {
        using var http = new HttpClient { BaseAddress = Proxy.Address };
        using var request = new HttpRequestMessage(method, path);
        if (masterKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", masterKey);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expectStatus == (int)response.StatusCode, $"Expected {expectStatus}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    public async Task<JsonObject> AdminAsync(HttpMethod method, string path, string? body = null, int expectStatus = 200) =>
        JsonNode.Parse(await AdminRawAsync(method, path, body, expectStatus))!.AsObject();

    /// <summary>Waits (at most <paramref name="bound"/>) until this instance's key cache holds every change made so far.</summary>
    public async Task WaitForKeyChangesAsync(TimeSpan bound)
    {
        var version = await Storage.Keys!.VersionAsync(CancellationToken.None);
        await Storage.Cache.AppliedVersion.WaitForAsync(version, CancellationToken.None).WaitAsync(bound);
    }

    public ValueTask DisposeAsync() => Proxy.DisposeAsync();
}
