using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Reliability;

/// <summary>Each upstream misbehaviour and its documented outcome: fallback, a clean retry, or a clean OpenAI error.</summary>
public sealed class FaultInjectionTests
{
    private const string StreamBody = """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

    public static TheoryData<string> PrimaryFaults => new()
    {
        "500", "502", "503", "reset", "garbage-json", "huge", "garbage-sse", "cut-before-first-event",
    };

    private static FakeReply Fault(string kind, RecordedRequest r) => kind switch
    {
        "500" => new FakeReply.Error(500, "The server had an error.", "server_error"),
        "502" => new FakeReply.Error(502, "Bad gateway.", "server_error"),
        "503" => new FakeReply.Error(503, "Overloaded.", "server_error"),
        "reset" => new FakeReply.Reset(),
        "garbage-json" => new FakeReply.Raw(200, "{\"id\": \"x\", \"choices\": [tru"),
        "huge" => new FakeReply.Huge(50 * 1024 * 1024),
        "garbage-sse" => new FakeReply.Stream(["this is not json"]),
        "cut-before-first-event" => new FakeReply.Stream([], SendDone: false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(PrimaryFaults))]
    public async Task PrimaryFault_FallsBackToBackup_NonStreaming(string fault)
    {
        await using var u = await TwoUpstreams.StartAsync();
        u.Primary.Handler = r => Fault(fault, r);

        ChatCompletion completion = await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
        Assert.Single(u.Primary.Requests);
        Assert.Single(u.Backup.Requests);
    }

    [Theory]
    [MemberData(nameof(PrimaryFaults))]
    public async Task PrimaryFault_FallsBackToBackup_Streaming(string fault)
    {
        await using var u = await TwoUpstreams.StartAsync();
        u.Primary.Handler = r => Fault(fault, r);
        using var http = u.Http();

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(StreamBody));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Count(body, "\"content\":\"Hello\""));
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task ConnectionRefused_FallsBack()
    {
        await using var u = await TwoUpstreams.StartAsync(routing: "\"gpt*\" = [\"dead.*\", \"backup.*\"]", extra: """
            [connections.dead]
            api_base = "http://127.0.0.1:9/v1"
            """);
        ChatCompletion completion = await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);
        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
    }

    [Fact]
    public async Task HangBeforeHeaders_TimesOutThenFallsBack_WithinBound()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "first_byte_timeout = 0.3");
        u.Primary.Handler = _ => new FakeReply.Hang();
        var started = DateTime.UtcNow;

        ChatCompletion completion = await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        await u.Primary.AbortSeen.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the hung request was cancelled upstream
    }

    [Fact]
    public async Task HangMidStream_IdleTimeoutEndsWithErrorEvent_NoRetryNoDuplicate()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "idle_timeout = 0.3");
        u.Primary.Handler = r => new FakeReply.Stream(OpenAiWire.TextStream("c1", r.Model!, "one two three", false), HangAfter: 2);
        using var http = u.Http();

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(StreamBody));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(1, Count(body, "\"content\":\"one\""));
        Assert.DoesNotContain("[DONE]", body);
        Assert.Contains("\"code\":\"upstream_timeout\"", body);
        Assert.Empty(u.Backup.Requests); // after the first byte nothing is retried elsewhere
    }

    [Fact]
    public async Task TransientError_CleanRetryOnSameConnection()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "max_retries = 2", routing: "\"gpt*\" = \"primary.*\"");
        var calls = 0;
        u.Primary.Handler = _ => Interlocked.Increment(ref calls) == 1 ? new FakeReply.Error(503, "busy", "server_error") : FakeReply.Default;

        ChatCompletion completion = await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
        Assert.Equal(2, u.Primary.Requests.Count);
    }

    [Fact]
    public async Task RateLimited_ShortRetryAfterIsHonoured_ThenSucceeds()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "max_retries = 1", routing: "\"gpt*\" = \"primary.*\"");
        var calls = 0;
        u.Primary.Handler = _ => Interlocked.Increment(ref calls) == 1
            ? new FakeReply.Error(429, "slow down", "requests", "rate_limit_exceeded", new Dictionary<string, string> { ["retry-after-ms"] = "50" })
            : FakeReply.Default;

        ChatCompletion completion = await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
        Assert.Equal(2, u.Primary.Requests.Count);
    }

    [Fact]
    public async Task RateLimited_LongRetryAfter_NoWaitAndPassedThroughWhenNoOtherTarget()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "max_retries = 2", routing: "\"gpt*\" = \"primary.*\"");
        u.Primary.Handler = _ => new FakeReply.Error(429, "slow down", "requests", "rate_limit_exceeded", new Dictionary<string, string> { ["retry-after"] = "120" });
        using var http = u.Http();

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
        Assert.Single(u.Primary.Requests);
    }

    [Fact]
    public async Task ClientError_IsNeverRetriedNorFallenBack()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "max_retries = 2");
        u.Primary.Handler = _ => new FakeReply.Error(400, "bad temperature");
        using var http = u.Http();

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(u.Primary.Requests);
        Assert.Empty(u.Backup.Requests);
    }

    [Fact]
    public async Task EveryTargetFails_LastErrorIsAnswered()
    {
        await using var u = await TwoUpstreams.StartAsync();
        u.Primary.Handler = _ => new FakeReply.Error(500, "p", "server_error");
        u.Backup.Handler = _ => new FakeReply.Error(503, "b", "server_error");
        using var http = u.Http();

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("\"backup\"", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task LmProxyFallbackConnection_TriesMembersInOrderWithOverrides()
    {
        await using var primary = await FakeOpenAiServer.StartAsync();
        await using var backup = await FakeOpenAiServer.StartAsync();
        var config = $$"""
            [routing]
            "*" = "fallback.*"
            [groups.default]
            api_keys = ["{{ProxyFixture.ClientKey}}"]
            [connections.primary]
            api_base = "{{primary.ApiBase}}"
            api_key = "{{primary.ApiKey}}"
            init_params = { max_retries = 0 }
            [connections.backup]
            api_base = "{{backup.ApiBase}}"
            api_key = "{{backup.ApiKey}}"
            [connections.fallback]
            class = "lm_proxy.strategies.Fallback"
            connections = { primary = { model = "gpt-4o" }, backup = { model = "gpt-5", reasoning_effort = "low" } }
            """;
        await using var proxy = await Testing.ProxyTestServer.StartAsync(config);
        primary.Handler = _ => new FakeReply.Error(500, "down", "server_error");
        var chat = new ChatClient("anything", new System.ClientModel.ApiKeyCredential(ProxyFixture.ClientKey),
            new OpenAI.OpenAIClientOptions { Endpoint = proxy.BaseUrl, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gpt-5!", completion.Content[0].Text);
        Assert.Equal("gpt-4o", Assert.Single(primary.Requests).Model);
        Assert.Equal("low", Assert.Single(backup.Requests).Json["reasoning_effort"]!.GetValue<string>());
    }

    [Fact]
    public async Task TooManyMessages_Is400()
    {
        await using var u = await TwoUpstreams.StartAsync(extra: "max_messages = 2");
        using var http = u.Http();
        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"1"},{"role":"assistant","content":"2"},{"role":"user","content":"3"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too_many_messages", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HugeHeaders_Are431()
    {
        await using var u = await TwoUpstreams.StartAsync();
        using var http = u.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = ChatCompletionTests.Json("{}") };
        request.Headers.Add("x-big", new string('a', 100_000));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    internal static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
