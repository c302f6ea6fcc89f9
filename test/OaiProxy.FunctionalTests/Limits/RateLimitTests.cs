using System.Net;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>Limits in one proxy, in memory: exact counts of 429s, their headers, and settlement with real usage.</summary>
public sealed class RateLimitTests
{
    private static string Config(FakeOpenAiServer upstream, string group = "", string connection = "", string global = "") =>
        (global.Length > 0 ? "[limits]\n" + global + "\n\n" : "") +
        ProxyFixture.DefaultConfig(upstream, group, "max_retries = 0\n" + connection) + """

            [prices."gpt-4o-mini"]
            input = 0.0
            output = 1.0
            cached_input = 0.0
            """;

    [Fact]
    public async Task GroupRpm_ThreeAdmitted_NextTwoRefusedWithOpenAiHeaders()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, group: "rpm = 3"));
        using var http = new HttpClient();
        for (var i = 0; i < 3; i++)
        {
            var (status, response, _) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("3", LimitCalls.Header(response, "x-ratelimit-limit-requests"));
            Assert.Equal((2 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), LimitCalls.Header(response, "x-ratelimit-remaining-requests"));
            Assert.EndsWith("s", LimitCalls.Header(response, "x-ratelimit-reset-requests"), StringComparison.Ordinal);
        }
        for (var i = 0; i < 2; i++)
        {
            var (status, response, body) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey);
            Assert.Equal(HttpStatusCode.TooManyRequests, status);
            Assert.Equal("rate_limit_exceeded", LimitCalls.ErrorCode(body));
            Assert.Contains("the group \"default\"", LimitCalls.ErrorMessage(body), StringComparison.Ordinal);
            Assert.InRange(int.Parse(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
            Assert.Equal("0", LimitCalls.Header(response, "x-ratelimit-remaining-requests"));
        }
        Assert.Equal(3, fixture.Upstream.Requests.Count);
    }

    [Fact]
    public async Task MessagesGroupRpm_RefusalKeepsTheRateLimitHeaders()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, group: "rpm = 1"));
        using var http = new HttpClient();
        const string body = """{"model":"gpt-4o-mini","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""";
        var first = await MessagesAsync(http, fixture, body);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("1", LimitCalls.Header(first, "x-ratelimit-limit-requests"));
        var refused = await MessagesAsync(http, fixture, body);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limit_error", System.Text.Json.Nodes.JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
        Assert.Equal("1", LimitCalls.Header(refused, "x-ratelimit-limit-requests"));
        Assert.Equal("0", LimitCalls.Header(refused, "x-ratelimit-remaining-requests"));
        Assert.EndsWith("s", LimitCalls.Header(refused, "x-ratelimit-reset-requests"), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    private static async Task<HttpResponseMessage> MessagesAsync(HttpClient http, ProxyFixture fixture, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Proxy.BaseUrl + "/messages")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", ProxyFixture.ClientKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task ConnectionTpm_ReservationSettledWithRealUsage_SecondRequestFits()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, connection: "tpm = 1000"));
        fixture.Upstream.Handler = _ => LimitCalls.Completion(LimitCalls.PromptTokens, 392);
        using var http = new HttpClient();
        var body = LimitCalls.Body(maxTokens: 500);
        // Reserved 508 each, settled to 400: without settlement the second (400 + 508 ≤ 1000) would be refused.
        var first = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, body);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("492", LimitCalls.Header(first.Response, "x-ratelimit-remaining-tokens"));
        Assert.Equal(HttpStatusCode.OK, (await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, body)).Status);
        var third = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, body);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Contains("the connection \"openai\"", LimitCalls.ErrorMessage(third.Body), StringComparison.Ordinal);
        Assert.Equal("1000", LimitCalls.Header(third.Response, "x-ratelimit-limit-tokens"));

        var tooLarge = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, LimitCalls.Body(maxTokens: 5000));
        Assert.Equal(HttpStatusCode.TooManyRequests, tooLarge.Status);
        Assert.Contains("Request too large", LimitCalls.ErrorMessage(tooLarge.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GlobalMaxParallel_TwoStreamsOpen_ThirdRefused_AbortFreesASlot()
    {
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, global: "max_parallel = 2"));
        fixture.Upstream.Handler = _ => new FakeReply.Stream(OpenAiWire.TextStream("c1", "gpt-4o-mini", "one two three", includeUsage: false), HangAfter: 1, Resume: resume.Task);
        using var http = new HttpClient();
        using var abort = new CancellationTokenSource();
        using var a = await LimitCalls.PostAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, LimitCalls.Body(stream: true), abort.Token);
        using var b = await LimitCalls.PostAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, LimitCalls.Body(stream: true));
        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        var third = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Contains("in flight for the proxy", LimitCalls.ErrorMessage(third.Body), StringComparison.Ordinal);

        a.Dispose(); // the client goes away mid-stream: its slot is released when the proxy notices
        var freed = false;
        for (var i = 0; i < 100 && !freed; i++)
        {
            fixture.Upstream.Handler = _ => FakeReply.Default;
            var (status, _, _) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey);
            freed = status == HttpStatusCode.OK;
            if (!freed) await Task.Delay(50);
        }
        Assert.True(freed, "The aborted stream's slot was never released.");
        resume.SetResult();
    }

    [Fact]
    public async Task GroupBudget_ThreeFit_FourthRefusedAsInsufficientQuota()
    {
        // Output costs $1 per million tokens, so each request (100 completion tokens) costs $0.0001 exactly, reserved and real.
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, group: "budget = { amount = 0.00035, period = \"daily\" }"));
        fixture.Upstream.Handler = _ => LimitCalls.Completion(LimitCalls.PromptTokens, 100);
        using var http = new HttpClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey)).Status);
        }
        var refused = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("insufficient_quota", LimitCalls.ErrorCode(refused.Body));
        Assert.Contains("daily budget of $0.00035", LimitCalls.ErrorMessage(refused.Body), StringComparison.Ordinal);
        Assert.Equal(3, fixture.Upstream.Requests.Count);
    }

    [Fact]
    public async Task LmProxyRateLimiterHandler_StillWorksBesideLimits()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => """
            [[before]]
            class = "lm_proxy.handlers.RateLimiter"
            max_requests = 1
            window_seconds = 60

            """ + Config(u, group: "rpm = 10"));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey)).Status);
        var second = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Contains("1 requests per 60 s", LimitCalls.ErrorMessage(second.Body), StringComparison.Ordinal);
    }
}
