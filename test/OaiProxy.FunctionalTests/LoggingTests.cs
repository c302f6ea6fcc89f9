using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Pipeline;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OaiProxy.Testing.OpenAi;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests;

public sealed class LoggingTests
{
    // The logger section of lm-proxy's README, unchanged.
    internal const string SeedLoggers = """

        [[loggers]]
        class = 'lm_proxy.loggers.BaseLogger'
        [loggers.log_writer]
        class = 'lm_proxy.loggers.log_writers.JsonLogWriter'
        file_name = 'storage/json.log'
        [loggers.entry_transformer]
        class = 'lm_proxy.loggers.LogEntryTransformer'
        completion_tokens = "response.usage.completion_tokens"
        prompt_tokens = "response.usage.prompt_tokens"
        prompt = "request.messages"
        response = "response"
        group = "group"
        connection = "connection"
        api_key_id = "api_key_id"
        remote_addr = "remote_addr"
        created_at = "created_at"
        duration = "duration"
        first_message = "request.messages[0].content"
        missing = "response.choices.7.message"
        """;

    internal const string FullLogger = """

        [[loggers]]
        class = 'lm_proxy.loggers.BaseLogger'
        [loggers.log_writer]
        class = 'lm_proxy.loggers.JsonLogWriter'
        file_name = 'storage/full.log'
        """;

    private static async Task<List<JsonObject>> ReadLogAsync(ProxyFixture f, string file)
    {
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await f.Proxy.Service<LogDispatcher>().FlushAsync();
        var path = Path.Combine(f.Proxy.Directory, "storage", file);
        return (await File.ReadAllLinesAsync(path)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    [Fact]
    public async Task SeedReadmeLogger_WritesTransformedJsonLines()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + SeedLoggers);

        await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi there")]);

        var entry = Assert.Single(await ReadLogAsync(f, "json.log"));
        Assert.Equal(3, entry["completion_tokens"]!.GetValue<int>());
        Assert.Equal(7, entry["prompt_tokens"]!.GetValue<int>());
        Assert.Equal("Hi there", entry["first_message"]!.GetValue<string>());
        Assert.Equal("user", entry["prompt"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("Hello from gpt-4o!", entry["response"]!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("default", entry["group"]!.GetValue<string>());
        Assert.Equal("openai", entry["connection"]!.GetValue<string>());
        // A keyed id (finding 18): this config sets no encryption_key, so lm-proxy's md5 with its public salt is not used.
        Assert.Equal(f.Proxy.Service<ProxyRuntime>().Current.KeyIds.Compute(ProxyFixture.ClientKey), entry["api_key_id"]!.GetValue<string>());
        Assert.NotEqual(Md5(ProxyFixture.ClientKey + "Eclipse"), entry["api_key_id"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", entry["remote_addr"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(entry["created_at"]!.GetValue<string>(), out _));
        Assert.True(entry["duration"]!.GetValue<double>() > 0);
        Assert.True(entry.ContainsKey("missing"));
        Assert.Null(entry["missing"]);
    }

    [Fact]
    public async Task StreamedRequest_IsLoggedWithAssembledResponseUsageAndTimeToFirstToken()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + FullLogger);

        await foreach (var _ in f.Chat("gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Hi")])) { }

        var entry = Assert.Single(await ReadLogAsync(f, "full.log"));
        Assert.True(entry["stream"]!.GetValue<bool>());
        Assert.Equal(200, entry["status"]!.GetValue<int>());
        Assert.Equal("Hello from gpt-4o!", entry["response"]!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", entry["response"]!["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(3, entry["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.True(entry["time_to_first_token"]!.GetValue<double>() > 0);
        Assert.Equal("gpt-4o", entry["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task RejectedAndFailedRequests_AreLoggedToo()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + FullLogger);
        using var http = f.Http(key: "sk-bad");
        await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));
        f.Upstream.Handler = _ => new FakeReply.Error(500, "boom", "server_error");
        await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi")]));

        var entries = await ReadLogAsync(f, "full.log");

        Assert.Equal(2, entries.Count);
        Assert.Equal(401, entries[0]["status"]!.GetValue<int>());
        Assert.Equal("invalid_api_key", entries[0]["error"]!["code"]!.GetValue<string>());
        Assert.Equal(502, entries[1]["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task ClientAbortedStream_IsLoggedAsAborted()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + FullLogger);
        f.Upstream.Handler = r => new FakeReply.Stream(OpenAiWire.TextStream("c", r.Model!, "a b c d", false), HangAfter: 2);
        using (var cts = new CancellationTokenSource())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in f.Chat("gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Hi")], cancellationToken: cts.Token))
                {
                    await cts.CancelAsync();
                }
            });
        }

        var entry = Assert.Single(await ReadLogAsync(f, "full.log"));
        Assert.True(entry["client_aborted"]!.GetValue<bool>());
        Assert.Equal(499, entry["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task GracefulShutdown_FlushesEveryEntry()
    {
        var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + FullLogger);
        var directory = f.Proxy.Directory;
        var path = Path.Combine(directory, "storage", "full.log");
        for (var i = 0; i < 20; i++) await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage($"Hi {i}")]);

        await f.Proxy.App.StopAsync();
        var lines = await File.ReadAllLinesAsync(path);
        await f.DisposeAsync();

        Assert.Equal(20, lines.Length);
    }

    private static string Md5(string text) =>
#pragma warning disable CA5351 // Checking lm-proxy's md5-based api_key_id.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
