using System.Text;
using OaiProxy.Testing.OpenAi;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests;

public sealed class StreamingTests
{
    [Fact]
    public async Task Stream_TextAnswer_ArrivesInOrderWithFinishReason()
    {
        await using var f = await ProxyFixture.StartAsync();
        var text = new StringBuilder();
        ChatFinishReason? finish = null;

        await foreach (var update in f.Chat("gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello from gpt-4o!", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task Stream_IncludeUsage_DeliversUsageChunk()
    {
        await using var f = await ProxyFixture.StartAsync();
        ChatTokenUsage? usage = null;

        var options = new ChatCompletionOptions();
        // The SDK asks for usage in streams by default (stream_options.include_usage = true).
        await foreach (var update in f.Chat("gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Hi")], options))
        {
            usage ??= update.Usage;
        }

        Assert.NotNull(usage);
        Assert.Equal(7, usage!.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
        Assert.True(Assert.Single(f.Upstream.Requests).Json["stream_options"]?["include_usage"]?.GetValue<bool>());
    }

    [Fact]
    public async Task Stream_ParallelToolCalls_ArgumentDeltasReassembleExactly()
    {
        await using var f = await ProxyFixture.StartAsync();
        var calls = new[] { ("call_1", "get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}"), ("call_2", "get_time", "{\"tz\":\"Europe/Paris\"}") };
        f.Upstream.Handler = r => new FakeReply.Stream(OpenAiWire.ToolCallStream("chatcmpl-t", r.Model!, calls, includeUsage: true));
        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var args = new Dictionary<int, StringBuilder>();
        ChatFinishReason? finish = null;

        await foreach (var update in f.Chat("gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Weather and time?")]))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.ToolCallId is not null) ids[call.Index] = call.ToolCallId;
                if (call.FunctionName is not null) names[call.Index] = call.FunctionName;
                if (!args.TryGetValue(call.Index, out var sb)) args[call.Index] = sb = new StringBuilder();
                sb.Append(call.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal("call_1", ids[0]);
        Assert.Equal("get_time", names[1]);
        Assert.Equal(calls[0].Item3, args[0].ToString());
        Assert.Equal(calls[1].Item3, args[1].ToString());
    }

    [Fact]
    public async Task Stream_RawEvents_RelayedVerbatimWithDoneMarker()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var expected = string.Concat(OpenAiWire.TextStream("chatcmpl-fake000001", "gpt-4o", "Hello from gpt-4o!", includeUsage: false).Select(p => $"data: {p}\n\n")) + "data: [DONE]\n\n";
        Assert.Equal(expected, body);
    }

    [Fact]
    public async Task Stream_UpstreamCutWithoutDone_EndsWithErrorEventNotDone()
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.Handler = r => new FakeReply.Stream(OpenAiWire.TextStream("c1", r.Model!, "one two three", false), SendDone: false);
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"content\":\" three\"", body);
        Assert.DoesNotContain("[DONE]", body);
        Assert.EndsWith("\"code\":\"stream_interrupted\"}}\n\n", body);
    }

    [Fact]
    public async Task Stream_UpstreamErrorBeforeFirstByte_IsProperHttpError()
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Error(400, "Invalid 'temperature': must be <= 2.", Code: "invalid_value");

        var e = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(async () =>
        {
            await foreach (var _ in f.Chat("gpt-4o").CompleteChatStreamingAsync([new UserChatMessage("Hi")])) { }
        });

        Assert.Equal(400, e.Status);
        Assert.Contains("must be <= 2", e.Message);
    }
}
