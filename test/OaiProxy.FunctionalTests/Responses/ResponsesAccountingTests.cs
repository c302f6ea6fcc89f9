using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.Limits;
using OaiProxy.FunctionalTests.Observability;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>
/// A Responses request is accounted exactly as a chat request: one usage record with its exact tokens and cost,
/// metrics under the <c>responses</c> endpoint, the same limits and budgets, whether passed through or translated.
/// </summary>
public sealed class ResponsesAccountingTests
{
    private const string Input = "Hi";

    private static FakeReply.Output NativeUsage(RecordedRequest _) =>
        new FakeReply.Output([OpenAiResponsesWire.Message("msg_acc", "ok")], Usage: OpenAiResponsesWire.Usage(input: 100, output: 20, cached: 40, reasoning: 5));

    private static FakeReply ChatUsage(RecordedRequest request)
    {
        var usage = OpenAiWire.Usage(100, 20, cached: 40, reasoning: 5);
        if (!request.Stream)
        {
            var body = OpenAiWire.Completion("chatcmpl-acc", "gpt-4o-mini", "ok");
            body["usage"] = usage;
            return new FakeReply.Raw(200, body.ToJsonString());
        }
        var payloads = OpenAiWire.TextStream("chatcmpl-acc", "gpt-4o-mini", "ok", includeUsage: false);
        payloads.Add(new JsonObject
        {
            ["id"] = "chatcmpl-acc", ["object"] = "chat.completion.chunk", ["created"] = OpenAiWire.Created,
            ["model"] = "gpt-4o-mini", ["choices"] = new JsonArray(), ["usage"] = usage,
        }.ToJsonString());
        return new FakeReply.Stream(payloads);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UsageRecords_HoldTheExactTokensAndCost_PassedThroughOrTranslated(bool native)
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        upstream.ResponsesHandler = NativeUsage;
        upstream.Handler = ChatUsage;
        await using var sut = await StorageProxy.StartAsync(upstream, connectionExtra: "max_retries = 0\nresponses_api = " + (native ? "true" : "false"));
        var key = await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"responses"}""", 201);
        await sut.WaitForKeyChangesAsync(TimeSpan.FromSeconds(5));
        using var client = new ResponsesClient(sut.Proxy.BaseUrl, key["key"]!.GetValue<string>());

        var (status, _) = await client.CreateAsync($$"""{"model":"gpt-4o-mini","input":"{{Input}}"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, events) = await client.StreamAsync($$"""{"model":"gpt-4o-mini","stream":true,"input":"{{Input}}"}""");
        Assert.Equal(100, events[^1]["response"]!["usage"]!["input_tokens"]!.GetValue<int>());

        await sut.Storage.Usage.Committed.WaitForAsync(2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var row = Assert.Single((await sut.AdminAsync(HttpMethod.Get, "/admin/usage?group_by=key"))["data"]!.AsArray())!;
        Assert.Equal(key["id"]!.GetValue<string>(), row["key"]!.GetValue<string>());
        Assert.Equal(2, row["requests"]!.GetValue<long>());
        Assert.Equal(200, row["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(40, row["completion_tokens"]!.GetValue<long>());
        Assert.Equal(80, row["cached_tokens"]!.GetValue<long>());
        Assert.Equal(10, row["reasoning_tokens"]!.GetValue<long>());
        // 60 uncached at 1, 40 cached at 0.5, 20 output at 2 (USD per million), twice.
        Assert.Equal(2 * (60 * 1.0m + 40 * 0.5m + 20 * 2.0m) / 1_000_000m, row["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Metrics_CountResponsesUnderTheirOwnEndpoint_AsAChatOperation()
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.ResponsesHandler = NativeUsage;
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await client.CreateAsync("""{"model":"gpt-4o","input":"Hi"}""")).Status);
        await client.StreamAsync("""{"model":"gpt-4o","stream":true,"input":"Hi"}""");
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await f.Proxy.Service<LogDispatcher>().FlushAsync();

        using var http = f.Http();
        var samples = PrometheusSample.Parse(await http.GetStringAsync("/metrics"));

        var requests = samples.Where(s => s.Name == "oaiproxy_requests_total" && s.Labels["oaiproxy_endpoint"] == "responses").ToList();
        Assert.Equal(3, requests.Sum(s => s.Value));
        Assert.All(requests, s => Assert.Equal("chat", s.Labels["gen_ai_operation_name"]));
        Assert.Equal(2, requests.Single(s => s.Labels["oaiproxy_stream"] == "false").Value);
        var input = samples.Single(s => s.Name == "oaiproxy_tokens_total" && s.Labels["gen_ai_token_type"] == "input");
        Assert.Equal(300, input.Value);
    }

    [Fact]
    public async Task GroupRpmAndBudget_RefuseResponsesLikeChat_InTheOpenAiShape()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "rpm = 2"));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, (await client.CreateAsync("""{"model":"gpt-4o","input":"Hi"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Post, "/responses", """{"model":"gpt-4o","input":"Hi","stream":true}""")).Status);

        var (status, body, response) = await client.SendAsync(HttpMethod.Post, "/responses", """{"model":"gpt-4o","input":"Hi"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("rate_limit_exceeded", LimitCalls.ErrorCode(body));
        Assert.Equal("0", LimitCalls.Header(response, "x-ratelimit-remaining-requests"));
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(2, f.Upstream.Requests.Count);
    }

    [Fact]
    public async Task Budget_SpentOnResponses_RefusesTheNextOneWithInsufficientQuota()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "budget = { amount = 0.0001, period = \"daily\" }") + """

            [prices."gpt-4o"]
            input = 1.0
            output = 1.0
            cached_input = 1.0
            """);
        f.Upstream.ResponsesHandler = NativeUsage;
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        // The reservation (a few input tokens and 50 output) fits; the usage then spent (120 tokens) does not leave room for another.
        Assert.Equal(HttpStatusCode.OK, (await client.CreateAsync("""{"model":"gpt-4o","input":"Hi","max_output_tokens":50}""")).Status);

        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/responses", """{"model":"gpt-4o","input":"Hi","max_output_tokens":50}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("insufficient_quota", LimitCalls.ErrorCode(body));
        Assert.Single(f.Upstream.Requests);
    }

    [Fact]
    public async Task TokenLimit_CountsTheStoredConversation_NotJustTheNewInput()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 0\nresponses_api = false\ntpm = 1000"));
        var longAnswer = string.Join(' ', Enumerable.Repeat("history", 2500));
        f.Upstream.Handler = _ => new FakeReply.Raw(200, OpenAiWire.Completion("chatcmpl-long", "gpt-4o", longAnswer).ToJsonString());
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var (status, first) = await client.CreateAsync("""{"model":"gpt-4o","input":"Tell me everything.","max_output_tokens":16}""");
        Assert.Equal(HttpStatusCode.OK, status);

        var (refused, body, _) = await client.SendAsync(HttpMethod.Post, "/responses",
            $$"""{"model":"gpt-4o","previous_response_id":"{{first["id"]}}","input":"And now?","max_output_tokens":16}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused);
        Assert.Contains("Request too large", LimitCalls.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Single(f.Upstream.Requests);
    }
}
