using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Testing.Gemini;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Gemini;

public sealed class GeminiStreamingTests
{
    [Fact]
    public async Task Stream_Text_ArrivesInOrderWithFinishReasonAndUsage()
    {
        await using var f = await GeminiFixture.StartAsync();
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in f.Chat().CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("Hello from gemini-2.5-flash!", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(9, usage.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:streamGenerateContent", sent.Path);
        Assert.Equal("?alt=sse", sent.Query);
    }

    [Fact]
    public async Task Stream_RawEvents_RoleFirstThenDeltasThenFinishThenUsageThenDone()
    {
        await using var f = await GeminiFixture.StartAsync();
        using var http = f.Http();

        var events = await ReadEventsAsync(http, """{"model":"gemini-2.5-flash","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.All(chunks, c => Assert.Equal("chatcmpl-resp-stream-1", c["id"]!.GetValue<string>()));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        var finish = chunks.Single(c => c["choices"]!.AsArray().Count > 0 && c["choices"]![0]!["finish_reason"] is JsonValue);
        Assert.Equal("stop", finish["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.Equal(12, chunks[^1]["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Single(chunks, c => c["usage"] is not null);
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_SendsNoUsageChunk()
    {
        await using var f = await GeminiFixture.StartAsync();
        using var http = f.Http();

        var events = await ReadEventsAsync(http, """{"model":"gemini-2.5-flash","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.DoesNotContain(events, e => e.Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public async Task Stream_ToolCallsInConsecutiveChunks_GetRunningIndexesAndWholeArguments()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Stream(
        [
            GeminiWire.Response([GeminiWire.Candidate([GeminiWire.Text("Checking."), GeminiWire.Call("get_weather", new JsonObject { ["city"] = "Paris" }, signature: "c2ln")], null)], GeminiWire.Usage(9, 0), responseId: "r-tools").ToJsonString(),
            GeminiWire.Response([GeminiWire.Candidate([GeminiWire.Call("get_weather", new JsonObject { ["city"] = "Rome" })], null)], GeminiWire.Usage(9, 0), responseId: "r-tools").ToJsonString(),
            GeminiWire.Response([GeminiWire.Candidate([GeminiWire.Text("")], "STOP")], GeminiWire.Usage(9, 12, thoughts: 30), responseId: "r-tools").ToJsonString(),
        ]);
        var calls = new Dictionary<int, (string Id, string Name, StringBuilder Args)>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in f.Chat().CompleteChatStreamingAsync([new UserChatMessage("Weather?")]))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(call.Index, out var entry)) calls[call.Index] = entry = (call.ToolCallId, call.FunctionName, new StringBuilder());
                entry.Args.Append(call.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(2, calls.Count);
        Assert.Equal("""{"city":"Paris"}""", calls[0].Args.ToString());
        Assert.Equal("""{"city":"Rome"}""", calls[1].Args.ToString());
        Assert.Equal("get_weather", calls[1].Name);
        Assert.Contains("__ts_", calls[0].Id, StringComparison.Ordinal);
        Assert.NotEqual(calls[0].Id, calls[1].Id);
        Assert.Equal(42, usage!.OutputTokenCount);
        Assert.Equal(30, usage.OutputTokenDetails.ReasoningTokenCount);
    }

    [Fact]
    public async Task Stream_TwoCandidates_InterleaveAsTwoChoices()
    {
        await using var f = await GeminiFixture.StartAsync();
        using var http = f.Http();

        var events = await ReadEventsAsync(http, """{"model":"gemini-2.5-flash","stream":true,"n":2,"messages":[{"role":"user","content":"Hi"}]}""");

        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        foreach (var index in new[] { 0, 1 })
        {
            var mine = chunks.Where(c => c["choices"]![0]!["index"]!.GetValue<int>() == index).ToList();
            Assert.Equal("assistant", mine[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
            Assert.Equal("Hello from gemini-2.5-flash!", string.Concat(mine.Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>())));
            Assert.Equal("stop", mine[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Stream_CutBeforeFinishReason_EndsWithAnErrorEvent()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Stream(GeminiWire.TextStream("one two three")[..2]);
        using var http = f.Http();

        var events = await ReadEventsAsync(http, """{"model":"gemini-2.5-flash","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.DoesNotContain("[DONE]", events);
        Assert.Contains("stream_interrupted", events[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_BareErrorAfterChunks_EndsWithTheMappedErrorEvent()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Stream(GeminiWire.TextStream("one two three")[..1],
            RawTail: GeminiWire.ErrorBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later.").ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        using var http = f.Http();

        var events = await ReadEventsAsync(http, """{"model":"gemini-2.5-flash","stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        Assert.Contains("The model is overloaded", events[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", events);
    }

    [Fact]
    public async Task Stream_ErrorEventBeforeAnyChunk_IsAnHttpError()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Stream([GeminiWire.ErrorBody(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", new JsonArray(GeminiWire.RetryInfo("30s"))).ToJsonString()]);
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", GeminiChatTests.Json("""{"model":"gemini-2.5-flash","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("30", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task Stream_BlockedPrompt_FinishesWithContentFilter()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Stream([GeminiWire.Blocked("PROHIBITED_CONTENT").ToJsonString()]);
        ChatFinishReason? finish = null;

        await foreach (var update in f.Chat().CompleteChatStreamingAsync([new UserChatMessage("Bad")])) finish ??= update.FinishReason;

        Assert.Equal(ChatFinishReason.ContentFilter, finish);
    }

    internal static async Task<List<string>> ReadEventsAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/v1/chat/completions", GeminiChatTests.Json(body));
        Assert.Equal(200, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => e["data: ".Length..]).ToList();
    }
}
