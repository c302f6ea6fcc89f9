using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.Gemini;
using OaiProxy.Testing.Gemini;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>
/// <c>/v1/responses</c> in front of Gemini: the request is translated through chat's mapping into
/// <c>generateContent</c>; thoughts come back as reasoning items whose thought signatures travel sealed in
/// <c>encrypted_content</c> (call signatures in the call ids) and reach Gemini again on the parts they came on, which
/// a Gemini 3 model requires in a tool loop. Every assertion on translation reads what the fake Gemini received.
/// </summary>
public sealed class ResponsesGeminiUpstreamTests
{
    private const string Flash = "gemini-2.5-flash";
    private const string Pro3 = "gemini-3-pro-preview";
    private const string ThoughtSignature = "dGhvdWdodC1zaWduYXR1cmUtMQ==";
    private const string CallSignature = "Y2FsbC1zaWduYXR1cmUtMQ==";
    private const string Thought = "I should look the weather up.";

    private const string WeatherTool = """
        {"type":"function","name":"get_weather","description":"Weather.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}
        """;

    private static JsonObject[] ThoughtThenCall() =>
        [GeminiWire.Thought(Thought, ThoughtSignature), GeminiWire.Call("get_weather", new JsonObject { ["city"] = "Paris" }, signature: CallSignature)];

    private static GeminiRecordedRequest Sent(GeminiFixture f) => f.Upstream.Requests.Last();

    private static JsonArray ModelParts(GeminiRecordedRequest request) => request.Contents.Last(c => c!["role"]!.GetValue<string>() == "model")!["parts"]!.AsArray();

