using System.Text.Json.Nodes;
using OaiProxy.Testing.Anthropic;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Anthropic;

public sealed class AnthropicChatTests
{
    [Fact]
    public async Task Chat_Plain_TranslatedBothWaysWithRealIdModelAndUsage()
    {
        await using var f = await AnthropicFixture.StartAsync();

        ChatCompletion completion = await f.Chat().CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hi")]);

        Assert.Equal("Hello from claude-sonnet-4-5!", completion.Content[0].Text);
        Assert.StartsWith("msg_fake", completion.Id);
        Assert.Equal("claude-sonnet-4-5", completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(12, completion.Usage.InputTokenCount);
        Assert.Equal(6, completion.Usage.OutputTokenCount);
        Assert.True(completion.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(f.Upstream.ApiKey, sent.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        Assert.Equal("prompt-caching-2024-07-31", sent.Headers["anthropic-beta"]);
        Assert.False(sent.Headers.ContainsKey("authorization"));
        Assert.Equal("Be brief.", sent.Json["system"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(64000, sent.Json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Chat_Streaming_TextDeltasFinishReasonAndUsage()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Content([AnthropicWire.Text("One two three four.")], Usage: AnthropicWire.Usage(input: 30, output: 9, cacheRead: 100));

        var text = "";
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in f.Chat().CompleteChatStreamingAsync([new UserChatMessage("Count")]))
        {
            foreach (var part in update.ContentUpdate) text += part.Text;
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("One two three four.", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(130, usage.InputTokenCount);
        Assert.Equal(100, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(9, usage.OutputTokenCount);
        Assert.True(Assert.Single(f.Upstream.Requests).Stream);
    }

    [Fact]
    public async Task Chat_MultiTurnToolUse_CallResultAnswer()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = r => r.Json["messages"]!.AsArray().Count == 1
            ? new AnthropicReply.Content([AnthropicWire.Text("Let me check."), AnthropicWire.ToolUse("toolu_01A09q90qw90lq917835lq9", "get_weather", new JsonObject { ["city"] = "Paris" })], "tool_use")
            : new AnthropicReply.Content([AnthropicWire.Text("It is 21C and sunny in Paris.")]);
        var tool = ChatTool.CreateFunctionTool("get_weather", "Current weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await f.Chat().CompleteChatAsync(messages, options);
        messages.Add(new AssistantChatMessage(first));
        var call = Assert.Single(first.ToolCalls);
        messages.Add(new ToolChatMessage(call.Id, "21C sunny"));
        ChatCompletion second = await f.Chat().CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal("Let me check.", first.Content[0].Text);
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
        Assert.Equal("It is 21C and sunny in Paris.", second.Content[0].Text);
        var sent = f.Upstream.Requests.Last().Json["messages"]!;
        JsonAssert("""
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
             {"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"21C sunny"}]}]
            """, sent);
    }

    [Fact]
    public async Task Chat_ParallelToolCallsStreamed_IdsNamesAndArgumentsReassembledExactly()
    {
        await using var f = await AnthropicFixture.StartAsync();
        var message = AnthropicWire.Message("msg_parallel", AnthropicWire.Model,
        [
            AnthropicWire.Thinking("Two cities, two calls."),
            AnthropicWire.Text("Checking both."),
            AnthropicWire.ToolUse("toolu_Paris01", "get_weather", new JsonObject { ["city"] = "Paris", ["unit"] = "celsius" }),
            AnthropicWire.ToolUse("toolu_Rome02", "get_time", new JsonObject { ["zone"] = "Europe/Rome" }),
            AnthropicWire.ToolUse("toolu_Now03", "get_clock", []),
        ], "tool_use");
        f.Upstream.Handler = _ => new AnthropicReply.Stream(AnthropicWire.Events(message, fragment: 3), PieceSize: 7);

        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var args = new Dictionary<int, string>();
        ChatFinishReason? finish = null;
        await foreach (var update in f.Chat().CompleteChatStreamingAsync([new UserChatMessage("Weather in Paris, time in Rome?")],
                           new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather"), ChatTool.CreateFunctionTool("get_time"), ChatTool.CreateFunctionTool("get_clock") } }))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.ToolCallId is not null) ids.Add(call.Index, call.ToolCallId);
                if (call.FunctionName is not null) names.Add(call.Index, call.FunctionName);
                args[call.Index] = args.GetValueOrDefault(call.Index, "") + call.FunctionArgumentsUpdate?.ToString();
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(["toolu_Paris01", "toolu_Rome02", "toolu_Now03"], ids.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal(["get_weather", "get_time", "get_clock"], names.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Equal("""{"city":"Paris","unit":"celsius"}""", args[0]);
        Assert.Equal("""{"zone":"Europe/Rome"}""", args[1]);
        Assert.Equal("{}", args[2]);
    }

    [Fact]
    public async Task Chat_Image_DataAndHttpsUrlsBecomeImageSources()
    {
        await using var f = await AnthropicFixture.StartAsync();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        ChatCompletion completion = await f.Chat().CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in these?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.jpg"), ChatImageDetailLevel.High))]);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        JsonAssert($$$"""
            [{"type":"text","text":"What is in these?"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{Convert.ToBase64String(png)}}}"}},
             {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]
            """, Assert.Single(f.Upstream.Requests).Json["messages"]![0]!["content"]);
    }

    [Fact]
    public async Task Chat_JsonSchemaResponseFormat_NativeOutputFormatAndJsonContent()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Content([AnthropicWire.Text("""{"name":"Ada"}""")]);
        var schema = BinaryData.FromString("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}""");

        ChatCompletion completion = await f.Chat().CompleteChatAsync([new UserChatMessage("Who wrote the first program?")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("person", schema, jsonSchemaIsStrict: true) });

        Assert.Equal("Ada", JsonNode.Parse(completion.Content[0].Text)!["name"]!.GetValue<string>());
        JsonAssert($$$"""{"format":{"type":"json_schema","schema":{{{schema}}}}}""", Assert.Single(f.Upstream.Requests).Json["output_config"]);
    }

    public static TheoryData<string, string, bool> FinishReasons() => new()
    {
        { "end_turn", "stop", false }, { "stop_sequence", "stop", false }, { "max_tokens", "length", false },
        { "tool_use", "tool_calls", false }, { "refusal", "content_filter", false },
        { "end_turn", "stop", true }, { "stop_sequence", "stop", true }, { "max_tokens", "length", true },
        { "tool_use", "tool_calls", true }, { "refusal", "content_filter", true },
    };

    [Theory]
    [MemberData(nameof(FinishReasons))]
    public async Task Chat_EveryStopReason_ReachesClientAsFinishReason(string stopReason, string expected, bool stream)
    {
        await using var f = await AnthropicFixture.StartAsync();
        List<JsonObject> blocks = stopReason == "tool_use"
            ? [AnthropicWire.ToolUse("toolu_1", "f", [])]
            : [AnthropicWire.Text("Partial answ")];
        f.Upstream.Handler = _ => new AnthropicReply.Content(blocks, stopReason, StopSequence: stopReason == "stop_sequence" ? "END" : null);
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("f") }, StopSequences = { "END" } };

        ChatFinishReason? finish = null;
        if (stream)
        {
            await foreach (var update in f.Chat().CompleteChatStreamingAsync([new UserChatMessage("Go")], options)) finish ??= update.FinishReason;
        }
        else
        {
            finish = (await f.Chat().CompleteChatAsync([new UserChatMessage("Go")], options)).Value.FinishReason;
        }

        var expectedReason = expected switch
        {
            "stop" => ChatFinishReason.Stop,
            "length" => ChatFinishReason.Length,
            "tool_calls" => ChatFinishReason.ToolCalls,
            _ => ChatFinishReason.ContentFilter,
        };
        Assert.Equal(expectedReason, finish);
        Assert.Equal("END", Assert.Single(f.Upstream.Requests).Json["stop_sequences"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_ParameterAnthropicCannotHonour_400NamingIt()
    {
        await using var f = await AnthropicFixture.StartAsync();
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"claude-sonnet-4-5","n":2,"messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("n", error["param"]!.GetValue<string>());
        Assert.Equal("unsupported_parameter", error["code"]!.GetValue<string>());
        Assert.Empty(f.Upstream.Requests);
    }

    [Fact]
    public async Task Models_ExpandWildcards_ListsUpstreamModelsAcrossPages()
    {
        await using var f = await AnthropicFixture.StartAsync(u => AnthropicFixture.Config(u, top: "model_listing_mode = \"expand_wildcards\""));
        f.Upstream.ModelsPageSize = 1;
        using var http = f.Http();

        var json = JsonNode.Parse(await http.GetStringAsync("/v1/models"))!;

        var ids = json["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("claude-opus-4-1-20250805", ids);
        Assert.Contains("claude-sonnet-4-5-20250929", ids);
        Assert.Contains("claude-haiku-4-5-20251001", ids);
        var listRequests = f.Upstream.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Equal(3, listRequests.Count);
        Assert.All(listRequests, r => Assert.Equal("2023-06-01", r.Headers["anthropic-version"]));
        Assert.Contains("after_id=claude-opus-4-1-20250805", listRequests[1].Path, StringComparison.Ordinal);
    }

    internal static void JsonAssert(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, actual), $"Expected:\n{expectedNode!.ToJsonString()}\nActual:\n{actual?.ToJsonString()}");
    }
}
