using System.Buffers;
using System.Text;
using OaiProxy.Dialects.Anthropic;

namespace OaiProxy.Tests.Dialects.Anthropic;

public sealed class MessagesStreamTranslatorTests
{
    private static string Translate(IReadOnlyList<string> stops, params string[] chunks)
    {
        var sut = new MessagesStreamTranslator("msg_1", "m", stops);
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks) sut.Add(Encoding.UTF8.GetBytes(chunk), output);
        sut.Finish(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private const string Start = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}


        """;

    [Fact]
    public void Text_EmptyDeltasSkipped_LengthBecomesMaxTokens()
    {
        var actual = Translate([],
            """{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}""",
            """{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"}}]}""",
            """{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}""",
            """{"id":"c","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":4}}}""");

        Assert.Equal(Start + """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":6,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}


            """, actual);
    }

    [Fact]
    public void ReasoningTextAndParallelToolCalls_SeparateBlocksInOrder()
    {
        var actual = Translate([],
            """{"choices":[{"index":0,"delta":{"reasoning_content":"Think"}}]}""",
            """{"choices":[{"index":0,"delta":{"content":"Checking."}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"weather","arguments":""}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":\"Paris\"}"}}]}}]}""",
            """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"functions.time:1","type":"function","function":{"name":"time","arguments":"{}"}}]}}]}""",
            """{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""");

        Assert.Equal(Start + """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Think"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Checking."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_a","name":"weather","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":2}

            event: content_block_start
            data: {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"functions_time_1","name":"time","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":3}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}

            event: message_stop
            data: {"type":"message_stop"}


            """, actual);
    }

    [Theory]
    [InlineData("""{"choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"END"}]}""", "stop_sequence", "\"END\"")]
    [InlineData("""{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""", "end_turn", "null")]
    [InlineData("""{"choices":[{"index":0,"delta":{},"finish_reason":"content_filter"}]}""", "refusal", "null")]
    public void StopReasons_Mapped(string finish, string stopReason, string stopSequence)
    {
        var actual = Translate(["END"], """{"choices":[{"index":0,"delta":{"content":"x"}}]}""", finish);

        Assert.Contains($$"""{"stop_reason":"{{stopReason}}","stop_sequence":{{stopSequence}}}""", actual, StringComparison.Ordinal);
    }

    [Fact]
    public void NoContentAtAll_StillAWellFormedMessage()
    {
        var actual = Translate([]);

        Assert.StartsWith(Start, actual, StringComparison.Ordinal);
        Assert.DoesNotContain("content_block_start", actual, StringComparison.Ordinal);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Completion_TranslatedToMessage()
    {
        var json = """{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""";

        var actual = Encoding.UTF8.GetString(MessagesResponseTranslator.FromOpenAiCompletion(Encoding.UTF8.GetBytes(json), "msg_1", "m", []));

        Assert.Equal("""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"tool_use","id":"call_1","name":"f","input":{}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":3}}""", actual);
    }
}