    [Fact]
    public async Task Json_TextAnswer_InstructionsAndSamplingReachGemini()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Text("Hello there.")], Usage: GeminiWire.Usage(11, 3));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, response) = await client.CreateAsync($$"""{"model":"{{Flash}}","instructions":"Be brief.","input":"Hi","temperature":0.2,"top_p":0.9,"max_output_tokens":64}""");

        Assert.True(status == HttpStatusCode.OK, response.ToJsonString());
        Assert.Equal("completed", response["status"]!.GetValue<string>());
        Assert.Equal("Hello there.", response["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(11, response["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(3, response["usage"]!["output_tokens"]!.GetValue<int>());
        var sent = Sent(f);
        Assert.Equal($"/v1beta/models/{Flash}:generateContent", sent.Path);
        Assert.Equal("Be brief.", sent.Json["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("""[{"role":"user","parts":[{"text":"Hi"}]}]""", sent.Contents.ToJsonString());
        Assert.Equal("""{"temperature":0.2,"topP":0.9,"maxOutputTokens":64}""", sent.GenerationConfig!.ToJsonString());
    }

    [Fact]
    public async Task Stream_TextAnswer_IsTranslatedEventByEvent()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Stream(GeminiWire.TextStream("Hello there, friend."));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, events) = await client.StreamAsync($$"""{"model":"{{Flash}}","stream":true,"input":"Hi"}""");

        var deltas = events.Where(e => e["type"]!.GetValue<string>() == "response.output_text.delta").Select(e => e["delta"]!.GetValue<string>()).ToList();
        Assert.Equal(["Hello", " there,", " friend."], deltas);
        var terminal = events[^1];
        Assert.Equal("response.completed", terminal["type"]!.GetValue<string>());
        Assert.Equal("Hello there, friend.", terminal["response"]!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(9, terminal["response"]!["usage"]!["input_tokens"]!.GetValue<int>());
        var sent = Sent(f);
        Assert.True(sent.Stream);
        Assert.Equal("?alt=sse", sent.Query);
    }

    [Fact]
    public async Task FunctionCall_TwoTurnsWithPreviousResponseId_ReplaysTheSignedCallAndNamesTheResult()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Call("get_weather", new JsonObject { ["city"] = "Paris" }, signature: CallSignature)], ResponseId: "resp-call");
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, first) = await client.CreateAsync($$"""{"model":"{{Pro3}}","input":"Weather in Paris?","tools":[{{WeatherTool}}],"tool_choice":"required"}""");

        Assert.True(status == HttpStatusCode.OK, first.ToJsonString());
        var call = Assert.Single(first["output"]!.AsArray())!;
        Assert.Equal("function_call", call["type"]!.GetValue<string>());
        Assert.Equal("get_weather", call["name"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", call["arguments"]!.GetValue<string>());
        var declared = Sent(f).Json["tools"]![0]!["functionDeclarations"]![0]!;
        Assert.Equal("get_weather", declared["name"]!.GetValue<string>());
        Assert.Null(declared["parameters"]!["additionalProperties"]);
        Assert.Equal("""{"functionCallingConfig":{"mode":"ANY"}}""", Sent(f).Json["toolConfig"]!.ToJsonString());

        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Text("Sunny, 22C.")], ResponseId: "resp-answer");
        var (status2, second) = await client.CreateAsync($$"""{"model":"{{Pro3}}","previous_response_id":"{{first["id"]}}","input":[{"type":"function_call_output","call_id":"{{call["call_id"]}}","output":"{\"celsius\":22}"}],"tools":[{{WeatherTool}}]}""");

        Assert.True(status2 == HttpStatusCode.OK, second.ToJsonString());
        Assert.Equal("Sunny, 22C.", second["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(first["id"]!.GetValue<string>(), second["previous_response_id"]!.GetValue<string>());
        var contents = Sent(f).Contents;
        Assert.Equal(3, contents.Count);
        Assert.Equal("Weather in Paris?", contents[0]!["parts"]![0]!["text"]!.GetValue<string>());
        var replayed = Assert.Single(contents[1]!["parts"]!.AsArray())!;
        Assert.Equal("""{"name":"get_weather","args":{"city":"Paris"}}""", replayed["functionCall"]!.ToJsonString());
        Assert.Equal(CallSignature, replayed["thoughtSignature"]!.GetValue<string>());
        Assert.Equal("""{"functionResponse":{"name":"get_weather","response":{"celsius":22}}}""", contents[2]!["parts"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task Json_ThoughtsAndCall_ReplayedStateless_ReachGeminiSignedOnTheirParts()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Content(ThoughtThenCall(), Usage: GeminiWire.Usage(40, 10, thoughts: 20));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        const string Turn1Input = """[{"type":"message","role":"user","content":"Weather in Paris?"}]""";

        var (status, first) = await client.CreateAsync($$"""{"model":"{{Pro3}}","input":{{Turn1Input}},"tools":[{{WeatherTool}}],"reasoning":{"effort":"low","summary":"auto"},"store":false,"include":["reasoning.encrypted_content"]}""");

        Assert.True(status == HttpStatusCode.OK, first.ToJsonString());
        Assert.Equal("""{"thinkingLevel":"LOW","includeThoughts":true}""", Sent(f).GenerationConfig!["thinkingConfig"]!.ToJsonString());
        var output = first["output"]!.AsArray();
        Assert.Equal(["reasoning", "function_call"], output.Select(i => i!["type"]!.GetValue<string>()));
        Assert.StartsWith("rs_", output[0]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Thought, output[0]!["summary"]![0]!["text"]!.GetValue<string>());
        var sealedState = output[0]!["encrypted_content"]!.GetValue<string>();
        Assert.StartsWith("oaip1.", sealedState, StringComparison.Ordinal);
        Assert.DoesNotContain(ThoughtSignature, sealedState, StringComparison.Ordinal);
        Assert.Equal(20, first["usage"]!["output_tokens_details"]!["reasoning_tokens"]!.GetValue<int>());

        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Text("It is sunny in Paris.")]);
        var replay = JsonNode.Parse(Turn1Input)!.AsArray();
        foreach (var item in output) replay.Add(item!.DeepClone());
        replay.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = output[1]!["call_id"]!.DeepClone(), ["output"] = "22C, sunny" });

        var (status2, second) = await client.CreateAsync($$"""{"model":"{{Pro3}}","input":{{replay.ToJsonString()}},"tools":[{{WeatherTool}}],"reasoning":{"effort":"low"},"store":false}""");

        Assert.True(status2 == HttpStatusCode.OK, second.ToJsonString());
        Assert.Equal("It is sunny in Paris.", second["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var parts = ModelParts(Sent(f));
        Assert.Equal($$"""{"text":"{{Thought}}","thought":true,"thoughtSignature":"{{ThoughtSignature}}"}""", parts[0]!.ToJsonString());
        Assert.Equal(CallSignature, parts[1]!["thoughtSignature"]!.GetValue<string>());
        Assert.Equal(2, parts.Count);
        Assert.Equal("get_weather", Sent(f).Contents.Last()!["parts"]![0]!["functionResponse"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_ThoughtsAndCall_ThenPreviousResponseId_KeepsTheSignedThought()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Content(ThoughtThenCall(), Usage: GeminiWire.Usage(40, 10, thoughts: 20));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, events) = await client.StreamAsync($$"""{"model":"{{Pro3}}","stream":true,"input":"Weather in Paris?","tools":[{{WeatherTool}}],"reasoning":{"effort":"high"} }""");

        var types = events.Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.Equal(Thought, events.Single(e => e["type"]!.GetValue<string>() == "response.reasoning_summary_text.delta")["delta"]!.GetValue<string>());
        Assert.True(types.IndexOf("response.reasoning_summary_text.done") < types.IndexOf("response.function_call_arguments.delta"));
        var terminal = events[^1]["response"]!.AsObject();
        Assert.Equal("completed", terminal["status"]!.GetValue<string>());
        var reasoning = terminal["output"]![0]!;
        Assert.Equal("reasoning", reasoning["type"]!.GetValue<string>());
        Assert.Equal(Thought, reasoning["summary"]![0]!["text"]!.GetValue<string>());
        var callId = terminal["output"]![1]!["call_id"]!.GetValue<string>();

        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Text("Sunny.")]);
        var (_, next) = await client.StreamAsync($$"""{"model":"{{Pro3}}","stream":true,"previous_response_id":"{{terminal["id"]}}","input":[{"type":"function_call_output","call_id":"{{callId}}","output":"22C"}],"tools":[{{WeatherTool}}],"reasoning":{"effort":"high"} }""");

        Assert.Equal("response.completed", next[^1]["type"]!.GetValue<string>());
        Assert.Equal("Sunny.", next[^1]["response"]!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var parts = ModelParts(Sent(f));
        Assert.Equal(ThoughtSignature, parts[0]!["thoughtSignature"]!.GetValue<string>());
        Assert.True(parts[0]!["thought"]!.GetValue<bool>());
        Assert.Equal(CallSignature, parts[1]!["thoughtSignature"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignedTextAnswer_SignatureGoesBackOnTheText()
    {
        await using var f = await GeminiFixture.StartAsync();
        // Gemini 3 signs the last part of a text answer, even without thought summaries.
        f.Upstream.Handler = _ => new GeminiReply.Content([new JsonObject { ["text"] = "Paris is in France.", ["thoughtSignature"] = ThoughtSignature }]);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, first) = await client.CreateAsync($$"""{"model":"{{Pro3}}","input":"Where is Paris?"}""");

        Assert.True(status == HttpStatusCode.OK, first.ToJsonString());
        Assert.Equal(["reasoning", "message"], first["output"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()));
        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Text("About 2 million.")]);
        var (status2, _) = await client.CreateAsync($$"""{"model":"{{Pro3}}","previous_response_id":"{{first["id"]}}","input":"How many live there?"}""");

        Assert.Equal(HttpStatusCode.OK, status2);
        Assert.Equal($$"""[{"text":"Paris is in France.","thoughtSignature":"{{ThoughtSignature}}"}]""", ModelParts(Sent(f)).ToJsonString());
    }

    [Fact]
    public async Task InputImage_DataUrl_IsSentAsInlineData()
    {
        await using var f = await GeminiFixture.StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var dataUrl = "data:image/png;base64," + Convert.ToBase64String(LoopbackImages.Png);

        var (status, response) = await client.CreateAsync($$"""{"model":"{{Flash}}","input":[{"role":"user","content":[{"type":"input_text","text":"What is this?"},{"type":"input_image","image_url":"{{dataUrl}}","detail":"low"}]}]}""");

        Assert.True(status == HttpStatusCode.OK, response.ToJsonString());
        var parts = Sent(f).Contents[0]!["parts"]!.AsArray();
        Assert.Equal("What is this?", parts[0]!["text"]!.GetValue<string>());
        Assert.Equal($$"""{"mimeType":"image/png","data":"{{Convert.ToBase64String(LoopbackImages.Png)}}"}""", parts[1]!["inlineData"]!.ToJsonString());
    }

    [Fact]
    public async Task InputImage_RemoteUrl_IsDownloadedByTheProxyAndSentInline()
    {
        await using var f = await GeminiFixture.StartAsync("allow_private_image_urls = true\nallow_http_image_urls = true", images: true);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, response) = await client.CreateAsync($$"""{"model":"{{Flash}}","input":[{"role":"user","content":[{"type":"input_image","image_url":"{{new Uri(f.Images!.Address, "/cat.png")}}"}]}]}""");

        Assert.True(status == HttpStatusCode.OK, response.ToJsonString());
        Assert.Equal(1, f.Images.Downloads);
        var inline = Sent(f).Contents[0]!["parts"]![0]!["inlineData"]!;
        Assert.Equal("image/png", inline["mimeType"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(LoopbackImages.Png), inline["data"]!.GetValue<string>());
    }

    [Fact]
    public async Task InputImage_PrivateUrl_IsRefusedBeforeGeminiByDefault()
    {
        await using var f = await GeminiFixture.StartAsync("allow_http_image_urls = true", images: true);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, error) = await client.CreateAsync($$"""{"model":"{{Flash}}","input":[{"role":"user","content":[{"type":"input_image","image_url":"{{new Uri(f.Images!.Address, "/cat.png")}}"}]}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Contains("loopback or private", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(f.Upstream.Requests);
        Assert.Equal(0, f.Images.Downloads);
    }

    [Fact]
    public async Task InputFileAndAudio_AreSentInline_AndAnUploadedFileIsRefused()
    {
        await using var f = await GeminiFixture.StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        var pdf = Convert.ToBase64String("%PDF-1.4 tiny"u8.ToArray());
        var wav = Convert.ToBase64String("RIFF....WAVE"u8.ToArray());

        var (status, response) = await client.CreateAsync($$"""
            {"model":"{{Flash}}","input":[{"role":"user","content":[{"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,{{pdf}}"},
             {"type":"input_audio","input_audio":{"data":"{{wav}}","format":"wav"} }]}]}
            """);

        Assert.True(status == HttpStatusCode.OK, response.ToJsonString());
        var parts = Sent(f).Contents[0]!["parts"]!.AsArray();
        Assert.Equal($$"""{"mimeType":"application/pdf","data":"{{pdf}}"}""", parts[0]!["inlineData"]!.ToJsonString());
        Assert.Equal($$"""{"mimeType":"audio/wav","data":"{{wav}}"}""", parts[1]!["inlineData"]!.ToJsonString());

        var (refused, error) = await client.CreateAsync($$"""{"model":"{{Flash}}","input":[{"role":"user","content":[{"type":"input_file","file_id":"file-abc"}]}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("input[0].content", error["error"]!["param"]!.GetValue<string>());
        Assert.Single(f.Upstream.Requests);
    }

    [Fact]
    public async Task TextFormatJsonSchema_BecomesResponseSchemaWithJsonMimeType()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Text("""{"city":"Paris","celsius":21}""")]);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, response) = await client.CreateAsync($$"""
            {"model":"{{Flash}}","input":"Weather as JSON.","text":{"format":{"type":"json_schema","name":"weather","strict":true,
             "schema":{"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":["integer","null"]} },"required":["city","celsius"],"additionalProperties":false} } } }
            """);

        Assert.True(status == HttpStatusCode.OK, response.ToJsonString());
        Assert.Equal("""{"city":"Paris","celsius":21}""", response["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("json_schema", response["text"]!["format"]!["type"]!.GetValue<string>());
        var config = Sent(f).GenerationConfig!;
        Assert.Equal("application/json", config["responseMimeType"]!.GetValue<string>());
        var schema = config["responseSchema"]!;
        Assert.Null(schema["additionalProperties"]);
        Assert.Equal("""["city","celsius"]""", schema["required"]!.ToJsonString());
        Assert.Equal("""["city","celsius"]""", schema["propertyOrdering"]!.ToJsonString());
        Assert.True(schema["properties"]!["celsius"]!["nullable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TextFormatJsonObject_BecomesJsonMimeTypeOnly()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Text("""{"ok":true}""")]);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, _) = await client.CreateAsync($$"""{"model":"{{Flash}}","input":"JSON please.","text":{"format":{"type":"json_object"} } }""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"responseMimeType":"application/json"}""", Sent(f).GenerationConfig!.ToJsonString());
    }

    [Fact]
    public async Task MalformedReplayedCall_IsA400NamingTheInputItem()
    {
        await using var f = await GeminiFixture.StartAsync();
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, error) = await client.CreateAsync($$"""
            {"model":"{{Flash}}","tools":[{{WeatherTool}}],"input":[{"role":"user","content":"Weather?"},
             {"type":"function_call","call_id":"c1","name":"get_weather","arguments":"not json"},{"type":"function_call_output","call_id":"c1","output":"sunny"}]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("input[1].tool_calls[0].function.arguments", error["error"]!["param"]!.GetValue<string>());
        Assert.StartsWith("'input[1].tool_calls[0].function.arguments' must be a JSON object", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(f.Upstream.Requests);
    }

    [Fact]
    public async Task UpstreamErrorsBeforeTheFirstByte_AreResponsesErrorsWithTheirStatus()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for metric generate_content_free_tier_requests.",
            new JsonArray(GeminiWire.RetryInfo("37s")));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, body, message) = await client.SendAsync(HttpMethod.Post, "/responses", $$"""{"model":"{{Flash}}","input":"Hi"}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("37", message.Headers.GetValues("Retry-After").Single());
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal("rate_limit_error", error["type"]!.GetValue<string>());
        Assert.Contains("Quota exceeded", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(f.Upstream.ApiKey, body, StringComparison.Ordinal);

        f.Upstream.Handler = _ => new GeminiReply.Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
        var (status2, unavailable) = await client.CreateAsync($$"""{"model":"{{Flash}}","stream":true,"input":"Hi"}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status2);
        Assert.Contains("overloaded", unavailable["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        f.Upstream.Handler = _ => new GeminiReply.Error(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");
        var (status3, invalid) = await client.CreateAsync($$"""{"model":"{{Flash}}","input":"Hi"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status3);
        Assert.Equal("invalid_request_error", invalid["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task MidStreamFailure_IsOneResponseFailedCarryingWhatWasRelayed()
    {
        await using var f = await GeminiFixture.StartAsync();
        var events = GeminiWire.TextStream("Partial answer then trouble");
        f.Upstream.Handler = _ => new GeminiReply.Stream([.. events.Take(2), GeminiWire.ErrorBody(503, "UNAVAILABLE", "The model is overloaded.").ToJsonString()]);
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, streamed) = await client.StreamAsync($$"""{"model":"{{Flash}}","stream":true,"input":"Hi"}""");

        var last = streamed[^1];
        Assert.Equal("response.failed", last["type"]!.GetValue<string>());
        Assert.Equal("failed", last["response"]!["status"]!.GetValue<string>());
        Assert.Contains("overloaded", last["response"]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Partial answer", last["response"]!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Single(streamed, e => e["type"]!.GetValue<string>() is "response.completed" or "response.failed" or "response.incomplete");

        // A stream that ends without a finish reason is cut, never complete.
        f.Upstream.Handler = _ => new GeminiReply.Stream([.. events.Take(2)]);
        var (_, cut) = await client.StreamAsync($$"""{"model":"{{Flash}}","stream":true,"input":"Hi"}""");

        Assert.Equal("response.failed", cut[^1]["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task BlockedPrompt_IsAnIncompleteResponseForContentFilter()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Response(GeminiWire.Blocked());
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, response) = await client.CreateAsync($$"""{"model":"{{Flash}}","input":"Something blocked"}""");

        Assert.True(status == HttpStatusCode.OK, response.ToJsonString());
        Assert.Equal("incomplete", response["status"]!.GetValue<string>());
        Assert.Equal("content_filter", response["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Empty(response["output"]!.AsArray());
    }

    [Fact]
    public async Task MaxTokens_IsAnIncompleteResponse_JsonAndStream()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Content([GeminiWire.Text("Cut sh")], "MAX_TOKENS");
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, response) = await client.CreateAsync($$"""{"model":"{{Flash}}","input":"Write a lot","max_output_tokens":16}""");

        Assert.Equal("incomplete", response["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", response["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal("Cut sh", response["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(16, Sent(f).GenerationConfig!["maxOutputTokens"]!.GetValue<int>());

        var (_, events) = await client.StreamAsync($$"""{"model":"{{Flash}}","stream":true,"input":"Write a lot","max_output_tokens":16}""");

        Assert.Equal("response.incomplete", events[^1]["type"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", events[^1]["response"]!["incomplete_details"]!["reason"]!.GetValue<string>());
    }
}
