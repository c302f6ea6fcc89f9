using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>
/// <c>/v1/responses</c> passed through to an OpenAI connection that serves it: the body as sent with only the model
/// spliced, events relayed as they come, the upstream's ids kept, the response stored for the client's next turn.
/// </summary>
public sealed class ResponsesNativeUpstreamTests
{
    private static JsonObject LastRequest(ProxyFixture f) => JsonNode.Parse(f.Upstream.Requests.Last().Body)!.AsObject();

    [Fact]
    public async Task Json_BodyPassedAsSent_ModelSpliced_UpstreamIdKept_AndStored()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        const string Body = """{"model":"alias-model","input":[{"type":"message","role":"user","content":"Hi"}],"include":["reasoning.encrypted_content"],"client_metadata":{"x":"y"},"text":{"verbosity":"low"},"prompt_cache_key":"k1"}""";

        var (status, response) = await client.CreateAsync(Body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Body.Replace("alias-model", "gpt-4o-mini", StringComparison.Ordinal), f.Upstream.Requests.Last().Body);
        var id = response["id"]!.GetValue<string>();
        Assert.StartsWith("resp_fake", id, StringComparison.Ordinal);
        var (getStatus, stored, _) = await client.SendAsync(HttpMethod.Get, "/responses/" + id);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(id, JsonNode.Parse(stored)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_EventsRelayedByteForByte()
    {
        await using var f = await ProxyFixture.StartAsync();
        var events = OpenAiResponsesWire.Events("resp_scripted1", "gpt-4o",
            [OpenAiResponsesWire.Reasoning("rs_1", "Thinking it over.", "gAAAAupstream-opaque"), OpenAiResponsesWire.Message("msg_1", "Hello there, friend."),
             OpenAiResponsesWire.FunctionCall("fc_1", "call_1", "get_weather", """{"city":"Paris"}""")],
            OpenAiResponsesWire.Usage(30, 9, cached: 10, reasoning: 4));
        f.Upstream.ResponsesHandler = _ => new FakeReply.Events(events);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (raw, received) = await client.StreamAsync("""{"model":"gpt-4o","stream":true,"input":"Hi"}""");

        Assert.Equal(OpenAiResponsesWire.Sse(events), raw);
        Assert.Equal("gAAAAupstream-opaque", received[^1]["response"]!["output"]![0]!["encrypted_content"]!.GetValue<string>());
    }

    [Fact]
    public async Task PreviousResponseId_TheProxyNeverSaw_GoesUpstreamUntouched()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var direct = new ResponsesClient(new Uri(f.Upstream.ApiBase), f.Upstream.ApiKey);
        var (_, upstreamOnly) = await direct.CreateAsync("""{"model":"gpt-4o","input":"Remember 7."}""");
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, response) = await client.CreateAsync($$"""{"model":"gpt-4o","previous_response_id":"{{upstreamOnly["id"]}}","input":"Which number?"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(upstreamOnly["id"]!.GetValue<string>(), LastRequest(f)["previous_response_id"]!.GetValue<string>());
        Assert.Equal("Which number?", LastRequest(f)["input"]!.GetValue<string>());
        Assert.Equal(upstreamOnly["id"]!.GetValue<string>(), response["previous_response_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ItemReference_TheProxyNeverSaw_GoesUpstreamUntouched()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var direct = new ResponsesClient(new Uri(f.Upstream.ApiBase), f.Upstream.ApiKey);
        var (_, upstreamOnly) = await direct.CreateAsync("""{"model":"gpt-4o","input":"Remember 7."}""");
        var itemId = upstreamOnly["output"]![0]!["id"]!.GetValue<string>();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var body = $$"""{"model":"gpt-4o","input":[{"type":"item_reference","id":"{{itemId}}"},{"role":"user","content":"Which number?"}]}""";

        var (status, _) = await client.CreateAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(body, f.Upstream.Requests.Last().Body);
    }

    [Fact]
    public async Task PreviousResponseId_StoredByTheProxy_IsWrittenIn_AndStillEchoed()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var (_, first) = await client.CreateAsync("""{"model":"gpt-4o","input":"Remember 7.","store":true}""");
        var id = first["id"]!.GetValue<string>();
        // The upstream forgot it (another region, its own retention, or a conversation moved from another provider).
        var replay = $$"""{"model":"gpt-4o","previous_response_id":"{{id}}","input":"Which number?"}""";

        var (status, second) = await client.CreateAsync(replay.Replace("\"input\"", "\"store\":false,\"input\"", StringComparison.Ordinal));
        var (_, streamed) = await client.StreamAsync(replay.Replace("\"input\"", "\"stream\":true,\"input\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = LastRequest(f);
        Assert.Null(sent["previous_response_id"]);
        var input = sent["input"]!.AsArray();
        Assert.Equal(3, input.Count);
        Assert.Equal("user", input[0]!["role"]!.GetValue<string>());
        Assert.Contains("Remember 7.", input[0]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("message", input[1]!["type"]!.GetValue<string>());
        Assert.Equal("assistant", input[1]!["role"]!.GetValue<string>());
        Assert.Equal(id, second["previous_response_id"]!.GetValue<string>());
        Assert.All(streamed.Where(e => e["response"] is not null), e => Assert.Equal(id, e["response"]!["previous_response_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task StreamCutMidway_EndsInResponseFailed_WithTheItemsAlreadyDone()
    {
        await using var f = await ProxyFixture.StartAsync();
        var events = OpenAiResponsesWire.Events("resp_cut", "gpt-4o",
            [OpenAiResponsesWire.Message("msg_a", "First part."), OpenAiResponsesWire.Message("msg_b", "Second part never ends.")]);
        var cutAt = events.FindIndex(e => e["type"]!.GetValue<string>() == "response.output_text.delta" && e["item_id"]!.GetValue<string>() == "msg_b");
        f.Upstream.ResponsesHandler = _ => new FakeReply.Events(events.Take(cutAt + 1).ToList());
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, received) = await client.StreamAsync("""{"model":"gpt-4o","stream":true,"input":"Hi"}""");

        var last = received[^1];
        Assert.Equal("response.failed", last["type"]!.GetValue<string>());
        Assert.Equal(cutAt + 1, last["sequence_number"]!.GetValue<int>());
        Assert.Equal("failed", last["response"]!["status"]!.GetValue<string>());
        Assert.Equal("msg_a", Assert.Single(last["response"]!["output"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.DoesNotContain(received, e => e["type"]!.GetValue<string>() == "response.completed");
    }

    [Fact]
    public async Task UpstreamErrorEventMidStream_KeepsItsCode()
    {
        await using var f = await ProxyFixture.StartAsync();
        var events = OpenAiResponsesWire.Events("resp_err", "gpt-4o", [OpenAiResponsesWire.Message("msg_a", "Partial")]);
        var error = new JsonObject { ["type"] = "error", ["sequence_number"] = 4, ["code"] = "rate_limit_exceeded", ["message"] = "Rate limit reached. Please try again in 2s.", ["param"] = null };
        f.Upstream.ResponsesHandler = _ => new FakeReply.Events([.. events.Take(4), error]);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, received) = await client.StreamAsync("""{"model":"gpt-4o","stream":true,"input":"Hi"}""");

        var last = received[^1];
        Assert.Equal("response.failed", last["type"]!.GetValue<string>());
        Assert.Equal("rate_limit_exceeded", last["response"]!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("try again in 2s", last["response"]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamRefusals_BeforeTheFirstByte_AreOpenAiErrors_WithoutTheProviderKey()
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.ResponsesHandler = _ => new FakeReply.Error(429, "Rate limit reached for gpt-4o.", "requests", "rate_limit_exceeded",
            new Dictionary<string, string> { ["retry-after"] = "3" });
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, body, response) = await client.SendAsync(HttpMethod.Post, "/responses", """{"model":"gpt-4o","input":"Hi"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("rate_limit_exceeded", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain(f.Upstream.ApiKey, body, StringComparison.Ordinal);

        // The real API's own validation, relayed: an unknown parameter is the API's 400, not a proxy guess.
        f.Upstream.ResponsesHandler = _ => FakeReply.Default;
        var (badStatus, badBody, _) = await client.SendAsync(HttpMethod.Post, "/responses", """{"model":"gpt-4o","input":"Hi","temperature":"hot"}""");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(JsonNode.Parse(badBody)!["error"]!["message"]);
    }
}
