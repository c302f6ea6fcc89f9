using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.Anthropic;
using OaiProxy.Testing.Anthropic;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>
/// <c>/v1/responses</c> in front of Anthropic: reasoning becomes extended thinking, the signed thinking blocks travel
/// to the client sealed in <c>encrypted_content</c> and back to Anthropic whole, which the strict fake requires in a
/// tool loop exactly as the real API does.
/// </summary>
public sealed class ResponsesAnthropicUpstreamTests
{
    private const string Signature = "EqQBCkgIARABGAIiQL2fSignedByAnthropic";

    private const string WeatherTool = """
        {"type":"function","name":"get_weather","description":"Weather.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}
        """;

    private static JsonObject[] ThinkingThenToolCallBlocks() =>
        [AnthropicWire.Thinking("I should look the weather up.", Signature), AnthropicWire.ToolUse("toolu_01", "get_weather", new JsonObject { ["city"] = "Paris" })];

    private static JsonObject ThinkingThenToolCall() =>
        AnthropicWire.Message("msg_01A", AnthropicWire.Model, ThinkingThenToolCallBlocks(), "tool_use", AnthropicWire.Usage(input: 40, output: 30));

    private static JsonObject Sent(AnthropicFixture f) => JsonNode.Parse(f.Upstream.Requests.Last().Body)!.AsObject();

    [Fact]
    public async Task Json_ThinkingAndToolCall_ReplayedStateless_ReachAnthropicSignedAndFirst()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Content(ThinkingThenToolCallBlocks(), "tool_use");
        using var client = new ResponsesClient(f.Proxy.BaseUrl);
        const string Turn1Input = """[{"type":"message","role":"user","content":"Weather in Paris?"}]""";

        var (status, first) = await client.CreateAsync($$"""{"model":"claude-sonnet-4-5","input":{{Turn1Input}},"tools":[{{WeatherTool}}],"reasoning":{"effort":"low"},"max_output_tokens":4000,"store":false,"include":["reasoning.encrypted_content"]}""");

