using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Errors;
using OaiProxy.Providers.Gemini;
using OaiProxy.Requests;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GeminiRequestTranslatorTests
{
    private static async Task<string> TranslateAsync(string openAi, string model = "gemini-2.5-flash", JsonObject? defaults = null,
        GeminiContentsBuilder.ImageLoader? loader = null)
    {
        var load = loader ?? ((url, _, _) => throw new InvalidOperationException("No image fetch expected: " + url));
        if (defaults is null)
        {
            using var doc = JsonDocument.Parse(openAi);
            return (await GeminiRequestTranslator.TranslateAsync(doc.RootElement, model, load, CancellationToken.None)).ToJsonString();
        }
        // default_args reach a translator already applied, as the pipeline applies them for every provider.
        var withModel = JsonNode.Parse(openAi)!.AsObject();
        withModel["model"] ??= model;
        Assert.True(ChatRequestParser.TryParse(Encoding.UTF8.GetBytes(withModel.ToJsonString()), out var parsed, out var error), error?.Message);
        using var request = BodyRewriter.WithDefaults(parsed!, defaults);
        return (await GeminiRequestTranslator.TranslateAsync(request.Root, model, load, CancellationToken.None)).ToJsonString();
    }

    private static async Task<ProxyError> FailAsync(string openAi, string model = "gemini-2.5-flash")
    {
        var e = await Assert.ThrowsAsync<GeminiTranslationException>(() => TranslateAsync(openAi, model));
        return e.Error;
    }

    [Fact]
    public async Task Translate_ParallelToolRoundTrip_MatchesTheWorkedExample()
    {
        var signature = GeminiToolCallId.Create(null, "c2lnLTE=", "r1", 0, 0);
        var json = await TranslateAsync($$$"""
            {"model":"any","max_tokens":300,"stream":true,"stream_options":{"include_usage":true},
             "tool_choice":"auto","parallel_tool_calls":true,
             "tools":[{"type":"function","function":{"name":"get_weather",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false} } }],
             "messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"{{{signature}}}","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
              {"role":"tool","tool_call_id":"{{{signature}}}","content":"21C sunny"},
              {"role":"tool","tool_call_id":"call_2","content":"{\"temp_c\":25}"}]}
            """);

        Assert.Equal("""
            {"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2lnLTE="},{"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]},{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"21C sunny"}}},{"functionResponse":{"name":"get_weather","response":{"temp_c":25}}}]}],"tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}],"toolConfig":{"functionCallingConfig":{"mode":"AUTO"}},"generationConfig":{"maxOutputTokens":300}}
            """.Trim(), json);
    }

    [Fact]
    public async Task Translate_SystemAndDeveloperAnywhere_AreAllHoistedInOrder() => Assert.Equal(
        """{"systemInstruction":{"parts":[{"text":"One."},{"text":"Two.\nThree."},{"text":"Four."}]},"contents":[{"role":"user","parts":[{"text":"Hi"},{"text":"Again"}]}]}""",
        await TranslateAsync("""{"messages":[{"role":"system","content":"One."},{"role":"developer","content":[{"type":"text","text":"Two."},{"type":"text","text":"Three."}]},{"role":"user","content":"Hi"},{"role":"system","content":"Four."},{"role":"user","content":"Again"}]}"""));

    [Fact]
    public async Task Translate_Roles_AssistantBecomesModelAndSameRolesMerge() => Assert.Equal(
        """{"contents":[{"role":"user","parts":[{"text":"a"},{"text":"b"}]},{"role":"model","parts":[{"text":"c"},{"text":"d"}]},{"role":"user","parts":[{"text":"e"}]}]}""",
        await TranslateAsync("""{"messages":[{"role":"user","content":"a"},{"role":"user","content":[{"type":"text","text":"b"},{"type":"text","text":""}]},{"role":"assistant","content":"c"},{"role":"assistant","content":[{"type":"text","text":"d"}]},{"role":"assistant","content":""},{"role":"user","content":"e"}]}"""));

    [Theory]
    [InlineData("""{"messages":[{"role":"assistant","content":"Hello!"},{"role":"user","content":"Hi"}]}""",
        """{"contents":[{"role":"user","parts":[{"text":"Please continue."}]},{"role":"model","parts":[{"text":"Hello!"}]},{"role":"user","parts":[{"text":"Hi"}]}]}""")]
    [InlineData("""{"messages":[{"role":"system","content":"Only system."}]}""",
        """{"systemInstruction":{"parts":[{"text":"Only system."}]},"contents":[{"role":"user","parts":[{"text":"Please continue."}]}]}""")]
    public async Task Translate_ConversationNotOpenedByUser_GetsAPlaceholderTurn(string input, string expected) =>
        Assert.Equal(expected, await TranslateAsync(input));

    [Fact]
    public async Task Translate_MediaParts_BecomeInlineData() => Assert.Equal(
        """{"contents":[{"role":"user","parts":[{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},{"inlineData":{"mimeType":"audio/mp3","data":"SUQz"}},{"inlineData":{"mimeType":"application/pdf","data":"JVBERi0="}},{"inlineData":{"mimeType":"application/pdf","data":"JVBERi0x"}}]}]}""",
        await TranslateAsync("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;charset=x;base64,iVBORw0KGgo=","detail":"high"}},{"type":"input_audio","input_audio":{"data":"SUQz","format":"mp3"}},{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}},{"type":"file","file":{"filename":"a.pdf","file_data":"JVBERi0x"}}]}]}"""));

    [Fact]
    public async Task Translate_HttpsImage_IsLoadedThroughTheFetcher()
    {
        var asked = new List<(string Url, string Param)>();
        var json = await TranslateAsync("""{"messages":[{"role":"user","content":[{"type":"text","text":"What?"},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}""",
            loader: (url, param, _) =>
            {
                asked.Add((url, param));
                return ValueTask.FromResult(new GeminiMedia("image/jpeg", "/9j/"));
            });

        Assert.Equal([("https://example.com/cat.jpg", "messages[0].content[1].image_url.url")], asked);
        Assert.Contains("""{"inlineData":{"mimeType":"image/jpeg","data":"/9j/"}}""", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]}""", "messages[0].content[0].file")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"video","video":{}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:text/plain,hello"}}]}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:;base64,aGVsbG8gd29ybGQ="}}]}]}""", "messages[0].content[0].image_url.url")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"file","file":{"file_data":"data:;base64,aGVsbG8gd29ybGQ="}}]}]}""", "messages[0].content[0].file.file_data")]
    [InlineData("""{"messages":[{"role":"wizard","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":"x"},{"role":"tool","tool_call_id":"call_x","content":"r"}]}""", "messages[1].tool_call_id")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1]"}}]}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"custom","custom":{"name":"x"}}]}""", "tools[0].type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"reasoning_effort":"extreme"}""", "reasoning_effort")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"temperature":"hot"}""", "temperature")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"yaml"}}""", "response_format.type")]
    [InlineData("""{"model":"m"}""", "messages")]
    public async Task Translate_InexpressibleRequest_IsA400NamingTheParameter(string input, string param)
    {
        var error = await FailAsync(input);

        Assert.Equal(400, error.Status);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public async Task Translate_ToolCalls_ArgumentsParsedIdsAndSignaturesRecoveredTextFirst()
    {
        var withGeminiId = GeminiToolCallId.Create("fc-9", "c2ln", "r", 0, 0);
        var json = await TranslateAsync($$$"""
            {"messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":"Calling.","tool_calls":[
               {"id":"{{{withGeminiId}}}","type":"function","function":{"name":"a","arguments":""}},
               {"id":"call_plain","type":"function","function":{"name":"b","arguments":"  "}}]},
             {"role":"tool","tool_call_id":"call_plain","content":[{"type":"text","text":"[1,2]"}]},
             {"role":"tool","tool_call_id":"{{{withGeminiId}}}","content":"{\"ok\":true}"},
             {"role":"user","content":"thanks"}]}
            """);

        Assert.Equal(
            """{"contents":[{"role":"user","parts":[{"text":"go"}]},{"role":"model","parts":[{"text":"Calling."},{"functionCall":{"name":"a","args":{},"id":"fc-9"},"thoughtSignature":"c2ln"},{"functionCall":{"name":"b","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"b","response":{"output":"[1,2]"}}},{"functionResponse":{"name":"a","response":{"ok":true},"id":"fc-9"}},{"text":"thanks"}]}]}""",
            json);
    }

    [Fact]
    public async Task Translate_GeminiThinkingBlocks_GoBackOnTheirPartsAndOtherProvidersBlocksAreSkipped() => Assert.Equal(
        """{"contents":[{"role":"user","parts":[{"text":"go"}]},{"role":"model","parts":[{"text":"Plan.","thought":true,"thoughtSignature":"dGgtc2ln"},{"text":"Done.","thoughtSignature":"dHgtc2ln"}]},{"role":"user","parts":[{"text":"more"}]}]}""",
        await TranslateAsync("""
            {"messages":[{"role":"user","content":"go"},
             {"role":"assistant","content":"Done.","reasoning_content":"Plan.","thinking_blocks":[
               {"type":"thinking","thinking":"Anthropic's","signature":"YW50aHJvcGlj"},
               {"type":"gemini_thought","thinking":"Plan.","signature":"dGgtc2ln"},
               {"type":"gemini_thought","signature":"dHgtc2ln"}]},
             {"role":"user","content":"more"}]}
            """));

    [Fact]
    public async Task Translate_UnsignedReplayedCalls_GetTheSentinelOnTheFirstCallOnly() => Assert.Equal(
        """{"contents":[{"role":"user","parts":[{"text":"go"}]},{"role":"model","parts":[{"functionCall":{"name":"a","args":{"x":1}},"thoughtSignature":"skip_thought_signature_validator"},{"functionCall":{"name":"a","args":{"x":2}}}]}]}""",
        await TranslateAsync("""{"messages":[{"role":"user","content":"go"},{"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"a","arguments":"{\"x\":1}"}},{"id":"t2","type":"function","function":{"name":"a","arguments":"{\"x\":2}"}}]}]}"""));

    [Fact]
    public async Task Translate_LegacyFunctionMessage_BecomesAFunctionResponse() => Assert.Contains(
        """{"functionResponse":{"name":"lookup","response":{"output":"42"}}}""",
        await TranslateAsync("""{"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"lookup","arguments":"{}"}}]},{"role":"function","name":"lookup","content":"42"}]}"""),
        StringComparison.Ordinal);

    [Fact]
    public async Task Translate_GenerationFields_MapOneByOne() => Assert.Equal(
        """{"temperature":0.2,"topP":0.9,"topK":40,"maxOutputTokens":50,"candidateCount":2,"seed":7,"presencePenalty":0.5,"frequencyPenalty":-0.5,"stopSequences":["a","b"]}""",
        JsonNode.Parse(await TranslateAsync("""{"messages":[{"role":"user","content":"x"}],"temperature":0.2,"top_p":0.9,"top_k":40,"max_tokens":99,"max_completion_tokens":50,"n":2,"seed":7,"presence_penalty":0.5,"frequency_penalty":-0.5,"stop":["a","","b"],"user":"u1","metadata":{"k":"v"},"logit_bias":{"1":2},"store":true,"service_tier":"auto","parallel_tool_calls":false}"""))!["generationConfig"]!.ToJsonString());

    [Theory]
    [InlineData("""{"stop":"END"}""", """{"stopSequences":["END"]}""")]
    [InlineData("""{"max_tokens":10}""", """{"maxOutputTokens":10}""")]
    [InlineData("""{"response_format":{"type":"json_object"}}""", """{"responseMimeType":"application/json"}""")]
    [InlineData("""{"response_format":{"type":"text"}}""", null)]
    [InlineData("""{"response_format":{"type":"json_schema","json_schema":{"name":"x","strict":true,"schema":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}}}}""",
        """{"responseMimeType":"application/json","responseSchema":{"type":"object","properties":{"a":{"type":"string"}}}}""")]
    [InlineData("""{"modalities":["text","image"]}""", """{"responseModalities":["TEXT","IMAGE"]}""")]
    public async Task Translate_OutputFields_MapToGenerationConfig(string extra, string? expected)
    {
        var request = JsonNode.Parse(extra)!.AsObject();
        request["messages"] = JsonNode.Parse("""[{"role":"user","content":"x"}]""");

        var json = JsonNode.Parse(await TranslateAsync(request.ToJsonString()))!;

        Assert.Equal(expected, json["generationConfig"]?.ToJsonString());
    }

    [Theory]
    [InlineData("gemini-2.5-flash", "none", """{"thinkingBudget":0}""")]
    [InlineData("gemini-2.5-flash", "low", """{"thinkingBudget":1024,"includeThoughts":true}""")]
    [InlineData("gemini-2.5-pro", "medium", """{"thinkingBudget":2048,"includeThoughts":true}""")]
    [InlineData("gemini-2.5-pro", "high", """{"thinkingBudget":4096,"includeThoughts":true}""")]
    [InlineData("gemini-3-pro-preview", "low", """{"thinkingLevel":"LOW","includeThoughts":true}""")]
    [InlineData("gemini-3-flash", "minimal", """{"thinkingLevel":"MINIMAL","includeThoughts":true}""")]
    public async Task Translate_ReasoningEffort_BecomesThinkingConfig(string model, string effort, string expected)
    {
        var json = JsonNode.Parse(await TranslateAsync($$$"""{"messages":[{"role":"user","content":"x"}],"reasoning_effort":"{{{effort}}}"}""", model))!;

        Assert.Equal(expected, json["generationConfig"]!["thinkingConfig"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"none\"", """{"mode":"NONE"}""")]
    [InlineData("\"auto\"", """{"mode":"AUTO"}""")]
    [InlineData("\"required\"", """{"mode":"ANY"}""")]
    [InlineData("""{"type":"function","function":{"name":"f"}}""", """{"mode":"ANY","allowedFunctionNames":["f"]}""")]
    [InlineData("""{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"f"}}]}}""", """{"mode":"ANY","allowedFunctionNames":["f"]}""")]
    public async Task Translate_ToolChoice_BecomesFunctionCallingConfig(string choice, string expected)
    {
        var json = JsonNode.Parse(await TranslateAsync($$$"""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{{{choice}}}}"""))!;

        Assert.Equal(expected, json["toolConfig"]!["functionCallingConfig"]!.ToJsonString());
    }

    [Fact]
    public async Task Translate_Tools_DeclarationsConvertedAndNoArgumentFunctionsHaveNoParameters() => Assert.Equal(
        """[{"functionDeclarations":[{"name":"a","description":"A.","parameters":{"type":"object","properties":{"q":{"type":"string","nullable":true}}}},{"name":"b"},{"name":"c"}]},{"googleSearch":{}}]""",
        JsonNode.Parse(await TranslateAsync("""{"messages":[{"role":"user","content":"x"}],"web_search_options":{},"tools":[{"type":"function","function":{"name":"a","description":"A.","strict":true,"parameters":{"type":"object","properties":{"q":{"type":["string","null"]}},"additionalProperties":false}}},{"type":"function","function":{"name":"b","parameters":{"type":"object","properties":{}}}},{"type":"function","function":{"name":"c"}}]}"""))!["tools"]!.ToJsonString());

    [Fact]
    public async Task Translate_ToolChoiceWithoutTools_IsDropped() =>
        Assert.DoesNotContain("toolConfig", await TranslateAsync("""{"messages":[{"role":"user","content":"x"}],"tool_choice":"none"}"""), StringComparison.Ordinal);

    [Fact]
    public async Task Translate_DefaultArgs_FillOnlyWhatTheClientLeftOut()
    {
        var json = JsonNode.Parse(await TranslateAsync("""{"messages":[{"role":"user","content":"x"}],"temperature":0.1}""",
            defaults: new JsonObject { ["temperature"] = 0.9, ["max_tokens"] = 77 }))!;

        Assert.Equal("""{"temperature":0.1,"maxOutputTokens":77}""", json["generationConfig"]!.ToJsonString());
    }
}
