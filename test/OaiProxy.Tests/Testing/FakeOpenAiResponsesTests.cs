using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;
using OaiProxy.Testing.Responses;

namespace OaiProxy.Tests.Testing;

/// <summary>The fake OpenAI upstream's <c>POST /v1/responses</c>: the real API's request checks and valid answers.</summary>
public sealed class FakeOpenAiResponsesTests : IAsyncLifetime
{
    private FakeOpenAiServer _sut = null!;

    public async Task InitializeAsync() => _sut = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _sut.DisposeAsync();

    [Fact]
    public async Task Post_TextInput_AnswersAValidResponseObjectAndRecordsTheRequest()
    {
        var (status, body) = await PostAsync("""{"model":"gpt-4o","input":"Hi","instructions":"Be brief.","store":false}""");

        Assert.Equal(HttpStatusCode.OK, status);
        ResponseResourceValidator.AssertValid(body);
        var response = JsonNode.Parse(body)!;
        Assert.Equal("Hello from gpt-4o!", response["output"]![0]!["content"]![0]!["text"]!.ToString());
        Assert.Equal("Be brief.", response["instructions"]!.ToString());
        Assert.False(response["store"]!.GetValue<bool>());
        Assert.Equal("/v1/responses", Assert.Single(_sut.Requests).Path);
    }

    [Fact]
    public async Task Post_CodexShapedRequest_EchoesItsSettingsInAValidResponse()
    {
        var (status, body) = await PostAsync("""
            {"model":"gpt-5.5","stream":false,"input":[{"type":"message","role":"developer","content":[{"type":"input_text","text":"Be a coding agent."}]}],
             "tools":[{"type":"custom","name":"apply_patch","description":"Edit files.","format":{"type":"grammar","syntax":"lark","definition":"start: /.+/"}},
                      {"type":"web_search","external_web_access":true}],
             "tool_choice":"auto","parallel_tool_calls":true,"reasoning":{"effort":"medium"},"store":false,
             "include":["reasoning.encrypted_content"],"prompt_cache_key":"thread-1","text":{"verbosity":"low"},
             "client_metadata":{"session_id":"thread-1"}}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        ResponseResourceValidator.AssertValid(body);
        var response = JsonNode.Parse(body)!;
        Assert.Equal("low", response["text"]!["verbosity"]!.ToString());
        Assert.Equal("medium", response["reasoning"]!["effort"]!.ToString());
        Assert.Equal("thread-1", response["prompt_cache_key"]!.ToString());
    }

    [Fact]
    public async Task Post_Stream_AnswersAValidEventStream()
    {
        using var http = Http();
        using var request = Request("""{"model":"gpt-4o","input":[{"role":"user","content":"Hi"}],"stream":true}""");
        using var response = await http.SendAsync(request);
        var sse = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        ResponsesEventValidator.AssertValid(sse);
        Assert.Contains("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\"", sse, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ScriptedFunctionCall_StreamsItWithTheRequestsTools()
    {
        _sut.ResponsesHandler = _ => new FakeReply.Output([OpenAiResponsesWire.FunctionCall("fc_1", "call_1", "get_weather", """{"city":"Paris"}""")]);

        var (_, sse) = await PostAsync("""
            {"model":"gpt-4o","input":"Weather?","stream":true,"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}
            """);

        ResponsesEventValidator.AssertValid(sse);
        Assert.Contains("\"strict\":true", sse, StringComparison.Ordinal);
        Assert.Contains("response.function_call_arguments.done", sse, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o","input":"Hi","messages":[]}""", "Unknown parameter: 'messages'.", "unknown_parameter", "messages")]
    [InlineData("""{"input":"Hi"}""", "Missing required parameter: 'model'.", "missing_required_parameter", "model")]
    [InlineData("""{"model":"gpt-4o"}""", "Missing required parameter: 'input'.", "missing_required_parameter", "input")]
    [InlineData("""{"model":"gpt-4o","input":42}""", "Invalid type for 'input'", "invalid_type", "input")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"chat_message","role":"user","content":"Hi"}]}""", "Invalid value: 'chat_message'.", "invalid_value", "input[0].type")]
    [InlineData("""{"model":"gpt-4o","input":[{"content":"Hi"}]}""", "Invalid value: ''.", "invalid_value", "input[0].type")]
    [InlineData("""{"model":"gpt-4o","input":[{"role":"tool","content":"Hi"}]}""", "Invalid value: 'tool'.", "invalid_value", "input[0].role")]
    [InlineData("""{"model":"gpt-4o","input":[{"type":"function_call_output","output":"sunny"}]}""", "Missing required parameter: 'input[0].call_id'.", "missing_required_parameter", "input[0].call_id")]
    [InlineData("""{"model":"gpt-4o","input":"Hi","tools":[{"type":"function"}]}""", "Missing required parameter: 'tools[0].name'.", "missing_required_parameter", "tools[0].name")]
    [InlineData("""{"model":"gpt-4o","input":"Hi","stream_options":{"include_obfuscation":false}}""", "only allowed when 'stream' is enabled", null, "stream_options")]
    [InlineData("""{"model":"gpt-4o","input":"Hi","previous_response_id":"resp_unknown"}""", "Previous response with id 'resp_unknown' not found.", "previous_response_not_found", "previous_response_id")]
    public async Task Post_InvalidRequest_Answers400LikeTheRealApi(string json, string message, string? code, string param)
    {
        var (status, body) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Contains(message, error["message"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", error["type"]!.ToString());
        Assert.Equal(code, error["code"]?.ToString());
        Assert.Equal(param, error["param"]?.ToString());
    }

    [Fact]
    public async Task Post_PreviousResponseId_FindsOnlyStoredResponses()
    {
        var stored = JsonNode.Parse((await PostAsync("""{"model":"gpt-4o","input":"Hi"}""")).Body)!["id"]!.ToString();
        var unstored = JsonNode.Parse((await PostAsync("""{"model":"gpt-4o","input":"Hi","store":false}""")).Body)!["id"]!.ToString();

        var (afterStored, body) = await PostAsync($$"""{"model":"gpt-4o","input":"Again","previous_response_id":"{{stored}}"}""");
        var (afterUnstored, _) = await PostAsync($$"""{"model":"gpt-4o","input":"Again","previous_response_id":"{{unstored}}"}""");

        Assert.Equal(HttpStatusCode.OK, afterStored);
        Assert.Equal(stored, JsonNode.Parse(body)!["previous_response_id"]!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, afterUnstored);
    }

    [Fact]
    public async Task Post_WrongKey_Answers401()
    {
        using var http = Http();
        using var request = Request("""{"model":"gpt-4o","input":"Hi"}""");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string json)
    {
        using var http = Http();
        using var request = Request(json);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = _sut.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _sut.ApiKey);
        return http;
    }

    private static HttpRequestMessage Request(string json) =>
        new(HttpMethod.Post, "/v1/responses") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
