using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OaiProxy.Errors;
using OaiProxy.Providers.Anthropic;
using OaiProxy.Testing.Anthropic;

namespace OaiProxy.Tests.Providers.Anthropic;

public sealed class AnthropicChatEventStreamTests
{
    private static readonly int[] PieceSizes = [1, 3, 17, 4096];

    /// <summary>Runs the stream once per piece size and checks every run gives the same chunks and error.</summary>
    private static async Task<(List<string> Chunks, ProxyError? Error)> RunAsync(string sse, bool includeUsage = false)
    {
        (List<string>, ProxyError?)? first = null;
        foreach (var size in PieceSizes)
        {
            var chunks = new List<string>();
            await using var sut = new AnthropicTranslatingStream(null, new PieceStream(Encoding.UTF8.GetBytes(sse), size), "c", new SecretScrubber(["sk-ant-secret"]),
                includeUsage, 1_700_000_000, NullLogger.Instance);
            for (var i = 0; i < 10_000 && await sut.ReadAsync(CancellationToken.None); i++) chunks.Add(Encoding.UTF8.GetString(sut.Current.Span));
            if (first is { } f)
            {
                Assert.Equal(f.Item1, chunks);
                Assert.Equal(f.Item2, sut.Error);
            }
            else
            {
                first = (chunks, sut.Error);
            }
        }
        return first!.Value;
    }

    private static string Sse(JsonObject message) => AnthropicWire.Frame(AnthropicWire.Events(message));

    private static string Chunk(string head, string choicesOn) => "{" + head + ",\"choices\":" + choicesOn;

    private static JsonNode Delta(string chunk) => JsonNode.Parse(chunk)!["choices"]![0]!["delta"]!;

    [Fact]
    public async Task Stream_Text_RoleFirstContentDeltasFinishThenUsageChunk()
    {
        var sse = Sse(AnthropicWire.Message("msg_1", "claude-x", [AnthropicWire.Text("Hi there")], usage: AnthropicWire.Usage(input: 10, output: 3, cacheRead: 5)));

        var (chunks, error) = await RunAsync(sse, includeUsage: true);

        Assert.Null(error);
        const string head = "\"id\":\"msg_1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\"";
        Assert.Equal(
        [
            Chunk(head, """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}"""),
            Chunk(head, """[{"index":0,"delta":{"content":"Hi"},"logprobs":null,"finish_reason":null}],"usage":null}"""),
            Chunk(head, """[{"index":0,"delta":{"content":" there"},"logprobs":null,"finish_reason":null}],"usage":null}"""),
            Chunk(head, """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}"""),
            Chunk(head, """[],"usage":{"prompt_tokens":15,"completion_tokens":3,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":5,"cache_write_tokens":0},"completion_tokens_details":{"reasoning_tokens":0},"cache_read_input_tokens":5,"cache_creation_input_tokens":0}}"""),
        ], chunks);
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_NoUsageChunkAndNoUsageField()
    {
        var (chunks, _) = await RunAsync(Sse(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Text("Hi")])));

