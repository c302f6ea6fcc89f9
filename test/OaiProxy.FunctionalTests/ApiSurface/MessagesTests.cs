using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using OaiProxy.Testing.Anthropic;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.ApiSurface;

public sealed class MessagesTests
{
    private static readonly Dictionary<string, System.Text.Json.JsonElement> NoParams = [];

    private static MessageCreateParams Params(JsonObject body) => MessageCreateParams.FromRawUnchecked(NoParams, NoParams, MessagesFixture.Raw(body));

    private static JsonObject Hello(string model) => new()
    {
        ["model"] = model, ["max_tokens"] = 256, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello" }),
    };

    private static JsonObject WeatherTool() => new()
    {
        ["name"] = "get_weather", ["description"] = "Current weather",
        ["input_schema"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } } },
    };

    [Theory]
    [InlineData(MessagesFixture.Native)]
    [InlineData(MessagesFixture.Translated)]
    public async Task Sdk_Plain(string model)
    {
        await using var fixture = await MessagesFixture.StartAsync();

        var message = await fixture.Client().Messages.Create(Params(Hello(model)));

        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.StartsWith("Hello from", text!.Text, StringComparison.Ordinal);
        Assert.Equal("end_turn", message.StopReason!.Raw());
        Assert.True(message.Usage.OutputTokens > 0);
    }

    [Theory]
    [InlineData(MessagesFixture.Native)]
    [InlineData(MessagesFixture.Translated)]
    public async Task Sdk_Streaming(string model)
    {
        await using var fixture = await MessagesFixture.StartAsync();
        var body = Hello(model);

        var text = new StringBuilder();
        string? stopReason = null;
        await foreach (var e in fixture.Client().Messages.CreateStreaming(Params(body)))
        {
            if (e.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var t)) text.Append(t!.Text);
            if (e.TryPickDelta(out var messageDelta)) stopReason = messageDelta!.Delta.StopReason?.Raw().ToString();
        }

        Assert.StartsWith("Hello from", text.ToString(), StringComparison.Ordinal);
        Assert.Equal("end_turn", stopReason);
    }

    [Theory]
    [InlineData(MessagesFixture.Native)]
    [InlineData(MessagesFixture.Translated)]
    public async Task Sdk_ToolUseOverSeveralTurns(string model)
    {
        await using var fixture = await MessagesFixture.StartAsync();
        fixture.Anthropic.Handler = r => r.Json["messages"]!.AsArray().Count == 1
            ? new AnthropicReply.Content([AnthropicWire.Text("Let me check."), AnthropicWire.ToolUse("toolu_01", "get_weather", new JsonObject { ["city"] = "Paris" })], "tool_use")
            : new AnthropicReply.Content([AnthropicWire.Text("Sunny in Paris.")]);
        fixture.OpenAi.Handler = r => r.Json["messages"]!.AsArray().Count == 1
            ? new FakeReply.Raw(200, OpenAiWire.Completion("c1", "gpt-4o", "Let me check.", "tool_calls", new JsonArray(new JsonObject
            {
                ["id"] = "toolu_01", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = """{"city":"Paris"}""" },
            })).ToJsonString())
            : new FakeReply.Raw(200, OpenAiWire.Completion("c2", "gpt-4o", "Sunny in Paris.").ToJsonString());
        var client = fixture.Client();
        var first = Hello(model);
        first["tools"] = new JsonArray(WeatherTool());

        var turn1 = await client.Messages.Create(Params(first));

        Assert.Equal("tool_use", turn1.StopReason!.Raw());
        Assert.True(turn1.Content[^1].TryPickToolUse(out var call));
        Assert.Equal("get_weather", call!.Name);
        Assert.Equal("Paris", call.Input["city"].GetString());

        var second = first.DeepClone().AsObject();
        second["messages"]!.AsArray().Add(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = new JsonArray(AnthropicWire.ToolUse(call.ID, "get_weather", new JsonObject { ["city"] = "Paris" })),
        });
        second["messages"]!.AsArray().Add(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = call.ID, ["content"] = "sunny, 24 C" }),
        });
        var turn2 = await client.Messages.Create(Params(second));

        Assert.True(Assert.Single(turn2.Content).TryPickText(out var answer));
        Assert.Equal("Sunny in Paris.", answer!.Text);
        if (model == MessagesFixture.Translated)
        {
            var sent = fixture.OpenAi.Requests.Last().Json["messages"]!.AsArray();
            Assert.Equal("tool", sent[^1]!["role"]!.GetValue<string>());
            Assert.Equal("toolu_01", sent[^1]!["tool_call_id"]!.GetValue<string>());
            Assert.Equal("get_weather", sent[^2]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData(MessagesFixture.Native)]
    [InlineData(MessagesFixture.Translated)]
    public async Task Sdk_ThinkingStream(string model)
    {
        await using var fixture = await MessagesFixture.StartAsync();
        fixture.Anthropic.Handler = _ => new AnthropicReply.Content([AnthropicWire.Thinking("Pondering.", "sig-abc"), AnthropicWire.Text("42")]);
        fixture.OpenAi.Handler = _ => new FakeReply.Stream([
            OpenAiWire.Chunk("c", "gpt-4o", new JsonObject { ["role"] = "assistant", ["reasoning_content"] = "Pondering." }).ToJsonString(),
            OpenAiWire.Chunk("c", "gpt-4o", new JsonObject { ["content"] = "42" }).ToJsonString(),
            OpenAiWire.Chunk("c", "gpt-4o", new JsonObject(), "stop").ToJsonString(),
            OpenAiWire.UsageChunk("c", "gpt-4o", 9, 3).ToJsonString(),
        ]);
        var body = Hello(model);
        body["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 1024 };
        body["max_tokens"] = 2048;

        var thinking = new StringBuilder();
        var text = new StringBuilder();
        var signature = "";
        await foreach (var e in fixture.Client().Messages.CreateStreaming(Params(body)))
        {
            if (!e.TryPickContentBlockDelta(out var delta)) continue;
            if (delta!.Delta.TryPickThinking(out var th)) thinking.Append(th!.Thinking);
            if (delta.Delta.TryPickText(out var t)) text.Append(t!.Text);
            if (delta.Delta.TryPickSignature(out var s)) signature = s!.Signature;
        }

        Assert.Equal("Pondering.", thinking.ToString());
        Assert.Equal("42", text.ToString());
        if (model == MessagesFixture.Native) Assert.Equal("sig-abc", signature);
        else Assert.Equal("low", fixture.OpenAi.Requests.Last().Json["reasoning_effort"]!.GetValue<string>());
    }

    [Fact]
    public async Task Native_Json_IsRelayedByteForByte_WithClientHeaders()
    {
        await using var fixture = await MessagesFixture.StartAsync();
        const string upstream = """{"id":"msg_x","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"thinking","thinking":"t","signature":"EqQB\/+=="},{"type":"text","text":"hi","citations":null}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"cache_read_input_tokens":100,"output_tokens":1},"extra_field":  {"kept":true}}""";
        fixture.Anthropic.Handler = _ => new AnthropicReply.Raw(200, upstream);
        using var http = fixture.Http();
        http.DefaultRequestHeaders.Add("anthropic-beta", "interleaved-thinking-2025-05-14");
        const string body = """{"model":"claude-sonnet-4-5","max_tokens":64,"system":[{"type":"text","text":"S","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"hi"}]}""";

        using var response = await http.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(upstream, await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(fixture.Anthropic.Requests);
        Assert.Equal(body, sent.Body);
        Assert.Equal("interleaved-thinking-2025-05-14", sent.Headers["anthropic-beta"]);
        Assert.Equal(fixture.Anthropic.ApiKey, sent.Headers["x-api-key"]);
    }

    [Fact]
    public async Task Native_Stream_IsRelayedByteForByte()
    {
        await using var fixture = await MessagesFixture.StartAsync();
        var message = AnthropicWire.Message("msg_s", "claude-sonnet-4-5", [
            AnthropicWire.Thinking("Let me think", "EqQBCkgIARAB/sig=="),
            AnthropicWire.ToolUse("toolu_9", "get_weather", new JsonObject { ["city"] = "Paris" }),
        ], "tool_use");
        var events = AnthropicWire.Events(message);
        fixture.Anthropic.Handler = _ => new AnthropicReply.Stream(events, PieceSize: 7);
        using var http = fixture.Http();
        var body = Hello(MessagesFixture.Native);
        body["stream"] = true;

        using var response = await http.PostAsync("/v1/messages", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(AnthropicWire.Frame(events), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(MessagesFixture.Native, 42)]
    [InlineData(MessagesFixture.Translated, -1)]
    public async Task Sdk_CountTokens(string model, int expected)
    {
        await using var fixture = await MessagesFixture.StartAsync();
        var body = Hello(model);
        body.Remove("max_tokens");

        var count = await fixture.Client().Messages.CountTokens(MessageCountTokensParams.FromRawUnchecked(NoParams, NoParams, MessagesFixture.Raw(body)));

        if (expected > 0) Assert.Equal(expected, count.InputTokens);
        else Assert.InRange(count.InputTokens, 2, 10);
    }

    [Fact]
    public async Task Errors_InAnthropicShape()
    {
        await using var fixture = await MessagesFixture.StartAsync();
        using var http = fixture.Http();

        using var unknown = await http.PostAsync("/v1/messages", new StringContent(Hello("nope").ToJsonString(), Encoding.UTF8, "application/json"));
        using var noMaxTokens = await http.PostAsync("/v1/messages", new StringContent("""{"model":"gpt-4o","messages":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var error = JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("not_found_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, noMaxTokens.StatusCode);
        Assert.Equal("invalid_request_error", JsonNode.Parse(await noMaxTokens.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
    }
}
