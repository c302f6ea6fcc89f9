using System.ClientModel;
using OaiProxy.Testing.Anthropic;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Anthropic;

public sealed class AnthropicErrorTests
{
    private static async Task<ClientResultException> FailAsync(AnthropicFixture f, bool stream = false) =>
        await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            if (!stream)
            {
                await f.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);
                return;
            }
            await foreach (var _ in f.Chat().CompleteChatStreamingAsync([new UserChatMessage("Hi")]))
            {
                // Drained until the error surfaces.
            }
        });

    [Fact]
    public async Task Error_InvalidRequest400_Reaches400WithUpstreamMessage()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum");

        var e = await FailAsync(f);

        Assert.Equal(400, e.Status);
        Assert.Contains("prompt is too long", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_RejectedProviderKey401_Becomes502WithoutTheKey()
    {
        await using var f = await AnthropicFixture.StartAsync(u => AnthropicFixture.Config(u, apiKey: "sk-ant-wrong-key-987654"));

        var e = await FailAsync(f);

        Assert.Equal(502, e.Status);
        Assert.DoesNotContain("sk-ant-wrong-key-987654", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(f.Upstream.ApiKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_RateLimit429_Reaches429WithRetryAfter()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit",
            new Dictionary<string, string> { ["retry-after"] = "30" });

        var e = await FailAsync(f);

        Assert.Equal(429, e.Status);
        Assert.True(e.GetRawResponse()!.Headers.TryGetValue("retry-after", out var retryAfter));
        Assert.Equal("30", retryAfter);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Error_Overloaded529_Becomes503(bool stream)
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Error(529, "overloaded_error", "Overloaded");

        var e = await FailAsync(f, stream);

        Assert.Equal(503, e.Status);
        Assert.Contains("Overloaded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_ApiError500_Becomes502()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Error(500, "api_error", "Internal server error");

        var e = await FailAsync(f);

        Assert.Equal(502, e.Status);
    }

    [Fact]
    public async Task Error_OverloadedEventBeforeAnyContent_Becomes503BeforeTheStreamStarts()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Stream([AnthropicWire.ErrorEvent("overloaded_error", "Overloaded")]);

        var e = await FailAsync(f, stream: true);

        Assert.Equal(503, e.Status);
    }

    /// <summary>The raw SSE a client receives (the .NET SDK skips in-band error events, so the wire is checked).</summary>
    private static async Task<string> RawStreamAsync(AnthropicFixture f)
    {
        using var http = f.Http();
        using var response = await http.PostAsync("/v1/chat/completions",
            ChatCompletionTests.Json("""{"model":"claude-sonnet-4-5","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Error_ErrorEventMidStream_ClientSeesTextThenInBandErrorWithoutDone()
    {
        await using var f = await AnthropicFixture.StartAsync();
        var events = AnthropicWire.Events(AnthropicWire.Message("msg_1", AnthropicWire.Model, [AnthropicWire.Text("Partial answer that never ends")]));
        events.Insert(5, AnthropicWire.ErrorEvent("overloaded_error", "Overloaded"));
        f.Upstream.Handler = _ => new AnthropicReply.Stream(events);

        var sse = await RawStreamAsync(f);

        Assert.Contains("\"content\":\"Partial\"", sse, StringComparison.Ordinal);
        var last = sse.Trim().Split("\n\n")[^1];
        Assert.StartsWith("data: {\"error\":", last, StringComparison.Ordinal);
        Assert.Contains("Overloaded", last, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", sse, StringComparison.Ordinal);
        Assert.DoesNotContain("finish_reason\":\"stop", sse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_StreamCutBeforeMessageStop_ClientSeesInBandErrorWithoutDone()
    {
        await using var f = await AnthropicFixture.StartAsync();
        var events = AnthropicWire.Events(AnthropicWire.Message("msg_1", AnthropicWire.Model, [AnthropicWire.Text("Partial answer")]));
        events.RemoveRange(events.Count - 2, 2);
        f.Upstream.Handler = _ => new AnthropicReply.Stream(events);

        var sse = await RawStreamAsync(f);

        var last = sse.Trim().Split("\n\n")[^1];
        Assert.StartsWith("data: {\"error\":", last, StringComparison.Ordinal);
        Assert.Contains("stream_interrupted", last, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", sse, StringComparison.Ordinal);
    }
}
