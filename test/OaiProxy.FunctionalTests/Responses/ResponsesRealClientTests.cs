using System.Text.Json.Nodes;
using OaiProxy.Testing.Gemini;
using OaiProxy.Testing.Node;
using OaiProxy.Testing.Responses;
using OaiProxy.Testing.Scenarios;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>
/// The real Responses clients (the openai npm SDK, the OpenAI Agents SDK, the Vercel AI SDK and Codex, pinned in
/// test/clients) through the proxy's <c>/v1/responses</c>, in front of each kind of upstream: the same scenarios
/// <c>FakeResponsesUpstreamTests</c> runs against the fake API directly must succeed the same way here.
/// </summary>
public sealed class ResponsesRealClientTests
{
    [Theory]
    [InlineData(ResponsesUpstreamKind.Native)]
    [InlineData(ResponsesUpstreamKind.Chat)]
    [InlineData(ResponsesUpstreamKind.Anthropic)]
    [InlineData(ResponsesUpstreamKind.Gemini)]
    public async Task OpenAiNpmSdk_CreateStreamTwoTurnToolCallImageAndSchema(ResponsesUpstreamKind kind)
    {
        await using var upstream = await ScenarioUpstream.StartAsync(kind);

        var json = await RunAsync(upstream, "openai-responses.mjs", "gpt-4o");

        Assert.StartsWith("Hello from", json["create"]!["text"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("completed", json["stream"]!["final"]!["status"]!.ToString());
        var types = json["stream"]!["types"]!.AsArray().Select(t => t!.ToString()).ToList();
        Assert.Equal(["response.created", "response.in_progress"], types.Take(2));
        Assert.Equal("response.completed", types[^1]);
        Assert.Contains("response.output_text.delta", types);
        Assert.All(new[] { json["toolCall"]!, json["streamedToolCall"]! }, toolCall =>
        {
            Assert.Equal(Scenario.WeatherArguments, toolCall["first"]!["call"]!["arguments"]!.ToString());
            Assert.Equal(Scenario.WeatherAnswer, toolCall["second"]!["text"]!.ToString());
            Assert.Equal(toolCall["first"]!["id"]!.ToString(), toolCall["second"]!["previousResponseId"]!.ToString());
        });
        Assert.All(json["create"]!["output"]!.AsArray(), item => Assert.Empty(ResponseItemValidator.Validate(item)));

        Assert.Equal(Scenario.ImageAnswer, json["image"]!["text"]!.ToString());
        upstream.AssertImageReached(json["image"]!["dataUrl"]!.ToString(), "low");

        var format = json["schema"]!["format"]!;
        Assert.Equal(Scenario.WeatherReportName, format["name"]!.ToString());
        upstream.AssertSchemaReached(Scenario.WeatherReportName, format["schema"]!, strict: true);
        var report = JsonNode.Parse(Scenario.WeatherReport);
        Assert.True(JsonNode.DeepEquals(report, json["schema"]!["parsed"]!["outputParsed"]), json["schema"]!["parsed"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(format, json["schema"]!["parsed"]!["echoed"]), json["schema"]!["parsed"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(report, json["schema"]!["stream"]!["outputParsed"]), json["schema"]!["stream"]!.ToJsonString());
        Assert.Equal("response.completed", json["schema"]!["stream"]!["types"]!.AsArray()[^1]!.ToString());
    }

    [Theory]
    [InlineData(ResponsesUpstreamKind.Native)]
    [InlineData(ResponsesUpstreamKind.Chat)]
    [InlineData(ResponsesUpstreamKind.Anthropic)]
    [InlineData(ResponsesUpstreamKind.Gemini)]
    public async Task AgentsSdk_RunWithAFunctionTool(ResponsesUpstreamKind kind)
    {
        await using var upstream = await ScenarioUpstream.StartAsync(kind);

        var json = await RunAsync(upstream, "agents-tool.mjs", "gpt-4o");

        Assert.Equal(Scenario.WeatherAnswer, json["finalOutput"]!.ToString());
        Assert.Equal("Paris", Assert.Single(json["toolCalls"]!.AsArray())!.ToString());
        Assert.Equal(2, json["responses"]!.GetValue<int>());
        Assert.Equal(2, upstream.Requests.Count);
    }

    [Theory]
    [InlineData(ResponsesUpstreamKind.Native)]
    [InlineData(ResponsesUpstreamKind.Chat)]
    [InlineData(ResponsesUpstreamKind.Anthropic)]
    [InlineData(ResponsesUpstreamKind.Gemini)]
    public async Task AiSdk_GenerateTextWithATool_TakesTwoSteps(ResponsesUpstreamKind kind)
    {
        await using var upstream = await ScenarioUpstream.StartAsync(kind);

        var json = await RunAsync(upstream, "ai-sdk-tool.mjs", "gpt-4o");

        Assert.Equal(Scenario.WeatherAnswer, json["text"]!.ToString());
        Assert.Equal(2, json["steps"]!.GetValue<int>());
        Assert.Equal("get_weather", Assert.Single(json["toolCalls"]!.AsArray())!["name"]!.ToString());
        Assert.True(json["usage"]!["totalTokens"]!.GetValue<int>() > 0);
    }

    [Theory]
    [InlineData(ResponsesUpstreamKind.Native)]
    [InlineData(ResponsesUpstreamKind.Chat)]
    [InlineData(ResponsesUpstreamKind.Anthropic)]
    [InlineData(ResponsesUpstreamKind.Gemini)]
    public async Task CodexExec_RunsTheShellCommandAndAppliesThePatch(ResponsesUpstreamKind kind)
    {
        await using var upstream = await ScenarioUpstream.StartAsync(kind);

        var json = await RunAsync(upstream, "codex-exec.mjs", "gpt-5.5");

        Assert.True(json["exitCode"]!.GetValue<int>() == 0, json.ToJsonString());
        Assert.Equal(Scenario.CodexAnswer, json["finalMessage"]!.ToString().Trim());
        Assert.Equal("shell-ok\n", json["files"]!["shell.txt"]!.ToString());
        Assert.Equal(Scenario.PatchedText + "\n", json["files"]![Scenario.PatchedFile]!.ToString());
        Assert.Equal(3, upstream.Requests.Count);
        if (kind == ResponsesUpstreamKind.Gemini) AssertSignedTurnsReplayed(upstream.Requests[^1], ["exec_command", "apply_patch"]);
    }

    /// <summary>
    /// Codex keeps no server state (store false): each signed thought must have come back through its reasoning
    /// item's encrypted_content, and each call's signature through its call id, on the model turns Gemini sent them in.
    /// </summary>
    private static void AssertSignedTurnsReplayed(JsonObject last, string[] calls)
    {
        var turns = last["contents"]!.AsArray().Where(c => c!["role"]!.ToString() == "model").Select(c => c!["parts"]!.AsArray()).ToList();
        Assert.Equal(calls.Length, turns.Count);
        for (var i = 0; i < calls.Length; i++)
        {
            Assert.Equal(GeminiScenarioReplies.Thought, turns[i][0]!["text"]!.ToString());
            Assert.True(turns[i][0]!["thought"]!.GetValue<bool>());
            Assert.Equal(GeminiScenarioReplies.ThoughtSignature(i + 1), turns[i][0]!["thoughtSignature"]!.ToString());
            Assert.Equal(calls[i], turns[i][1]!["functionCall"]!["name"]!.ToString());
            Assert.Equal(GeminiScenarioReplies.CallSignature(calls[i]), turns[i][1]!["thoughtSignature"]!.ToString());
        }
    }

    private static async Task<JsonObject> RunAsync(ScenarioUpstream upstream, string scenario, string model)
    {
        var result = await NodeScript.RunAsync(scenario, NodeScript.Target(upstream.Proxy.BaseUrl, ProxyFixture.ClientKey, model));
        Assert.True(result.ExitCode == 0 && result.Json?["ok"]?.GetValue<bool>() == true, result.ToString());
        return result.Json!;
    }
}
