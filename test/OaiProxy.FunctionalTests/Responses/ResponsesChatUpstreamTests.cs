using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>
/// <c>/v1/responses</c> against an OpenAI-compatible server that serves chat only (vLLM, Ollama, llama.cpp): every
/// request translated to chat and every answer back, state kept by the proxy.
/// </summary>
public sealed class ResponsesChatUpstreamTests
{
    private const string Tools = """
        [{"type":"function","name":"get_weather","description":"Weather.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true},
         {"type":"custom","name":"apply_patch","description":"Apply a patch.","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
         {"type":"namespace","name":"mcp__files","description":"Files.","tools":[{"type":"function","name":"read","parameters":{"type":"object","properties":{"path":{"type":"string"}}}}]},
         {"type":"web_search"}]
        """;

    private static Task<ProxyFixture> StartAsync() =>
        ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 0\nresponses_api = false"));

    private static JsonObject LastRequest(ProxyFixture f) => JsonNode.Parse(f.Upstream.Requests.Last().Body)!.AsObject();

    [Fact]
    public async Task Json_TextAnswer_IsACompleteResponseObject()
    {
        await using var f = await StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, response) = await client.CreateAsync("""{"model":"gpt-4o","instructions":"Be brief.","input":[{"role":"developer","content":"Use English."},{"role":"user","content":[{"type":"input_text","text":"Hi"}]}],"max_output_tokens":50,"temperature":0.3,"metadata":{"k":"v"},"include":["reasoning.encrypted_content"],"service_tier":"auto","text":{"verbosity":"low"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("resp_", response["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("completed", response["status"]!.GetValue<string>());
        Assert.Equal("Hello from gpt-4o!", response["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(7, response["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(0, response["usage"]!["output_tokens_details"]!["reasoning_tokens"]!.GetValue<int>());
        Assert.Equal("v", response["metadata"]!["k"]!.GetValue<string>());
        var sent = LastRequest(f);
        Assert.Equal(["system", "system", "user"], sent["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("Be brief.", sent["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(50, sent["max_completion_tokens"]!.GetValue<int>());
        Assert.Null(sent["include"]);
        Assert.Null(sent["service_tier"]);
    }

    [Fact]
    public async Task Stream_ToolCalls_BecomeFunctionCustomAndNamespacedItems_InOrder()
    {
        await using var f = await StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Stream(OpenAiWire.ToolCallStream("chatcmpl-t", "gpt-4o",
            [("call_1", "get_weather", """{"city":"Paris"}"""), ("call_2", "apply_patch", """{"input":"*** Begin Patch\n*** End Patch"}"""), ("call_3", "mcp__files__read", """{"path":"a.txt"}""")], includeUsage: true));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, events) = await client.StreamAsync($$"""{"model":"gpt-4o","stream":true,"input":"Do it","tools":{{Tools}},"tool_choice":"auto","parallel_tool_calls":true}""");

        Assert.Equal("response.created", events[0]["type"]!.GetValue<string>());
        Assert.Equal("response.in_progress", events[1]["type"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e["sequence_number"]!.GetValue<int>()));
        var done = events.Where(e => e["type"]!.GetValue<string>() == "response.output_item.done").Select(e => e["item"]!.AsObject()).ToList();
        Assert.Equal(["function_call", "custom_tool_call", "function_call"], done.Select(i => i["type"]!.GetValue<string>()));
        Assert.Equal("""{"city":"Paris"}""", done[0]["arguments"]!.GetValue<string>());
        Assert.Equal("*** Begin Patch\n*** End Patch", done[1]["input"]!.GetValue<string>());
        Assert.Equal("read", done[2]["name"]!.GetValue<string>());
        Assert.Equal("mcp__files", done[2]["namespace"]!.GetValue<string>());
        var terminal = events[^1];
        Assert.Equal("response.completed", terminal["type"]!.GetValue<string>());
        Assert.Equal(done.Select(i => i.ToJsonString()), terminal["response"]!["output"]!.AsArray().Select(i => i!.ToJsonString()));
        Assert.Equal(15, terminal["response"]!["usage"]!["output_tokens"]!.GetValue<int>());
        var tools = LastRequest(f)["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["get_weather", "apply_patch", "mcp__files__read"], tools);
        Assert.Equal("input", LastRequest(f)["tools"]![1]!["function"]!["parameters"]!["required"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task TwoTurnToolCall_WithPreviousResponseId_SendsTheWholeConversation()
    {
        await using var f = await StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Raw(200, OpenAiWire.Completion("chatcmpl-1", "gpt-4o", null, "tool_calls", new JsonArray(new JsonObject
        {
            ["id"] = "call_9", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = """{"city":"Oslo"}""" },
        })).ToJsonString());
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var (_, first) = await client.CreateAsync($$"""{"model":"gpt-4o","input":"Weather in Oslo?","tools":{{Tools}}}""");
        var call = first["output"]![0]!.AsObject();
        Assert.Equal("function_call", call["type"]!.GetValue<string>());
        Assert.Equal("call_9", call["call_id"]!.GetValue<string>());

        f.Upstream.Handler = _ => FakeReply.Default;
        var (status, second) = await client.CreateAsync($$"""{"model":"gpt-4o","previous_response_id":"{{first["id"]}}","input":[{"type":"function_call_output","call_id":"call_9","output":"Sunny"}],"tools":{{Tools}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(first["id"]!.GetValue<string>(), second["previous_response_id"]!.GetValue<string>());
        var messages = LastRequest(f)["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "tool"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("call_9", messages[1]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("Sunny", messages[2]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task StoredResponse_IsReadListedAndDeleted_ByItsKeyOnly()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "\n[groups.other]\napi_keys = [\"sk-other-key-0000\"]",
            "max_retries = 0\nresponses_api = false"));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        using var other = new ResponsesClient(f.Proxy.BaseUrl, "sk-other-key-0000");
        var (_, created) = await client.CreateAsync("""{"model":"gpt-4o","input":[{"type":"message","role":"user","content":"One"},{"type":"message","role":"user","content":"Two"}]}""");
        var id = created["id"]!.GetValue<string>();

        var (getStatus, body, _) = await client.SendAsync(HttpMethod.Get, "/responses/" + id);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(created.ToJsonString(), JsonNode.Parse(body)!.ToJsonString());
        var (_, items, _) = await client.SendAsync(HttpMethod.Get, $"/responses/{id}/input_items?order=asc");
        Assert.Equal(["One", "Two"], JsonNode.Parse(items)!["data"]!.AsArray().Select(i => i!["content"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Get, "/responses/" + id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SendAsync(HttpMethod.Delete, "/responses/" + id)).Status);
        var (continued, _) = await other.CreateAsync($$"""{"model":"gpt-4o","previous_response_id":"{{id}}","input":"Three"}""");
        Assert.Equal(HttpStatusCode.NotFound, continued);
        var reference = created["output"]![0]!["id"]!.GetValue<string>();
        var (referenced, error) = await other.CreateAsync($$"""{"model":"gpt-4o","input":[{"type":"item_reference","id":"{{reference}}"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, referenced);
        Assert.Equal("item_not_found", error["error"]!["code"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Delete, "/responses/" + id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, "/responses/" + id)).Status);
    }

    [Fact]
    public async Task ItemReference_ResolvesTheCallersOwnStoredItem()
    {
        await using var f = await StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var (_, first) = await client.CreateAsync("""{"model":"gpt-4o","input":"Hi"}""");
        var message = first["output"]![0]!["id"]!.GetValue<string>();

        var (status, _) = await client.CreateAsync($$"""{"model":"gpt-4o","input":[{"role":"user","content":"Hi"},{"type":"item_reference","id":"{{message}}"},{"role":"user","content":"More"}]}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var messages = LastRequest(f)["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("Hello from gpt-4o!", messages[1]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadInput_GetsClearErrors_AndNothingReachesTheUpstream()
    {
        await using var f = await StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var cases = new (string Body, HttpStatusCode Status, string Code)[]
        {
            ("""{"model":"gpt-4o","input":42}""", HttpStatusCode.BadRequest, "invalid_type"),
            ("""{"model":"gpt-4o","input":"x","previous_response_id":"resp_missing"}""", HttpStatusCode.NotFound, "previous_response_not_found"),
            ("""{"model":"gpt-4o","input":[{"type":"item_reference","id":"msg_missing"}]}""", HttpStatusCode.NotFound, "item_not_found"),
            ("""{"model":"gpt-4o","input":"x","background":true}""", HttpStatusCode.BadRequest, "unsupported_parameter"),
            ("""{"model":"gpt-4o","input":[{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"oaip1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},{"role":"user","content":"x"}]}""", HttpStatusCode.BadRequest, "invalid_encrypted_content"),
            ("""{"input":"x"}""", HttpStatusCode.BadRequest, "missing_required_parameter"),
        };
        foreach (var (body, status, code) in cases)
        {
            var (actual, error) = await client.CreateAsync(body);
            Assert.True(status == actual, body);
            Assert.Equal(code, error["error"]!["code"]!.GetValue<string>());
        }
        Assert.Empty(f.Upstream.Requests);
    }

    [Fact]
    public async Task ToolOutputImages_FollowTheirOwnToolMessages_BeforeTheNextCall()
    {
        await using var f = await StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        const string Image = "data:image/png;base64,iVBORw0KGgo=";

        var (status, _) = await client.CreateAsync("""
            {"model":"gpt-4o","input":[{"role":"user","content":"Take two screenshots."},
             {"type":"function_call","call_id":"call_1","name":"screenshot","arguments":"{}"},
             {"type":"function_call_output","call_id":"call_1","output":[{"type":"input_text","text":"first"},{"type":"input_image","image_url":"IMAGE"}]},
             {"type":"function_call","call_id":"call_2","name":"screenshot","arguments":"{}"},
             {"type":"function_call_output","call_id":"call_2","output":"second"}],
             "tools":[{"type":"function","name":"screenshot","parameters":{"type":"object","properties":{}}}]}
            """.Replace("IMAGE", Image, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, status);
        var messages = LastRequest(f)["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "tool", "user", "assistant", "tool"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(Image, messages[3]!["content"]![0]!["image_url"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task NamelessNamespace_LeavesNoEmptyToolsArray_AndAStoredPromptIsRefused()
    {
        await using var f = await StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, _) = await client.CreateAsync("""{"model":"gpt-4o","input":"Hi","tools":[{"type":"namespace","tools":[{"type":"function","name":"read"}]}],"tool_choice":"required"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = LastRequest(f);
        Assert.False(sent.ContainsKey("tools"));
        Assert.False(sent.ContainsKey("tool_choice"));
        var sentCount = f.Upstream.Requests.Count;

        var (refused, error) = await client.CreateAsync("""{"model":"gpt-4o","prompt":{"id":"pmpt_1","version":"2"},"input":"Hi"}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("unsupported_parameter", error["error"]!["code"]!.GetValue<string>());
        Assert.Equal("prompt", error["error"]!["param"]!.GetValue<string>());
        Assert.Equal(sentCount, f.Upstream.Requests.Count);
    }

    [Fact]
    public async Task UnknownItemsAndHostedTools_AreDroppedNotFatal()
    {
        await using var f = await StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, _) = await client.CreateAsync("""{"model":"gpt-4o","input":[{"type":"web_search_call","id":"ws_1","status":"completed"},{"type":"compaction","encrypted_content":"x"},{"role":"user","content":"Hi"}],"tools":[{"type":"web_search"},{"type":"image_generation"}],"tool_choice":{"type":"web_search"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = LastRequest(f);
        Assert.Single(sent["messages"]!.AsArray());
        Assert.Null(sent["tools"]);
        Assert.Null(sent["tool_choice"]);
    }

    [Fact]
    public async Task Stream_CutMidway_EndsInResponseFailed_NeverCompleted()
    {
        await using var f = await StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Stream(OpenAiWire.TextStream("chatcmpl-c", "gpt-4o", "one two three", includeUsage: false)[..2], SendDone: false);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, events) = await client.StreamAsync("""{"model":"gpt-4o","stream":true,"input":"Hi"}""");

        Assert.Equal("response.failed", events[^1]["type"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e["type"]!.GetValue<string>() == "response.completed");
        Assert.Equal("server_error", events[^1]["response"]!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task LengthStop_IsIncompleteWithMaxOutputTokens()
    {
        await using var f = await StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Raw(200, OpenAiWire.Completion("chatcmpl-l", "gpt-4o", "Cut", "length").ToJsonString());
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, response) = await client.CreateAsync("""{"model":"gpt-4o","input":"Hi","max_output_tokens":16}""");

        Assert.Equal("incomplete", response["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", response["incomplete_details"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task CompressedBodies_AreDecoded_AndABombIsRefused()
    {
        await using var f = await StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var body = System.Text.Encoding.UTF8.GetBytes("""{"model":"gpt-4o","input":"Compressed hello"}""");
        using var compressor = new ZstdSharp.Compressor();

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Post, "/responses", encoding: "zstd", raw: compressor.Wrap(body).ToArray())).Status);
        Assert.Contains("Compressed hello", f.Upstream.Requests.Last().Body, StringComparison.Ordinal);
        using var gzip = new MemoryStream();
        using (var stream = new System.IO.Compression.GZipStream(gzip, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) stream.Write(body);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Post, "/responses", encoding: "gzip", raw: gzip.ToArray())).Status);

        // 9 MiB of spaces inside the JSON compress to a few kilobytes and inflate past the 8 MiB limit.
        var bomb = System.Text.Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"input\":\"" + new string(' ', 9 * 1024 * 1024) + "\"}");
        var (status, error, _) = await client.SendAsync(HttpMethod.Post, "/responses", encoding: "zstd", raw: compressor.Wrap(bomb).ToArray());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("request_too_large", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.SendAsync(HttpMethod.Post, "/responses", encoding: "compress", raw: body)).Status);
    }

    [Fact]
    public async Task ThirtyMegabyteInput_IsRefusedWith413_AndNeverSentUpstream()
    {
        await using var f = await StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var huge = System.Text.Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":\"" + new string('x', 30 * 1024 * 1024) + "\"}]}");

        var (status, error, _) = await client.SendAsync(HttpMethod.Post, "/responses", raw: huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", JsonNode.Parse(error)!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(f.Upstream.Requests);
    }

    [Fact]
    public async Task WebSocketUpgrade_IsRefusedAtOnce_AndCompactIsAClearError()
    {
        await using var f = await StartAsync();
        using var http = new HttpClient();
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, f.Proxy.BaseUrl + "/responses");
        upgrade.Headers.Connection.Add("Upgrade");
        upgrade.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        upgrade.Headers.Add("Sec-WebSocket-Version", "13");
        upgrade.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        using var refused = await http.SendAsync(upgrade);
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, refused.StatusCode);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/responses/compact", """{"model":"gpt-4o","input":[]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("unsupported_endpoint", body, StringComparison.Ordinal);
    }
}
