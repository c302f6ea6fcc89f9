using OaiProxy.Dialects.Responses;
using OaiProxy.Errors;

namespace OaiProxy.Tests.Dialects.Responses;

public sealed class ChatParamMapTests
{
    // instructions, then two stored items (one chat message), then the request's items 0 (user parts) and 1-2 (tool call and output).
    private static ChatParamMap Map()
    {
        var sut = new ChatParamMap(historyCount: 2, stringInput: false);
        sut.Add(-1);
        sut.Add(0);
        sut.Add(2, sameParts: true);
        sut.Add(3);
        sut.Add(4);
        sut.Add(4);
        return sut;
    }

    [Theory]
    [InlineData("messages[0]", "'messages[0]' is bad.", "instructions", "'instructions' is bad.")]
    [InlineData("messages[1].content[0]", "'messages[1].content[0]' is bad.", "previous_response_id", "'previous_response_id' is bad.")]
    [InlineData("messages[2].content[1]", "'messages[2].content[1]' is bad.", "input[0].content[1]", "'input[0].content[1]' is bad.")]
    [InlineData("messages[3].tool_calls", "'messages[3]' carries tool calls.", "input[1].tool_calls", "'input[1]' carries tool calls.")]
    [InlineData("messages[5].content[0]", "'messages[5].content[0]' is an image.", "input[2]", "'input[2]' is an image.")]
    [InlineData("messages[9]", "'messages[9]' is bad.", "messages[9]", "'messages[9]' is bad.")]
    [InlineData("tools[3].function.name", "Bad name.", "tools", "Bad name.")]
    [InlineData("response_format", "'response_format' of type 'json_schema' is refused.", "text.format", "'text.format' of type 'json_schema' is refused.")]
    [InlineData("reasoning_effort", "Invalid value for 'reasoning_effort'.", "reasoning.effort", "Invalid value for 'reasoning.effort'.")]
    [InlineData("max_completion_tokens", "\"max_completion_tokens\" is too large.", "max_output_tokens", "\"max_output_tokens\" is too large.")]
    [InlineData("model", "'model' is bad.", "model", "'model' is bad.")]
    public void ToResponses_ChatParams_NameTheResponsesRequest(string param, string message, string expectedParam, string expectedMessage)
    {
        var mapped = Map().ToResponses(ProxyError.BadRequest(message, param, "unsupported_parameter") with { RetryAfter = TimeSpan.FromSeconds(3) });

        Assert.Equal(expectedParam, mapped.Param);
        Assert.Equal(expectedMessage, mapped.Message);
        Assert.Equal("unsupported_parameter", mapped.Code);
        Assert.Equal(TimeSpan.FromSeconds(3), mapped.RetryAfter);
    }

    [Fact]
    public void ToResponses_StringInput_IsNamedInput()
    {
        var sut = new ChatParamMap(historyCount: 0, stringInput: true);
        sut.Add(0, sameParts: true);

        Assert.Equal("input", sut.ToResponses(ProxyError.BadRequest("x", "messages[0].content[0]")).Param);
    }
}
