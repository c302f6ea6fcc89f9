using OaiProxy.Testing;
using OaiProxy.Testing.Gguf;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.Local.Tests.Functional;

/// <summary>
/// One proxy for the read-only tests (starting a host per test would dominate the run): a cloud connection
/// (a fake OpenAI upstream) next to two local ones, "upper" answering "UVWXYZ." and "lower" answering "abc…" forever.
/// </summary>
public sealed class SharedLocalProxy : IAsyncLifetime
{
    public ProxyTestServer Server { get; private set; } = null!;

    public FakeOpenAiServer Cloud { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cloud = await FakeOpenAiServer.StartAsync();
        Server = await LocalProxy.StartAsync($$"""
            model_listing_mode = "expand_wildcards"

            [connections.cloud]
            api_type = "open_ai"
            api_base = "{{Cloud.ApiBase}}"
            api_key = "{{Cloud.ApiKey}}"
            max_retries = 0

            [connections.upper]
            api_type = "local"
            model_path = '{{LocalProxy.RelativeModelPath(new TinyGgufOptions { Reply = TinyReply.Uppercase })}}'
            threads = 1
            max_concurrency = 2

            [connections.lower]
            api_type = "local"
            model_path = '{{LocalProxy.RelativeModelPath(new TinyGgufOptions { Reply = TinyReply.Lowercase })}}'
            threads = 1
            context_size = 256
            load = "first_use"

            [routing]
            "gpt*" = "cloud.*"
            "tiny*" = "upper.*"
            "lower" = "lower.tiny-bigram"

            {{LocalProxy.Groups}}
            """);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Cloud.DisposeAsync();
    }
}
