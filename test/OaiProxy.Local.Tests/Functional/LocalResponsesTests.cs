using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.Testing.Responses;

namespace OaiProxy.Local.Tests.Functional;

/// <summary>
/// <c>/v1/responses</c> in front of a local GGUF model: translated through chat's mapping like any chat connection,
/// every answer and stream checked by the Responses schema validators. The prompt the model received is observed
/// through its exact token count, computed with the model's own template for the conversation expected. What a
/// local model cannot do (tools, images, structured output) is refused with a 400 naming the client's own field.
/// </summary>
public sealed class LocalResponsesTests(SharedLocalProxy fixture) : IClassFixture<SharedLocalProxy>
{
    private const string FunctionTool = """{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}""";

    private ResponsesHttpClient Client() => new(fixture.Server.BaseUrl, LocalProxy.ClientKey);

    private int PromptTokens(params LocalChatMessage[] conversation) => LocalProxy.ModelOf(fixture.Server, "upper").Loaded!.Prompt.Build(conversation).Length;

    private static string Text(JsonNode response) => response["output"]![0]!["content"]![0]!["text"]!.GetValue<string>();

    [Fact]
    public async Task Json_TextAnswer_CompletedWithTheModelsOwnUsage()
    {
        using var client = Client();

        var (status, response) = await client.CreateAsync("""{"model":"tiny-bigram","input":"X"}""");

        Assert.True(status == HttpStatusCode.OK, response.ToJsonString());
        Assert.Equal("completed", response["status"]!.GetValue<string>());
        Assert.Equal("tiny-bigram", response["model"]!.GetValue<string>());
        var message = Assert.Single(response["output"]!.AsArray())!;
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal("UVWXYZ.", Text(response));
        Assert.Equal(PromptTokens(new LocalChatMessage("user", "X")), response["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(8, response["usage"]!["output_tokens"]!.GetValue<int>()); // seven characters and the end-of-generation token
    }

    [Fact]
    public async Task Stream_TextAnswer_DeltasThenCompletedWithUsage()
    {
        using var client = Client();

        var (_, events) = await client.StreamAsync("""{"model":"tiny-bigram","stream":true,"instructions":"Be brief.","input":"X"}""");

        var types = events.Select(e => e["type"]!.GetValue<string>()).ToList();
        Assert.Equal(["response.created", "response.in_progress"], types.Take(2));
        Assert.Equal("response.completed", types[^1]);
        var deltas = events.Where(e => e["type"]!.GetValue<string>() == "response.output_text.delta").Select(e => e["delta"]!.GetValue<string>()).ToList();
        Assert.True(deltas.Count > 1, "The text arrives piece by piece.");
        Assert.Equal("UVWXYZ.", string.Concat(deltas));
        var final = events[^1]["response"]!;
        Assert.Equal("UVWXYZ.", Text(final));
        Assert.Equal(PromptTokens(new("system", "Be brief."), new("user", "X")), final["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(8, final["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task MaxOutputTokens_IsAnIncompleteResponse_JsonAndStream()
    {
        using var client = Client();

        var (_, response) = await client.CreateAsync("""{"model":"lower","input":"X","max_output_tokens":5}""");

        Assert.Equal("incomplete", response["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", response["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal("abcde", Text(response));
        Assert.Equal(5, response["usage"]!["output_tokens"]!.GetValue<int>());

        var (_, events) = await client.StreamAsync("""{"model":"lower","stream":true,"input":"X","max_output_tokens":5}""");

        Assert.Equal("response.incomplete", events[^1]["type"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", events[^1]["response"]!["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal("abcde", Text(events[^1]["response"]!));
    }

    [Fact]
    public async Task ContextFull_IsAnIncompleteResponse()
    {
        using var client = Client();

        // "lower" never ends by itself: its 256-token context does.
        var (_, response) = await client.CreateAsync("""{"model":"lower","input":"X"}""");

        Assert.Equal("incomplete", response["status"]!.GetValue<string>());
        Assert.Equal("max_output_tokens", response["incomplete_details"]!["reason"]!.GetValue<string>());
        Assert.Equal(256, response["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task PreviousResponseId_TheSecondPromptCarriesTheFirstTurnButNotItsInstructions()
    {
        using var client = Client();
        var (_, first) = await client.StreamAsync("""{"model":"tiny-bigram","stream":true,"instructions":"Ignore me.","input":"X"}""");
        var id = first[^1]["response"]!["id"]!.GetValue<string>();

        var (status, second) = await client.CreateAsync($$"""{"model":"tiny-bigram","previous_response_id":"{{id}}","instructions":"Be brief.","input":"Y"}""");

        Assert.True(status == HttpStatusCode.OK, second.ToJsonString());
        Assert.Equal(id, second["previous_response_id"]!.GetValue<string>());
        Assert.Equal("UVWXYZ.", Text(second));
        // As with OpenAI, the earlier request's instructions are not carried over; its input and answer are.
        var expected = PromptTokens(new("system", "Be brief."), new("user", "X"), new("assistant", "UVWXYZ."), new("user", "Y"));
        Assert.Equal(expected, second["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.True(expected > PromptTokens(new("system", "Be brief."), new("user", "Y")) + 10);
    }

    [Theory]
    [InlineData($$"""{"model":"tiny-bigram","input":"Weather?","tools":[{{FunctionTool}}]}""", "tools", "'tools' is not supported by local models")]
    [InlineData("""{"model":"tiny-bigram","input":[{"role":"user","content":"Weather?"},{"type":"function_call","call_id":"c1","name":"get_weather","arguments":"{}"},{"type":"function_call_output","call_id":"c1","output":"sunny"}]}""",
        "input[1].tool_calls", "'input[1]' carries tool calls, but local models do not support tool calling")]
    [InlineData("""{"model":"tiny-bigram","instructions":"Look.","input":[{"role":"user","content":[{"type":"input_text","text":"X"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]}]}""",
        "input[0].content[1]", "'input[0].content[1]' is an 'image_url' part, but local models accept text only")]
    [InlineData("""{"model":"tiny-bigram","input":"X","text":{"format":{"type":"json_schema","name":"n","schema":{"type":"object","properties":{}}}}}""",
        "text.format", "'text.format' of type 'json_schema' is not supported by local models")]
    [InlineData("""{"model":"tiny-bigram","input":"X","text":{"format":{"type":"json_object"}}}""", "text.format", "'text.format' of type 'json_object' is not supported")]
    public async Task WhatTheModelCannotDo_IsRefusedWith400NamingTheClientsField(string body, string param, string message)
    {
        using var client = Client();

        var (status, error) = await client.CreateAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Equal("unsupported_parameter", error["error"]!["code"]!.GetValue<string>());
        Assert.Equal(param, error["error"]!["param"]!.GetValue<string>());
        Assert.StartsWith(message, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostedToolsAndReasoning_AreDroppedAndTheModelAnswers()
    {
        using var client = Client();

        // Hosted tools run nowhere but at OpenAI (dropped with a warning, as for any chat connection); the effort has no meaning for the model.
        var (status, response) = await client.CreateAsync("""{"model":"tiny-bigram","input":"X","tools":[{"type":"web_search"}],"reasoning":{"effort":"high"},"text":{"format":{"type":"text"}}}""");

        Assert.True(status == HttpStatusCode.OK, response.ToJsonString());
        Assert.Equal("UVWXYZ.", Text(response));
        Assert.Equal(PromptTokens(new LocalChatMessage("user", "X")), response["usage"]!["input_tokens"]!.GetValue<int>());
    }
}