        Assert.All(chunks, c => Assert.DoesNotContain("usage", c, StringComparison.Ordinal));
        Assert.Equal("stop", JsonNode.Parse(chunks[^1])!["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_TextThenParallelTools_ToolIndexCountsToolsOnlyAndArgumentsArriveInOrder()
    {
        var message = AnthropicWire.Message("msg_1", "m",
        [
            AnthropicWire.Text("Checking."),
            AnthropicWire.ToolUse("toolu_A", "get_weather", new JsonObject { ["city"] = "Paris" }),
            AnthropicWire.ToolUse("toolu_B", "get_weather", new JsonObject { ["city"] = "Rome", ["unit"] = "c" }),
        ], "tool_use");

        var (chunks, error) = await RunAsync(AnthropicWire.Frame(AnthropicWire.Events(message, fragment: 3)));

        Assert.Null(error);
        var calls = chunks.Select(Delta).Where(d => d["tool_calls"] is not null).Select(d => d["tool_calls"]![0]!).ToList();
        var heads = calls.Where(c => c["id"] is not null).ToList();
        Assert.Equal(2, heads.Count);
        Golden.Equal("""{"index":0,"id":"toolu_A","type":"function","function":{"name":"get_weather","arguments":""}}""", heads[0]);
        Golden.Equal("""{"index":1,"id":"toolu_B","type":"function","function":{"name":"get_weather","arguments":""}}""", heads[1]);
        Assert.All(calls.Where(c => c["id"] is null), c => Assert.Null(c["function"]!["name"]));
        string Args(int index) => string.Concat(calls.Where(c => c["index"]!.GetValue<int>() == index).Select(c => c["function"]!["arguments"]!.GetValue<string>()));
        Assert.Equal("""{"city":"Paris"}""", Args(0));
        Assert.Equal("""{"city":"Rome","unit":"c"}""", Args(1));
        Assert.Equal("tool_calls", JsonNode.Parse(chunks[^1])!["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_ToolWithoutArguments_EmitsEmptyObjectNotEmptyString()
    {
        var (chunks, _) = await RunAsync(Sse(AnthropicWire.Message("msg_1", "m", [AnthropicWire.ToolUse("toolu_A", "now", [])], "tool_use")));

        var args = chunks.Select(Delta).Where(d => d["tool_calls"] is not null).Select(d => d["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("{}", string.Concat(args));
    }

    [Fact]
    public async Task Stream_InputOnlyInBlockStart_EmitsStartInputAtBlockStop()
    {
        var events = new List<SseEvent>
        {
            AnthropicWire.Event("message_start", new JsonObject { ["message"] = new JsonObject { ["id"] = "msg_1", ["model"] = "m", ["usage"] = AnthropicWire.Usage() } }),
            AnthropicWire.Event("content_block_start", new JsonObject { ["index"] = 0, ["content_block"] = AnthropicWire.ToolUse("t1", "f", new JsonObject { ["a"] = 1 }) }),
            AnthropicWire.Event("content_block_stop", new JsonObject { ["index"] = 0 }),
            AnthropicWire.Event("message_delta", new JsonObject { ["delta"] = new JsonObject { ["stop_reason"] = "tool_use" }, ["usage"] = new JsonObject { ["output_tokens"] = 4 } }),
            AnthropicWire.Event("message_stop", []),
        };

        var (chunks, _) = await RunAsync(AnthropicWire.Frame(events));

        Assert.Equal("""{"a":1}""", Delta(chunks[2])["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_Thinking_BecomesReasoningContentDeltasBeforeText()
    {
        var (chunks, _) = await RunAsync(Sse(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Thinking("Think hard"), AnthropicWire.Text("Done")])));

        var deltas = chunks.Select(Delta).ToList();
        Assert.Equal("Think hard", string.Concat(deltas.Select(d => d["reasoning_content"]?.GetValue<string>())));
        Assert.Equal("Done", string.Concat(deltas.Select(d => d["content"]?.GetValue<string>())));
        Assert.True(deltas.FindIndex(d => d["reasoning_content"] is not null) < deltas.FindIndex(d => d["content"]?.GetValue<string>() == "Done"));
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("something_new", "stop")]
    public async Task Stream_StopReason_FinalChunkCarriesMappedFinishReason(string stopReason, string expected)
    {
        var (chunks, _) = await RunAsync(Sse(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Text("x")], stopReason)));

        var finishes = chunks.Select(c => JsonNode.Parse(c)!["choices"]![0]!["finish_reason"]).Where(f => f is not null).ToList();
        Assert.Equal(expected, Assert.Single(finishes)!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_UsageInMessageDelta_OverwritesNotAdds()
    {
        var events = AnthropicWire.Events(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Text("x")], usage: AnthropicWire.Usage(input: 100, output: 50)));
        events.Insert(events.Count - 2, AnthropicWire.Event("message_delta", new JsonObject { ["delta"] = new JsonObject(), ["usage"] = new JsonObject { ["output_tokens"] = 20 } }));

        var (chunks, _) = await RunAsync(AnthropicWire.Frame(events), includeUsage: true);

        var usage = JsonNode.Parse(chunks[^1])!["usage"]!;
        Assert.Equal(100, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(50, usage["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_ErrorEventMidStream_EndsWithMappedErrorAfterEarlierChunks()
    {
        var events = AnthropicWire.Events(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Text("one two three")]));
        events.Insert(5, AnthropicWire.ErrorEvent("overloaded_error", "Overloaded"));

        var (chunks, error) = await RunAsync(AnthropicWire.Frame(events));

        Assert.Equal(3, chunks.Count); // role, "one", " two"
        Assert.Equal(503, error!.Status);
        Assert.Equal(AnthropicErrors.Overloaded, error.Code);
        Assert.Contains("Overloaded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_EndsBeforeMessageStop_IsAnErrorNotASuccess()
    {
        var events = AnthropicWire.Events(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Text("Hi")]));
        events.RemoveRange(events.Count - 3, 3);

        var (_, error) = await RunAsync(AnthropicWire.Frame(events) + "event: content_block_delta\ndata: {\"type\":\"conte");

        Assert.Equal(502, error!.Status);
        Assert.Equal(ErrorCodes.StreamInterrupted, error.Code);
    }

    [Fact]
    public async Task Stream_PingsUnknownEventsAndCrLf_AreIgnored()
    {
        var events = AnthropicWire.Events(AnthropicWire.Message("msg_1", "m", [AnthropicWire.Text("Hi")]));
        events.Insert(2, new SseEvent("future_event", """{"type":"future_event","x":1}"""));
        events.Insert(1, AnthropicWire.Event("ping", []));

        var (chunks, error) = await RunAsync(AnthropicWire.Frame(events).Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.Null(error);
        Assert.Equal(3, chunks.Count);
    }
}