        Assert.True(status == HttpStatusCode.OK, first.ToJsonString());
        var thinking = Sent(f)["thinking"]!;
        Assert.Equal("enabled", thinking["type"]!.GetValue<string>());
        Assert.True(thinking["budget_tokens"]!.GetValue<int>() >= 1024);
        var output = first["output"]!.AsArray();
        Assert.Equal(["reasoning", "function_call"], output.Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal("I should look the weather up.", output[0]!["summary"]![0]!["text"]!.GetValue<string>());
        var sealedState = output[0]!["encrypted_content"]!.GetValue<string>();
        Assert.StartsWith("oaip1.", sealedState, StringComparison.Ordinal);
        Assert.DoesNotContain(Signature, sealedState, StringComparison.Ordinal);
        Assert.Equal("toolu_01", output[1]!["call_id"]!.GetValue<string>());
        Assert.Equal("completed", first["status"]!.GetValue<string>());

        f.Upstream.Handler = _ => new AnthropicReply.Content([AnthropicWire.Text("It is sunny in Paris.")]);
        var replay = JsonNode.Parse(Turn1Input)!.AsArray();
        foreach (var item in output) replay.Add(item!.DeepClone());
        replay.Add(new JsonObject { ["type"] = "function_call_output", ["call_id"] = "toolu_01", ["output"] = "22C, sunny" });

        var (status2, second) = await client.CreateAsync($$"""{"model":"claude-sonnet-4-5","input":{{replay.ToJsonString()}},"tools":[{{WeatherTool}}],"reasoning":{"effort":"low"},"max_output_tokens":4000,"store":false}""");

        Assert.True(status2 == HttpStatusCode.OK, second.ToJsonString());
        Assert.Equal("It is sunny in Paris.", second["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var assistant = Sent(f)["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "assistant")!["content"]!.AsArray();
        Assert.Equal("thinking", assistant[0]!["type"]!.GetValue<string>());
        Assert.Equal(Signature, assistant[0]!["signature"]!.GetValue<string>());
        Assert.Equal("I should look the weather up.", assistant[0]!["thinking"]!.GetValue<string>());
        Assert.Equal("tool_use", assistant[1]!["type"]!.GetValue<string>());
        var results = Sent(f)["messages"]!.AsArray().Last()!["content"]!.AsArray();
        Assert.Equal("toolu_01", results[0]!["tool_use_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_ThinkingAndToolCall_ThenPreviousResponseId_KeepsTheSignedThinking()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Stream(AnthropicWire.Events(ThinkingThenToolCall()));
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, events) = await client.StreamAsync($$"""{"model":"claude-sonnet-4-5","stream":true,"input":"Weather in Paris?","tools":[{{WeatherTool}}],"reasoning":{"effort":"low"},"max_output_tokens":4000}""");

        var types = events.Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.Contains("response.reasoning_summary_text.delta", types);
        Assert.True(types.IndexOf("response.reasoning_summary_text.done") < types.IndexOf("response.function_call_arguments.delta"));
        var terminal = events[^1]["response"]!.AsObject();
        Assert.Equal("completed", terminal["status"]!.GetValue<string>());
        Assert.Equal(40, terminal["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(30, terminal["usage"]!["output_tokens"]!.GetValue<int>());
        var id = terminal["id"]!.GetValue<string>();

        f.Upstream.Handler = _ => new AnthropicReply.Stream(AnthropicWire.Events(AnthropicWire.Message("msg_01B", AnthropicWire.Model, [AnthropicWire.Text("Sunny.")])));
        var (_, next) = await client.StreamAsync($$"""{"model":"claude-sonnet-4-5","stream":true,"previous_response_id":"{{id}}","input":[{"type":"function_call_output","call_id":"toolu_01","output":"22C"}],"tools":[{{WeatherTool}}],"reasoning":{"effort":"low"},"max_output_tokens":4000}""");

        Assert.Equal("response.completed", next[^1]["type"]!.GetValue<string>());
        Assert.Equal("Sunny.", next[^1]["response"]!["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var assistant = Sent(f)["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "assistant")!["content"]!.AsArray();
        Assert.Equal(Signature, assistant[0]!["signature"]!.GetValue<string>());
    }

    [Fact]
    public async Task RedactedThinking_TravelsBackOpaque()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Content([AnthropicWire.RedactedThinking("EmwKAhgBEgy3va3pzixOpaque"), AnthropicWire.ToolUse("toolu_02", "get_weather", new JsonObject { ["city"] = "Oslo" })], "tool_use");
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, first) = await client.CreateAsync($$"""{"model":"claude-sonnet-4-5","input":"Oslo?","tools":[{{WeatherTool}}],"reasoning":{"effort":"low"},"max_output_tokens":4000}""");
        f.Upstream.Handler = _ => new AnthropicReply.Content([AnthropicWire.Text("Cold.")]);
        var (status, _) = await client.CreateAsync($$"""{"model":"claude-sonnet-4-5","previous_response_id":"{{first["id"]}}","input":[{"type":"function_call_output","call_id":"toolu_02","output":"-3C"}],"tools":[{{WeatherTool}}],"reasoning":{"effort":"low"},"max_output_tokens":4000}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var assistant = Sent(f)["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "assistant")!["content"]!.AsArray();
        Assert.Equal("redacted_thinking", assistant[0]!["type"]!.GetValue<string>());
        Assert.Equal("EmwKAhgBEgy3va3pzixOpaque", assistant[0]!["data"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpstreamErrors_AreResponsesErrors_AndMidStreamFailureIsResponseFailed()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Error(529, "overloaded_error", "Overloaded");
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (status, error) = await client.CreateAsync("""{"model":"claude-sonnet-4-5","input":"Hi"}""");

        Assert.True((int)status is 503 or 529, $"status {(int)status}");
        Assert.NotNull(error["error"]!["message"]);
        Assert.DoesNotContain(f.Upstream.ApiKey, error.ToJsonString(), StringComparison.Ordinal);

        var events = AnthropicWire.Events(AnthropicWire.Message("msg_01C", AnthropicWire.Model, [AnthropicWire.Text("Partial answer then trouble")]));
        f.Upstream.Handler = _ => new AnthropicReply.Stream([.. events.Take(4), AnthropicWire.ErrorEvent("overloaded_error", "Overloaded")]);
        var (_, streamed) = await client.StreamAsync("""{"model":"claude-sonnet-4-5","stream":true,"input":"Hi"}""");

        var last = streamed[^1];
        Assert.Equal("response.failed", last["type"]!.GetValue<string>());
        Assert.Equal("failed", last["response"]!["status"]!.GetValue<string>());
        Assert.NotNull(last["response"]!["error"]!["message"]);
        Assert.Single(streamed, e => e["type"]!.GetValue<string>() is "response.completed" or "response.failed" or "response.incomplete");
    }

    [Fact]
    public async Task MaxTokens_IsAnIncompleteResponse()
    {
        await using var f = await AnthropicFixture.StartAsync();
        f.Upstream.Handler = _ => new AnthropicReply.Content([AnthropicWire.Text("Cut sh")], "max_tokens");
        using var client = new ResponsesClient(f.Proxy.BaseUrl);

        var (_, response) = await client.CreateAsync("""{"model":"claude-sonnet-4-5","input":"Write a lot","max_output_tokens":16}""");

        Assert.Equal("incomplete", response["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", response["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal(16, Sent(f)["max_tokens"]!.GetValue<int>());
    }
}
