using OaiProxy.Errors;
using OaiProxy.Providers.Anthropic;

namespace OaiProxy.Tests.Providers.Anthropic;

public sealed class AnthropicRequestTranslatorTests
{
    [Fact]
    public void Translate_WorkedParallelToolRoundTrip_MatchesProtocolsAppendixA()
    {
        var sut = Golden.Translate("""
            {"model":"any","max_tokens":300,"stream":true,"stream_options":{"include_usage":true},
             "tool_choice":"auto","parallel_tool_calls":true,
             "tools":[{"type":"function","function":{"name":"get_weather",
               "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}}],
             "messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"21C sunny"},
              {"role":"tool","tool_call_id":"call_2","content":"{\"temp_c\":25}"}]}
            """, stream: true);

        Golden.Equal("""
            {"model":"claude-sonnet-4-5","max_tokens":300,"stream":true,
             "system":[{"type":"text","text":"Be brief."}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}],
             "tool_choice":{"type":"auto"},
             "messages":[
              {"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},
              {"role":"assistant","content":[
                {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
                {"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"Rome"}}]},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"call_1","content":"21C sunny"},
                {"type":"tool_result","tool_use_id":"call_2","content":"{\"temp_c\":25}"}]}]}
            """, sut);
    }

    [Fact]
    public void Translate_SystemAndDeveloperAnywhere_HoistedInOrderAsBlocks()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"developer","content":"One."},
              {"role":"user","content":"Hi"},
              {"role":"system","content":[{"type":"text","text":"Two.","cache_control":{"type":"ephemeral"}},{"type":"text","text":""}]}]}
            """);

        Golden.Equal("""[{"type":"text","text":"One."},{"type":"text","text":"Two.","cache_control":{"type":"ephemeral"}}]""", sut["system"]);
        Golden.Equal("""[{"role":"user","content":[{"type":"text","text":"Hi"}]}]""", sut["messages"]);
    }

    [Fact]
    public void Translate_ImageParts_DataUrlBecomesBase64AndHttpsBecomesUrl()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
              {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]}]}
            """);

        Golden.Equal("""
            [{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]
            """, sut["messages"]);
    }

    [Fact]
    public void Translate_DataUrlWithoutMediaType_SniffedFromTheBytes()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"image_url","image_url":{"url":"data:;base64,iVBORw0KGgo="}}]}]}
            """);

        Golden.Equal("""
            [{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]
            """, sut["messages"]);
    }

    [Theory]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:;base64,aGVsbG8gd29ybGQ="}}""", "messages[0].content[0].image_url.url", "is neither an http(s) URL nor a base64 data URL")]
    [InlineData("""{"type":"file","file":{"file_data":"data:;base64,aGVsbG8gd29ybGQ="}}""", "messages[0].content[0].file.file_data", "must be a base64 data URL")]
    public void Translate_DataUrlWithoutMediaTypeAndUnknownBytes_Is400NamingThePart(string part, string param, string message)
    {
        var error = Golden.Rejected($$"""{"model":"m","messages":[{"role":"user","content":[{{part}}]}]}""");

        Assert.Equal(param, error.Param);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ConsecutiveSameRoleTurns_AreMergedAndEmptyUserGetsPlaceholder()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"A"},{"role":"user","content":""},
              {"role":"assistant","content":"B"},{"role":"assistant","content":[{"type":"text","text":"C"}]},
              {"role":"user","content":"D"}]}
            """);

        Golden.Equal("""
            [{"role":"user","content":[{"type":"text","text":"A"},{"type":"text","text":"."}]},
             {"role":"assistant","content":[{"type":"text","text":"B"},{"type":"text","text":"C"}]},
             {"role":"user","content":[{"type":"text","text":"D"}]}]
            """, sut["messages"]);
    }

    [Fact]
    public void Translate_ToolResultsAndFollowingUserText_OneUserTurnResultsFirstTextAfterCalls()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"tools":[{"type":"function","function":{"name":"f"}}],"messages":[
              {"role":"user","content":"Go"},
              {"role":"assistant","tool_calls":[{"id":"functions.f:0","type":"function","function":{"name":"f","arguments":""}}],"content":"Calling."},
              {"role":"tool","tool_call_id":"functions.f:0","content":[{"type":"text","text":"done"}]},
              {"role":"user","content":"Thanks"}]}
            """);

        Golden.Equal("""
            [{"role":"user","content":[{"type":"text","text":"Go"}]},
             {"role":"assistant","content":[{"type":"text","text":"Calling."},{"type":"tool_use","id":"functions_f_0","name":"f","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"functions_f_0","content":[{"type":"text","text":"done"}]},{"type":"text","text":"Thanks"}]}]
            """, sut["messages"]);
        Golden.Equal("""[{"name":"f","input_schema":{"type":"object","properties":{}}}]""", sut["tools"]);
    }

    [Fact]
    public void Translate_ToolIdsCollidingAfterSanitising_GetDistinctIdsOnBothSides()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"tools":[{"type":"function","function":{"name":"f"}}],"messages":[
              {"role":"user","content":"Go"},
              {"role":"assistant","tool_calls":[
                {"id":"a.b","type":"function","function":{"name":"f","arguments":"{}"}},
                {"id":"a:b","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"a:b","content":"2"},
              {"role":"tool","tool_call_id":"a.b","content":"1"}]}
            """);

        Golden.Equal("""
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"a_b_2","content":"2"},{"type":"tool_result","tool_use_id":"a_b","content":"1"}]}
            """, sut["messages"]![2]);
    }

    [Theory]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("""{"type":"function","function":{"name":"b"}}""", """{"type":"tool","name":"b"}""")]
    public void Translate_ToolChoice_MapsEveryForm(string choice, string expected)
    {
        var sut = Golden.Translate($$$"""
            {"model":"m","max_tokens":10,"tool_choice":{{{choice}}},"messages":[{"role":"user","content":"Hi"}],
             "tools":[{"type":"function","function":{"name":"a","description":"A","parameters":{"type":"object","properties":{}},"strict":true}},
                      {"type":"function","function":{"name":"b"}}]}
            """);

        Golden.Equal(expected, sut["tool_choice"]);
        Golden.Equal("""{"name":"a","description":"A","input_schema":{"type":"object","properties":{}},"strict":true}""", sut["tools"]![0]);
    }

    [Theory]
    [InlineData("required", """{"type":"any"}""")]
    [InlineData("auto", """{"type":"auto"}""")]
    public void Translate_AllowedTools_FiltersToolsAndMapsMode(string mode, string expected)
    {
        var sut = Golden.Translate($$$"""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],
             "tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"{{{mode}}}","tools":[{"type":"function","function":{"name":"b"}}]}},
             "tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}]}
            """);

        Golden.Equal(expected, sut["tool_choice"]);
        Golden.Equal("""[{"name":"b","input_schema":{"type":"object","properties":{}}}]""", sut["tools"]);
    }

    [Theory]
    [InlineData(null, """{"type":"auto","disable_parallel_tool_use":true}""")]
    [InlineData("\"required\"", """{"type":"any","disable_parallel_tool_use":true}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    public void Translate_ParallelToolCallsFalse_DisablesParallelToolUse(string? choice, string expected)
    {
        var choiceField = choice is null ? "" : $"\"tool_choice\":{choice},";
        var sut = Golden.Translate($$$"""
            {"model":"m","max_tokens":10,{{{choiceField}}}"parallel_tool_calls":false,"messages":[{"role":"user","content":"Hi"}],
             "tools":[{"type":"function","function":{"name":"a"}}]}
            """);

        Golden.Equal(expected, sut["tool_choice"]);
    }

    [Fact]
    public void Translate_ToolHistoryWithoutTools_DeclaresHistoryToolsWithChoiceNone()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"Go"},
              {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{\"q\":1}"}}]},
              {"role":"tool","tool_call_id":"c1","content":"x"}]}
            """);

        Golden.Equal("""[{"name":"lookup","input_schema":{"type":"object","properties":{}}}]""", sut["tools"]);
        Golden.Equal("""{"type":"none"}""", sut["tool_choice"]);
    }

    [Fact]
    public void Translate_Sampling_StopUserAndLimits_MapField()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_completion_tokens":99,"max_tokens":5,"temperature":1.6,"top_p":0.9,"top_k":40,
             "stop":["END"," ","STOP"],"user":"user-42","seed":7,"store":true,"metadata":{"a":"b"},"n":1,"logprobs":false,
             "presence_penalty":0,"service_tier":"auto","messages":[{"role":"user","content":"Hi"}]}
            """);

        Golden.Equal("""
            {"model":"claude-sonnet-4-5","max_tokens":99,"temperature":1,"top_p":0.9,"top_k":40,"stop_sequences":["END","STOP"],
             "metadata":{"user_id":"user-42"},"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}
            """, sut);
    }

    [Fact]
    public void Translate_StopString_BecomesOneSequence()
    {
        Golden.Equal("""["\n\nHuman:"]""", Golden.Translate("""{"model":"m","max_tokens":1,"stop":"\n\nHuman:","messages":[{"role":"user","content":"Hi"}]}""")["stop_sequences"]);
    }

    [Fact]
    public void Translate_EmailAsUser_SentAsStableOpaqueHash()
    {
        var first = Golden.Translate("""{"model":"m","max_tokens":1,"user":"jane@example.com","messages":[{"role":"user","content":"Hi"}]}""");
        var second = Golden.Translate("""{"model":"m","max_tokens":1,"user":"jane@example.com","messages":[{"role":"user","content":"Hi"}]}""");

        var id = first["metadata"]!["user_id"]!.GetValue<string>();
        Assert.StartsWith("user-", id);
        Assert.DoesNotContain("jane", id);
        Assert.Equal(id, second["metadata"]!["user_id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", 64000)]
    [InlineData("claude-opus-4-1-20250805", 32000)]
    [InlineData("claude-3-5-haiku-latest", 8192)]
    [InlineData("claude-3-haiku-20240307", 4096)]
    [InlineData("claude-haiku-4-5", 64000)]
    [InlineData("some-future-model", 8192)]
    public void Translate_NoMaxTokens_UsesModelFamilyLimit(string model, int expected)
    {
        var sut = Golden.Translate("""{"model":"x","messages":[{"role":"user","content":"Hi"}]}""", model);

        Assert.Equal(expected, sut["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Translate_NoMaxTokensWithConnectionDefault_UsesDefaultMaxTokens()
    {
        var sut = Golden.Translate("""{"model":"x","messages":[{"role":"user","content":"Hi"}]}""", settings: new AnthropicSettings { DefaultMaxTokens = 1234 });

        Assert.Equal(1234, sut["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Translate_JsonSchemaResponseFormat_BecomesNativeOutputFormat()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,
               "schema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}}}}
            """);

        // The draft marker zod and pydantic add is not a constraint: it stays behind.
        Golden.Equal("""
            {"format":{"type":"json_schema","schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}}}
            """, sut["output_config"]);
    }

    [Fact]
    public void Translate_JsonObjectResponseFormat_AddsJsonInstructionToSystem()
    {
        var sut = Golden.Translate("""{"model":"m","max_tokens":10,"response_format":{"type":"json_object"},"messages":[{"role":"system","content":"S"},{"role":"user","content":"Hi"}]}""");

        Golden.Equal($$"""[{"type":"text","text":"S"},{"type":"text","text":"{{AnthropicRequestTranslator.JsonObjectInstruction}}"}]""", sut["system"]);
    }

    [Theory]
    [InlineData("low", 1024)]
    [InlineData("minimal", 1024)]
    [InlineData("medium", 4096)]
    [InlineData("high", 16384)]
    public void Translate_ReasoningEffort_BecomesThinkingBudgetAndDropsSampling(string effort, int budget)
    {
        var sut = Golden.Translate($$"""
            {"model":"m","max_completion_tokens":40000,"reasoning_effort":"{{effort}}","temperature":0.2,"top_k":5,"top_p":0.5,
             "messages":[{"role":"user","content":"Hi"}]}
            """);

        Golden.Equal($$$"""{"type":"enabled","budget_tokens":{{{budget}}}}""", sut["thinking"]);
        Assert.Null(sut["temperature"]);
        Assert.Null(sut["top_k"]);
        Assert.Equal(0.95, sut["top_p"]!.GetValue<double>());
    }

    [Fact]
    public void Translate_ReasoningEffortNone_SendsNoThinking()
    {
        Assert.Null(Golden.Translate("""{"model":"m","max_tokens":10,"reasoning_effort":"none","messages":[{"role":"user","content":"Hi"}]}""")["thinking"]);
    }

    [Fact]
    public void Translate_ReasoningEffortAboveMaxTokens_BudgetFitsUnderMaxTokens()
    {
        var sut = Golden.Translate("""{"model":"m","max_tokens":5000,"reasoning_effort":"high","messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(2500, sut["thinking"]!["budget_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Translate_ThinkingBlocksInAssistantHistory_GoBackFirstAndUnmodified()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"tools":[{"type":"function","function":{"name":"f"}}],"messages":[
              {"role":"user","content":"Go"},
              {"role":"assistant","content":"Let me look.","thinking_blocks":[{"type":"thinking","thinking":"hmm","signature":"sig=="}],
               "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"toolu_1","content":"ok"}]}
            """);

        Golden.Equal("""
            {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig=="},{"type":"text","text":"Let me look."},
              {"type":"tool_use","id":"toolu_1","name":"f","input":{}}]}
            """, sut["messages"]![1]);
    }

    [Fact]
    public void Translate_LeadingAssistantAndTrailingPrefill_PlaceholderFirstAndPrefillRightTrimmed()
    {
        var sut = Golden.Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"assistant","content":"Hello."},{"role":"user","content":"Hi"},{"role":"assistant","content":"The answer is  \n"}]}
            """);

        Golden.Equal("""
            [{"role":"user","content":[{"type":"text","text":"."}]},{"role":"assistant","content":[{"type":"text","text":"Hello."}]},
             {"role":"user","content":[{"type":"text","text":"Hi"}]},{"role":"assistant","content":[{"type":"text","text":"The answer is"}]}]
            """, sut["messages"]);
    }

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"logprobs\":true", "logprobs")]
    [InlineData("\"top_logprobs\":3", "top_logprobs")]
    [InlineData("\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"}", "audio")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "modalities")]
    [InlineData("\"presence_penalty\":0.5", "presence_penalty")]
    [InlineData("\"frequency_penalty\":1", "frequency_penalty")]
    [InlineData("\"logit_bias\":{\"50256\":-100}", "logit_bias")]
    [InlineData("\"prediction\":{\"type\":\"content\",\"content\":\"x\"}", "prediction")]
    public void Translate_ParameterAnthropicCannotHonour_Is400NamingIt(string field, string param)
    {
        var error = Golden.Rejected($$"""{"model":"m",{{field}},"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal(param, error.Param);
        Assert.Equal(ErrorCodes.UnsupportedParameter, error.Code);
        Assert.Contains(param, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_AudioInput_Is400NamingThePart()
    {
        var error = Golden.Rejected("""{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}]}]}""");

        Assert.Equal("messages[0].content[0]", error.Param);
    }

    [Fact]
    public void Translate_ToolMessageWithoutMatchingCall_Is400NamingTheMessage()
    {
        var error = Golden.Rejected("""{"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"tool","tool_call_id":"nope","content":"x"}]}""");

        Assert.Equal("messages[1]", error.Param);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ToolCallWithoutResult_Is400NamingTheAssistantMessage()
    {
        var error = Golden.Rejected("""
            {"model":"m","messages":[{"role":"user","content":"Hi"},
              {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"user","content":"and?"}]}
            """);

        Assert.Equal("messages[1]", error.Param);
    }

    [Fact]
    public void Translate_InvalidToolArguments_Is400NamingThem()
    {
        var error = Golden.Rejected("""
            {"model":"m","messages":[{"role":"user","content":"Hi"},
              {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{not json"}}]},
              {"role":"tool","tool_call_id":"c1","content":"x"}]}
            """);

        Assert.Equal("messages[1].tool_calls[0].function.arguments", error.Param);
    }

    [Fact]
    public void Translate_ForcedToolWithThinking_Is400NamingToolChoice()
    {
        var error = Golden.Rejected("""
            {"model":"m","max_tokens":9000,"reasoning_effort":"low","tool_choice":"required","tools":[{"type":"function","function":{"name":"f"}}],
             "messages":[{"role":"user","content":"Hi"}]}
            """);

        Assert.Equal("tool_choice", error.Param);
    }
}
