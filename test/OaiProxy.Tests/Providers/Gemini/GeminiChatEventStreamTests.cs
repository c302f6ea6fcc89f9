using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Errors;
using OaiProxy.Providers.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GeminiChatEventStreamTests
{
    private static async Task<(List<string> Chunks, OaiProxy.Errors.ProxyError? Error)> RunAsync(string body, bool includeUsage = false)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        await using var sut = new GeminiTranslatingStream(response, new MemoryStream(Encoding.UTF8.GetBytes(body)), "g", new SecretScrubber(["secret-key"]),
            "gemini-up", includeUsage, 1_700_000_000);
        var chunks = new List<string>();
        for (var i = 0; i < 1000 && await sut.ReadAsync(CancellationToken.None); i++) chunks.Add(Encoding.UTF8.GetString(sut.Current.Span));
        return (chunks, sut.Error);
    }

    private static string Events(params string[] payloads) => string.Concat(payloads.Select(p => "data: " + p + "\r\n\r\n"));

    [Fact]
    public async Task Stream_TextAndFinish_MatchesGolden()
    {
        var (chunks, error) = await RunAsync(Events(
            """{"candidates":[{"content":{"parts":[{"text":"The"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash","responseId":"r1"}""",
            """{"candidates":[{"content":{"parts":[{"text":" sky."}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"r1"}""",
            """{"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":6,"totalTokenCount":15},"modelVersion":"gemini-2.5-flash","responseId":"r1"}"""),
            includeUsage: true);

        Assert.Null(error);
        const string head = """{"id":"chatcmpl-r1","object":"chat.completion.chunk","created":1700000000,"model":"gemini-2.5-flash","choices":""";
        Assert.Equal(
        [
            head + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}""",
            head + """[{"index":0,"delta":{"content":"The"},"logprobs":null,"finish_reason":null}],"usage":null}""",
            head + """[{"index":0,"delta":{"content":" sky."},"logprobs":null,"finish_reason":null}],"usage":null}""",
            head + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""",
            head + """[],"usage":{"prompt_tokens":9,"completion_tokens":6,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}""",
        ], chunks);
    }

    [Fact]
    public async Task Stream_SignedThought_ThinkingBlockFollowsItsReasoningDelta()
    {
        var (chunks, error) = await RunAsync(Events(
            """{"candidates":[{"content":{"parts":[{"text":"Plan.","thought":true,"thoughtSignature":"dGgtc2ln"}],"role":"model"},"index":0}],"responseId":"r4"}""",
            """{"candidates":[{"content":{"parts":[{"text":"Done."}],"role":"model"},"finishReason":"STOP","index":0}],"responseId":"r4"}"""));

        Assert.Null(error);
        var deltas = chunks.Select(c => JsonNode.Parse(c)!["choices"]![0]!["delta"]!).ToList();
        Assert.Equal("Plan.", deltas[1]["reasoning_content"]!.GetValue<string>());
        Assert.Equal("""[{"type":"gemini_thought","thinking":"Plan.","signature":"dGgtc2ln"}]""", deltas[2]["thinking_blocks"]!.ToJsonString());
        Assert.Equal("Done.", deltas[3]["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_FunctionCallsAcrossChunks_GetRunningIndexesAndToolCallsReason()
    {
        var (chunks, error) = await RunAsync(Events(
            """{"candidates":[{"content":{"parts":[{"text":"Hm","thought":true},{"text":"Ok."},{"functionCall":{"name":"a","args":{"x":1}},"thoughtSignature":"c2ln"},{"functionCall":{"name":"b"}}],"role":"model"},"index":0}],"responseId":"r2"}""",
            """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"c","args":{}}}],"role":"model"},"finishReason":"STOP","index":0}],"responseId":"r2"}"""));

        Assert.Null(error);
        var deltas = chunks.Select(c => JsonNode.Parse(c)!["choices"]![0]!).ToList();
        Assert.Equal("Hm", deltas[1]["delta"]!["reasoning_content"]!.GetValue<string>());
        Assert.Equal("Ok.", deltas[2]["delta"]!["content"]!.GetValue<string>());
        var calls = deltas.Where(d => d["delta"]!["tool_calls"] is not null).Select(d => d["delta"]!["tool_calls"]![0]!).ToList();
        Assert.Equal([0, 1, 2], calls.Select(c => c["index"]!.GetValue<int>()));
        Assert.Equal(["a", "b", "c"], calls.Select(c => c["function"]!["name"]!.GetValue<string>()));
        Assert.Equal(["""{"x":1}""", "{}", "{}"], calls.Select(c => c["function"]!["arguments"]!.GetValue<string>()));
        Assert.Equal("c2ln", GeminiToolCallId.Parse(calls[0]["id"]!.GetValue<string>()).Signature);
        Assert.Equal(GeminiToolCallId.Create(null, null, "r2", 0, 2), calls[2]["id"]!.GetValue<string>());
        Assert.Equal("tool_calls", deltas[^1]["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_UsageOnlyChunks_AreNotErrorsAndTheLastUsageWins()
    {
        var (chunks, error) = await RunAsync(Events(
            """{"candidates":[{"content":{"parts":[{"text":"a"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3},"responseId":"r"}""",
            """{"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"thoughtsTokenCount":2,"totalTokenCount":6},"responseId":"r"}"""), includeUsage: true);

        Assert.Null(error);
        var usage = JsonNode.Parse(chunks[^1])!["usage"]!;
        Assert.Equal(3, usage["completion_tokens"]!.GetValue<int>());
        Assert.Equal(2, usage["completion_tokens_details"]!["reasoning_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_CutBeforeFinish_IsAnInterruption()
    {
        var (chunks, error) = await RunAsync(Events("""{"candidates":[{"content":{"parts":[{"text":"a"}]},"index":0}],"responseId":"r"}"""));

        Assert.Equal(2, chunks.Count);
        Assert.Equal("stream_interrupted", error!.Code);
    }

    [Fact]
    public async Task Stream_Empty_IsAnError()
    {
        var (chunks, error) = await RunAsync("");

        Assert.Empty(chunks);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task Stream_ErrorEvent_IsMappedWithoutLeakingTheKey()
    {
        var (_, error) = await RunAsync(Events(
            """{"candidates":[{"content":{"parts":[{"text":"a"}]},"index":0}],"responseId":"r"}""",
            """{"error":{"code":429,"message":"Quota for secret-key.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3s"}]}}"""));

        Assert.Equal(429, error!.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.DoesNotContain("secret-key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":500,\"message\":\"Internal error.\",\"status\":\"INTERNAL\"}}")]
    [InlineData("[{\n  \"error\": {\n    \"code\": 500,\n    \"message\": \"Internal error.\",\n    \"status\": \"INTERNAL\"\n  }\n}\n]")]
    public async Task Stream_BareErrorBody_IsFound(string bare)
    {
        var (_, error) = await RunAsync(Events("""{"candidates":[{"content":{"parts":[{"text":"a"}]},"index":0}],"responseId":"r"}""") + bare);

        Assert.Equal(502, error!.Status);
        Assert.Contains("Internal error.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_BlockedPrompt_EndsCleanlyWithContentFilter()
    {
        var (chunks, error) = await RunAsync(Events("""{"promptFeedback":{"blockReason":"SAFETY"},"responseId":"r"}"""));

        Assert.Null(error);
        Assert.Equal("content_filter", JsonNode.Parse(chunks[^1])!["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_LfFramingWithoutSpace_IsParsedToo()
    {
        var (chunks, error) = await RunAsync("data:{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"finishReason\":\"MAX_TOKENS\"}],\"responseId\":\"r\"}\n\n");

        Assert.Null(error);
        Assert.Equal("length", JsonNode.Parse(chunks[^1])!["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }
}
