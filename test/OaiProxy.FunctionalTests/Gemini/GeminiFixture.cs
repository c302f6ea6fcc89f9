using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Testing;
using OaiProxy.Testing.Gemini;
using OpenAI;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Gemini;

/// <summary>A fake Gemini upstream (AI Studio, or Vertex with its token endpoint) and the real proxy in front of it.</summary>
internal sealed class GeminiFixture : IAsyncDisposable
{
    public const string ClientKey = "sk-virtual-client-key";

    private GeminiFixture(FakeGeminiServer upstream, ProxyTestServer proxy, FakeGoogleTokenServer? tokens, LoopbackImages? images)
    {
        Upstream = upstream;
        Proxy = proxy;
        Tokens = tokens;
        Images = images;
    }

    public FakeGeminiServer Upstream { get; }

    public ProxyTestServer Proxy { get; }

    public FakeGoogleTokenServer? Tokens { get; }

    public LoopbackImages? Images { get; }

    /// <param name="connectionExtra">More keys of the <c>gemini</c> connection.</param>
    /// <param name="rootExtra">Top-level config keys.</param>
    /// <param name="images">Also start a loopback image host.</param>
    /// <param name="routing">More routes, after the <c>gemini*</c> ones.</param>
    /// <param name="maxRetries">The connection's <c>max_retries</c>.</param>
    public static async Task<GeminiFixture> StartAsync(string connectionExtra = "", string rootExtra = "", bool images = false, string routing = "", int maxRetries = 0)
    {
        var upstream = await FakeGeminiServer.StartAsync();
        var served = images ? await LoopbackImages.StartAsync() : null;
        var config = $$"""
            {{rootExtra}}
            [connections.gemini]
            api_type = "google_ai_studio"
            api_base = "{{upstream.ApiBase}}"
            api_key = "{{upstream.ApiKey}}"
            max_retries = {{maxRetries}}
            {{connectionExtra}}

            [routing]
            "gemini*" = "gemini.*"
            "does-not-exist" = "gemini.does-not-exist"
            {{routing}}

            [groups.default]
            api_keys = ["{{ClientKey}}"]
            """;
        return new GeminiFixture(upstream, await ProxyTestServer.StartAsync(config), null, served);
    }

    public static async Task<GeminiFixture> StartVertexAsync(TimeProvider time, int tokenLifetimeSeconds = 3600)
    {
        var tokens = await FakeGoogleTokenServer.StartAsync();
        tokens.LifetimeSeconds = tokenLifetimeSeconds;
        var upstream = await FakeGeminiServer.StartVertexAsync(tokens);
        var directory = Path.Combine(Path.GetTempPath(), "oaiproxy-sa-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var keyFile = tokens.Account.WriteFile(directory);
        var config = $$"""
            [connections.vertex]
            api_type = "google_vertex_ai"
            api_base = "{{upstream.ApiBase}}"
            google_cloud_service_account = "{{keyFile}}"
            google_cloud_location = "europe-west4"
            max_retries = 0

            [routing]
            "gemini*" = "vertex.*"

            [groups.default]
            api_keys = ["{{ClientKey}}"]
            """;
        var proxy = await ProxyTestServer.StartAsync(config, configureServices: s => s.AddSingleton(time));
        Directory.Delete(directory, recursive: true);
        return new GeminiFixture(upstream, proxy, tokens, null);
    }

    public ChatClient Chat(string model = "gemini-2.5-flash") =>
        new(model, new ApiKeyCredential(ClientKey), new OpenAIClientOptions { Endpoint = Proxy.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) });

    public HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = Proxy.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ClientKey);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
        if (Tokens is not null) await Tokens.DisposeAsync();
        if (Images is not null) await Images.DisposeAsync();
    }
}
