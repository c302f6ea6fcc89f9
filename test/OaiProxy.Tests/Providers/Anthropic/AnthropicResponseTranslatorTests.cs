using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OaiProxy.Providers.Anthropic;
using OaiProxy.Testing.Anthropic;

namespace OaiProxy.Tests.Providers.Anthropic;

public sealed class AnthropicResponseTranslatorTests
{
    private static string Translate(JsonObject message) =>
        Encoding.UTF8.GetString(AnthropicResponseTranslator.FromAnthropicMessage(Encoding.UTF8.GetBytes(message.ToJsonString()), 1_700_000_000, "c", NullLogger.Instance));

    [Fact]
    public void FromAnthropicMessage_ThinkingTextAndTools_MapsToOpenAiCompletion()
    {
        var message = AnthropicWire.Message("msg_01", "claude-sonnet-4-5-20250929",
        [
            AnthropicWire.Thinking("Need weather.", "sig1"),
            AnthropicWire.Text("Let me check."),
            AnthropicWire.ToolUse("toolu_A", "get_weather", new JsonObject { ["city"] = "Paris" }),
            AnthropicWire.ToolUse("toolu_B", "get_time", []),
        ], "tool_use", AnthropicWire.Usage(input: 472, output: 91, cacheRead: 1024, cacheCreation: 10));

        var sut = Translate(message);

        Golden.Equal("""
            {"id":"msg_01","object":"chat.completion","created":1700000000,"model":"claude-sonnet-4-5-20250929",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Let me check.","refusal":null,
               "reasoning_content":"Need weather.",
               "thinking_blocks":[{"type":"thinking","thinking":"Need weather.","signature":"sig1"}],
               "tool_calls":[
                 {"id":"toolu_A","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                 {"id":"toolu_B","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":1506,"completion_tokens":91,"total_tokens":1597,
               "prompt_tokens_details":{"cached_tokens":1024,"cache_write_tokens":10},
               "completion_tokens_details":{"reasoning_tokens":0},
               "cache_read_input_tokens":1024,"cache_creation_input_tokens":10}}
            """, sut);
    }

    [Fact]
    public void FromAnthropicMessage_SeveralTextBlocks_ConcatenatedWithoutToolCallsKey()
    {
        var sut = JsonNode.Parse(Translate(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Text("Hello, "), AnthropicWire.Text("world.")])))!;

        Assert.Equal("Hello, world.", sut["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.False(sut["choices"]![0]!["message"]!.AsObject().ContainsKey("tool_calls"));
    }

    [Fact]
    public void FromAnthropicMessage_OnlyToolUse_ContentIsNull()
    {
        var sut = JsonNode.Parse(Translate(AnthropicWire.Message("msg_1", "m", [AnthropicWire.ToolUse("t", "f", [])], "tool_use")))!;

        var message = sut["choices"]![0]!["message"]!.AsObject();
        Assert.True(message.ContainsKey("content"));
        Assert.Null(message["content"]);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "stop")]
    [InlineData("brand_new_reason", "stop")]
    public void FromAnthropicMessage_StopReason_MapsToFinishReason(string stopReason, string expected)
    {
        var sut = JsonNode.Parse(Translate(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Text("x")], stopReason)))!;

        Assert.Equal(expected, sut["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void FromAnthropicMessage_RefusalWithDetails_ExplanationBecomesRefusal()
    {
        var message = AnthropicWire.Message("msg_1", "m", [], "refusal");
        message["stop_details"] = new JsonObject { ["type"] = "refusal", ["category"] = "cyber", ["explanation"] = "Declined." };

        var sut = JsonNode.Parse(Translate(message))!;

        Assert.Equal("Declined.", sut["choices"]![0]!["message"]!["refusal"]!.GetValue<string>());
        Assert.Equal("content_filter", sut["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void FromAnthropicMessage_NotAMessage_ThrowsJsonException()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() =>
            AnthropicResponseTranslator.FromAnthropicMessage("""{"hello":1}"""u8, 0, "c", NullLogger.Instance));
    }
}
