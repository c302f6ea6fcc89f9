using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests;

public sealed class ChatCompletionTests
{
    [Fact]
    public async Task Chat_PlainRequest_ReturnsUpstreamCompletionWithIdModelAndUsage()
    {
        await using var f = await ProxyFixture.StartAsync();

        ChatCompletion completion = await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
        Assert.StartsWith("chatcmpl-fake", completion.Id);
        Assert.Equal("gpt-4o", completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(7, completion.Usage.InputTokenCount);
        var upstream = Assert.Single(f.Upstream.Requests);
        Assert.Equal($"Bearer {f.Upstream.ApiKey}", upstream.Headers["authorization"]);
    }

    [Fact]
    public async Task Chat_RenamingRoute_SendsConfiguredModelUpstream()
    {
        await using var f = await ProxyFixture.StartAsync();

        ChatCompletion completion = await f.Chat("alias-model").CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gpt-4o-mini!", completion.Content[0].Text);
        Assert.Equal("gpt-4o-mini", Assert.Single(f.Upstream.Requests).Model);
    }

    [Fact]
    public async Task Chat_UnknownRequestFields_ReachUpstreamUntouched()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http();
        var body = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"x_vendor_flag":{"deep":[1,2,3]},"metadata":{"a":"b"},"temperature":0.25}""";

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal(body, sent.Body);
    }

    [Fact]
    public async Task Chat_NEqualsTwo_ReturnsTwoChoices()
    {
        await using var f = await ProxyFixture.StartAsync();

        ChatCompletion completion = await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions());
        using var http = f.Http();
        using var response = await http.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","n":2,"messages":[{"role":"user","content":"Hi"}]}"""));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(2, json["choices"]!.AsArray().Count);
        Assert.Equal(1, json["choices"]![1]!["index"]!.GetValue<int>());
    }

    [Fact]
    public async Task Chat_ToolCallResponse_ReachesClientIntact()
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.Handler = r => new Testing.OpenAi.FakeReply.Raw(200, Testing.OpenAi.OpenAiWire.Completion("chatcmpl-tools", r.Model!, null, "tool_calls",
            new JsonArray(new JsonObject
            {
                ["id"] = "call_abc", ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{\"city\":\"Paris\"}" },
            })).ToJsonString());
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));

        ChatCompletion completion = await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Weather in Paris?")], new ChatCompletionOptions { Tools = { tool } });

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("call_abc", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("{\"city\":\"Paris\"}", call.FunctionArguments.ToString());
        Assert.NotNull(Assert.Single(f.Upstream.Requests).Json["tools"]);
    }

    internal static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
