using System.Text.Json.Nodes;
using OaiProxy.Testing.Node;
using OaiProxy.Testing.OpenAi;
using OaiProxy.Testing.Scenarios;

namespace OaiProxy.FunctionalTests.Clients;

/// <summary>
/// The Responses scenarios against the strict fake upstream directly, with <see cref="ScenarioReplies"/>: the real
/// clients accept the fake's answers (so it is a fair stand-in for the API) and the fake accepts their requests (so
/// its checks are not stricter than the API). The proxy's <c>/v1/responses</c> tests run the same scenarios through
/// the proxy.
/// </summary>
public sealed class FakeResponsesUpstreamTests : IAsyncLifetime
{
    private FakeOpenAiServer _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeOpenAiServer.StartAsync();
        _upstream.ResponsesHandler = ScenarioReplies.Responses;
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task OpenAiNpmSdk_CreateStreamToolCallImageAndSchema_Succeed()
    {
        var json = await RunAsync("openai-responses.mjs", "gpt-4o");

        Assert.Equal("Hello from gpt-4o!", json["create"]!["text"]!.ToString());
        Assert.Equal("completed", json["stream"]!["final"]!["status"]!.ToString());
        var types = json["stream"]!["types"]!.AsArray().Select(t => t!.ToString()).ToList();
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.completed", types[^1]);
        Assert.Contains("response.output_text.delta", types);
        Assert.Equal(Scenario.WeatherArguments, json["toolCall"]!["first"]!["call"]!["arguments"]!.ToString());
        Assert.Equal(Scenario.WeatherAnswer, json["toolCall"]!["second"]!["text"]!.ToString());
        var previous = _upstream.Requests.Select(r => r.Json["previous_response_id"]?.ToString()).OfType<string>();
        Assert.Equal([json["toolCall"]!["first"]!["id"]!.ToString(), json["streamedToolCall"]!["first"]!["id"]!.ToString()], previous);
        Assert.Equal(Scenario.WeatherAnswer, json["streamedToolCall"]!["second"]!["text"]!.ToString());
        Assert.Equal(Scenario.ImageAnswer, json["image"]!["text"]!.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Scenario.WeatherReport), json["schema"]!["parsed"]!["outputParsed"]), json["schema"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Scenario.WeatherReport), json["schema"]!["stream"]!["outputParsed"]), json["schema"]!.ToJsonString());
    }

    [Fact]
    public async Task AgentsSdk_RunWithAFunctionTool_CallsItAndAnswers()
    {
        var json = await RunAsync("agents-tool.mjs", "gpt-4o");

        Assert.Equal(Scenario.WeatherAnswer, json["finalOutput"]!.ToString());
        Assert.Equal("Paris", Assert.Single(json["toolCalls"]!.AsArray())!.ToString());
        Assert.Equal(2, json["responses"]!.GetValue<int>());
        var requests = _upstream.Requests.ToList();
        Assert.All(requests, r => Assert.Equal("/v1/responses", r.Path));
        Assert.Contains(requests[1].Json["input"]!.AsArray(), i => i?["type"]?.ToString() == "function_call_output");
    }

    [Fact]
    public async Task AiSdk_GenerateTextWithATool_TakesTwoSteps()
    {
        var json = await RunAsync("ai-sdk-tool.mjs", "gpt-4o");

        Assert.Equal(Scenario.WeatherAnswer, json["text"]!.ToString());
        Assert.Equal(2, json["steps"]!.GetValue<int>());
        Assert.Equal("get_weather", Assert.Single(json["toolCalls"]!.AsArray())!["name"]!.ToString());
        Assert.Equal(104, json["usage"]!["totalTokens"]!.GetValue<int>());
        Assert.All(_upstream.Requests, r => Assert.Equal("/v1/responses", r.Path));
    }

    [Fact]
    public async Task CodexExec_RunsTheShellCommandAndAppliesThePatch()
    {
        var json = await RunAsync("codex-exec.mjs", "gpt-5.5");

        Assert.Equal(0, json["exitCode"]!.GetValue<int>());
        Assert.Equal(Scenario.CodexAnswer, json["finalMessage"]!.ToString().Trim());
        Assert.Equal("shell-ok\n", json["files"]!["shell.txt"]!.ToString());
        Assert.Equal(Scenario.PatchedText + "\n", json["files"]![Scenario.PatchedFile]!.ToString());
        Assert.Equal(0, Assert.Single(json["commands"]!.AsArray())!["exitCode"]!.GetValue<int>());
        var requests = _upstream.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("/v1/responses", r.Path);
            Assert.True(r.Stream);
            Assert.False(r.Json["store"]!.GetValue<bool>());
            Assert.Equal("text/event-stream", r.Headers["accept"]);
        });
        Assert.Contains(requests[0].Json["tools"]!.AsArray(), t => t?["type"]?.ToString() == "custom" && t["name"]?.ToString() == "apply_patch");
    }

    private async Task<JsonObject> RunAsync(string scenario, string model)
    {
        var result = await NodeScript.RunAsync(scenario, NodeScript.Target(new Uri(_upstream.ApiBase), _upstream.ApiKey, model));
        Assert.True(result.ExitCode == 0 && result.Json?["ok"]?.GetValue<bool>() == true, result.ToString());
        return result.Json!;
    }
}
