using System.Text.Json.Nodes;
using OaiProxy.Testing.Gemini;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Gemini;

public sealed class GeminiToolTests
{
    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "Current weather",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
        functionSchemaIsStrict: true);

    private static readonly ChatTool Clock = ChatTool.CreateFunctionTool("get_time", "Current time",
        BinaryData.FromString("""{"type":"object","properties":{}}"""));

    [Fact]
    public async Task Tools_SeveralTurns_RoundTripCallsSignaturesAndResults()
    {
        await using var f = await GeminiFixture.StartAsync();
        var turn = 0;
        f.Upstream.Handler = r => ++turn switch
        {
            1 => new GeminiReply.Response(GeminiWire.Response([GeminiWire.Candidate(
                [GeminiWire.Text("Let me check."), GeminiWire.Call("get_weather", new JsonObject { ["city"] = "Paris" }, signature: "c2lnLW9uZQ==")])],
                GeminiWire.Usage(20, 5), "gemini-3-pro-preview", "resp-turn-1")),
            2 => new GeminiReply.Response(GeminiWire.Response([GeminiWire.Candidate(
                [GeminiWire.Call("get_time", signature: "c2lnLXR3bw==")])], GeminiWire.Usage(30, 5), "gemini-3-pro-preview", "resp-turn-2")),
            _ => new GeminiReply.Response(GeminiWire.Response("It is 21C in Paris at noon.", model: "gemini-3-pro-preview")),
        };
        var options = new ChatCompletionOptions { Tools = { Weather, Clock }, ToolChoice = ChatToolChoice.CreateAutoChoice() };
        var chat = f.Chat("gemini-3-pro-preview");
        List<ChatMessage> messages = [new UserChatMessage("Weather and time in Paris?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, options);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal("Let me check.", first.Content[0].Text);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "21C sunny"));

        ChatCompletion second = await chat.CompleteChatAsync(messages, options);
        var clock = Assert.Single(second.ToolCalls);
        Assert.Equal("{}", clock.FunctionArguments.ToString());
        messages.Add(new AssistantChatMessage(second));
        messages.Add(new ToolChatMessage(clock.Id, """{"time":"12:00"}"""));

        ChatCompletion third = await chat.CompleteChatAsync(messages, options);
        Assert.Equal("It is 21C in Paris at noon.", third.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, third.FinishReason);

        var requests = f.Upstream.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        var declarations = requests[0].Json["tools"]![0]!["functionDeclarations"]!.AsArray();
        Assert.Equal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", declarations[0]!["parameters"]!.ToJsonString());
        Assert.Null(declarations[1]!["parameters"]);
        Assert.Equal("AUTO", requests[0].Json["toolConfig"]!["functionCallingConfig"]!["mode"]!.GetValue<string>());
        var contents = requests[2].Contents;
        Assert.Equal(["user", "model", "user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        Assert.Equal("c2lnLW9uZQ==", contents[1]!["parts"]![1]!["thoughtSignature"]!.GetValue<string>());
        Assert.Equal("c2lnLXR3bw==", contents[3]!["parts"]![0]!["thoughtSignature"]!.GetValue<string>());
        Assert.Equal("""{"name":"get_weather","response":{"output":"21C sunny"}}""", contents[2]!["parts"]![0]!["functionResponse"]!.ToJsonString());
        Assert.Equal("""{"name":"get_time","response":{"time":"12:00"}}""", contents[4]!["parts"]![0]!["functionResponse"]!.ToJsonString());
    }

    [Fact]
    public async Task Tools_ParallelCalls_BecomeSeveralToolCallsAndOneResponseTurn()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = r => r.Contents.Count == 1
            ? new GeminiReply.Response(GeminiWire.Response([GeminiWire.Candidate(
            [
                GeminiWire.Call("get_weather", new JsonObject { ["city"] = "Paris" }, id: "fc-1", signature: "c2ln"),
                GeminiWire.Call("get_weather", new JsonObject { ["city"] = "Rome" }, id: "fc-2"),
            ])], GeminiWire.Usage(20, 10)))
            : new GeminiReply.Response(GeminiWire.Response("Paris 21C, Rome 25C."));
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris and Rome?")];

        ChatCompletion first = await f.Chat().CompleteChatAsync(messages, options);
        Assert.Equal(2, first.ToolCalls.Count);
        Assert.NotEqual(first.ToolCalls[0].Id, first.ToolCalls[1].Id);
        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(first.ToolCalls[1].Id, "25C"));
        messages.Add(new ToolChatMessage(first.ToolCalls[0].Id, "21C"));
        ChatCompletion second = await f.Chat().CompleteChatAsync(messages, options);

        Assert.Equal("Paris 21C, Rome 25C.", second.Content[0].Text);
        var sent = f.Upstream.Requests.ToArray()[1];
        Assert.Equal("ANY", sent.Json["toolConfig"]!["functionCallingConfig"]!["mode"]!.GetValue<string>());
        var model = sent.Contents[1]!["parts"]!.AsArray();
        Assert.Equal("fc-1", model[0]!["functionCall"]!["id"]!.GetValue<string>());
        Assert.Equal("c2ln", model[0]!["thoughtSignature"]!.GetValue<string>());
        Assert.Null(model[1]!["thoughtSignature"]);
        var results = sent.Contents[2]!["parts"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal("fc-2", results[0]!["functionResponse"]!["id"]!.GetValue<string>());
        Assert.Equal("fc-1", results[1]!["functionResponse"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tools_ForcedFunction_SendsAnyWithAllowedName()
    {
        await using var f = await GeminiFixture.StartAsync();

        await f.Chat().CompleteChatAsync([new UserChatMessage("Weather?")],
            new ChatCompletionOptions { Tools = { Weather, Clock }, ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather") });

        var config = Assert.Single(f.Upstream.Requests).Json["toolConfig"]!["functionCallingConfig"]!;
        Assert.Equal("""{"mode":"ANY","allowedFunctionNames":["get_weather"]}""", config.ToJsonString());
    }

    [Fact]
    public async Task Tools_HistoryFromAnotherModel_GetsTheSignatureSentinelOnGemini3()
    {
        await using var f = await GeminiFixture.StartAsync();

        await f.Chat("gemini-3-pro-preview").CompleteChatAsync(
        [
            new UserChatMessage("Weather?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_from_gpt", "get_weather", BinaryData.FromString("""{"city":"Oslo"}"""))]),
            new ToolChatMessage("call_from_gpt", "5C"),
        ], new ChatCompletionOptions { Tools = { Weather } });

        var part = Assert.Single(f.Upstream.Requests).Contents[1]!["parts"]![0]!;
        Assert.Equal("skip_thought_signature_validator", part["thoughtSignature"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tools_ResultForUnknownCallId_IsAClientError()
    {
        await using var f = await GeminiFixture.StartAsync();

        var e = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat().CompleteChatAsync(
            [new UserChatMessage("Hi"), new ToolChatMessage("call_nowhere", "x")]));

        Assert.Equal(400, e.Status);
        Assert.Contains("call_nowhere", e.Message, StringComparison.Ordinal);
        Assert.Empty(f.Upstream.Requests);
    }
}
