using System.ClientModel;
using System.ClientModel.Primitives;
using OaiProxy.Local.Gateway;
using OaiProxy.Testing;
using OaiProxy.Testing.Gguf;
using OpenAI;
using OpenAI.Chat;

namespace OaiProxy.Local.Tests.Functional;

/// <summary>The real proxy with local models registered, and clients for it.</summary>
internal static class LocalProxy
{
    public const string ClientKey = "sk-local-test-client";

    public static string Groups => $$"""
        [groups.default]
        api_keys = ["{{ClientKey}}"]
        """;

    public static Task<ProxyTestServer> StartAsync(string config) =>
        ProxyTestServer.StartAsync(config, configureServices: s => s.AddOaiProxyLocalModels());

    /// <summary>
    /// A generated model's path relative to the server's config folder: both are temp folders side by side, so this
    /// also checks that model_path resolves against the config file's folder.
    /// </summary>
    public static string RelativeModelPath(TinyGgufOptions? options = null)
    {
        var path = TestModels.PathFor(options);
        return Path.Combine("..", Path.GetFileName(Path.GetDirectoryName(path)!), Path.GetFileName(path)).Replace('\\', '/');
    }

    /// <param name="server">The proxy.</param>
    /// <param name="model">The model the client asks for.</param>
    /// <param name="closeAbandonedStreams">
    /// Close the connection at once when a stream is disposed unread; by default .NET first drains up to 1 MB for
    /// up to 2 s to reuse it, so the proxy would only notice the client leaving seconds later.
    /// </param>
    public static ChatClient Chat(ProxyTestServer server, string model, bool closeAbandonedStreams = false)
    {
        var options = new OpenAIClientOptions { Endpoint = server.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) };
        if (closeAbandonedStreams)
        {
            options.Transport = new HttpClientPipelineTransport(new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }));
        }

        return new ChatClient(model, new ApiKeyCredential(ClientKey), options);
    }

    public static OpenAIClient Client(ProxyTestServer server) =>
        new(new ApiKeyCredential(ClientKey), new OpenAIClientOptions { Endpoint = server.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) });

    public static HttpClient Http(ProxyTestServer server)
    {
        var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ClientKey);
        return http;
    }

    public static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    public static LocalModel ModelOf(ProxyTestServer server, string connection) =>
        ((LocalProvider)server.Runtime.Current.Provider(connection)).Model;

    public static LocalProviderFactory Factory(ProxyTestServer server) =>
        server.Service<IEnumerable<Providers.IProviderFactory>>().OfType<LocalProviderFactory>().Single();
}
