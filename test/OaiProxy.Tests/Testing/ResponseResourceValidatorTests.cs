using System.Text.Json.Nodes;
using OaiProxy.Testing.Responses;

namespace OaiProxy.Tests.Testing;

public sealed class ResponseResourceValidatorTests
{
    public static TheoryData<string> RequiredKeys() =>
    [
        "id", "object", "created_at", "completed_at", "status", "incomplete_details", "model", "previous_response_id",
        "instructions", "output", "error", "tools", "tool_choice", "truncation", "parallel_tool_calls", "text", "top_p",
        "presence_penalty", "frequency_penalty", "top_logprobs", "temperature", "reasoning", "usage", "max_output_tokens",
        "max_tool_calls", "store", "background", "service_tier", "metadata", "safety_identifier", "prompt_cache_key",
    ];

    [Fact]
    public void Validate_GoldenResponse_HasNoViolations()
    {
        Assert.Empty(ResponseResourceValidator.Validate(ResponsesGolden.Completed()));
        ResponseResourceValidator.AssertValid(ResponsesGolden.Completed().ToJsonString());
    }

    [Theory]
    [MemberData(nameof(RequiredKeys))]
    public void Validate_KeyMissing_ReportsIt(string key)
    {
        var response = ResponsesGolden.Completed();
        response.Remove(key);

        ResponsesGolden.AssertReports(ResponseResourceValidator.Validate(response), $"response.{key}: missing");
    }

    [Theory]
    [InlineData("completed_at")]
    [InlineData("incomplete_details")]
    [InlineData("previous_response_id")]
    [InlineData("instructions")]
    [InlineData("error")]
    [InlineData("reasoning")]
    [InlineData("usage")]
    [InlineData("max_output_tokens")]
    [InlineData("max_tool_calls")]
    [InlineData("safety_identifier")]
    [InlineData("prompt_cache_key")]
    public void Validate_NullWhereTheSchemaAllowsIt_HasNoViolations(string key)
    {
        var response = ResponsesGolden.Completed();
        response[key] = null;

        Assert.Empty(ResponseResourceValidator.Validate(response));
    }

    [Theory]
    [InlineData("model", null, "response.model: must be a string, got null")]
    [InlineData("created_at", "1741476542", "response.created_at: must be an integer, got the string \"1741476542\"")]
    [InlineData("created_at", 1741476542.5, "response.created_at: must be an integer, got the number 1741476542.5")]
    [InlineData("top_p", null, "response.top_p: must be a number, got null")]
    [InlineData("parallel_tool_calls", "true", "response.parallel_tool_calls: must be a boolean")]
    [InlineData("output", "", "response.output: must be an array")]
    [InlineData("object", "chat.completion", "response.object: must be \"response\"")]
    [InlineData("status", "done", "response.status: must be one of")]
    [InlineData("truncation", "none", "response.truncation: must be one of \"auto\", \"disabled\"")]
    [InlineData("tool_choice", "any", "response.tool_choice: must be \"none\", \"auto\", \"required\" or an object")]
    [InlineData("tool_choice", 3, "response.tool_choice: must be a string or an object")]
    public void Validate_WrongValue_ReportsIt(string key, object? value, string expected)
    {
        var response = ResponsesGolden.Completed();
        response[key] = JsonValue.Create(value);

        ResponsesGolden.AssertReports(ResponseResourceValidator.Validate(response), expected);
    }

    [Theory]
    [InlineData("usage.input_tokens", "response.usage.input_tokens: missing")]
    [InlineData("usage.input_tokens_details", "response.usage.input_tokens_details: missing")]
    [InlineData("usage.input_tokens_details.cached_tokens", "response.usage.input_tokens_details.cached_tokens: missing")]
    [InlineData("usage.output_tokens_details.reasoning_tokens", "response.usage.output_tokens_details.reasoning_tokens: missing")]
    [InlineData("usage.total_tokens", "response.usage.total_tokens: missing")]
    [InlineData("text.format", "response.text.format: missing")]
    [InlineData("reasoning.effort", "response.reasoning.effort: missing (the key is required, null is allowed)")]
    [InlineData("tools.0.strict", "response.tools[0].strict: missing (the key is required, null is allowed)")]
    [InlineData("tools.0.description", "response.tools[0].description: missing")]
    [InlineData("output.0.role", "response.output[0].role: missing")]
    [InlineData("output.0.status", "response.output[0].status: missing")]
    [InlineData("output.0.content.0.annotations", "response.output[0].content[0].annotations: missing")]
    [InlineData("output.0.content.0.logprobs", "response.output[0].content[0].logprobs: missing")]
    [InlineData("output.1.id", "response.output[1].id: missing")]
    [InlineData("output.1.call_id", "response.output[1].call_id: missing")]
    [InlineData("output.1.name", "response.output[1].name: missing")]
    [InlineData("output.1.arguments", "response.output[1].arguments: missing")]
    [InlineData("output.1.status", "response.output[1].status: missing")]
    public void Validate_NestedKeyMissing_ReportsIt(string path, string expected)
    {
        var response = ResponsesGolden.Completed();
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate((JsonNode)response, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!);
        parent.AsObject().Remove(parts[^1]);

        ResponsesGolden.AssertReports(ResponseResourceValidator.Validate(response), expected);
    }

    [Fact]
    public void Validate_UsageTotalNotTheSum_ReportsIt()
    {
        var response = ResponsesGolden.Completed();
        response["usage"]!["total_tokens"] = 99;

        ResponsesGolden.AssertReports(ResponseResourceValidator.Validate(response), "response.usage.total_tokens: must be input_tokens + output_tokens (78), got 99");
    }

    [Fact]
    public void Validate_ArgumentsAsAnObject_ReportsIt()
    {
        var response = ResponsesGolden.Completed();
        response["output"]![1]!["arguments"] = new JsonObject { ["city"] = "Paris" };

        ResponsesGolden.AssertReports(ResponseResourceValidator.Validate(response), "response.output[1].arguments: must be a string, got an object");
    }

    [Theory]
    [InlineData("incomplete", "response.incomplete_details: must be set when status is \"incomplete\"")]
    [InlineData("failed", "response.error: must be set when status is \"failed\"")]
    public void Validate_StatusWithoutItsDetails_ReportsIt(string status, string expected)
    {
        var response = ResponsesGolden.Completed();
        response["status"] = status;

        ResponsesGolden.AssertReports(ResponseResourceValidator.Validate(response), expected);
    }

    [Theory]
    [InlineData("""{"type":"custom_tool_call","id":"ctc_1","call_id":"call_1","name":"apply_patch"}""", "item.input: missing")]
    [InlineData("""{"type":"reasoning","id":"rs_1"}""", "item.summary: missing")]
    [InlineData("""{"type":"reasoning","summary":[]}""", "item.id: missing")]
    [InlineData("""{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text"}]}""", "item.summary[0].text: missing")]
    [InlineData("""{"type":"message","id":"m","role":"user","status":"completed","content":[]}""", "item.role: must be one of \"assistant\"")]
    [InlineData("""{"type":"message","id":"m","role":"assistant","status":"completed","content":[{"type":"input_text","text":"x"}]}""", "item.content[0].type: must be one of \"output_text\", \"refusal\"")]
    [InlineData("""{"type":"function_call","id":"f","call_id":"c","name":"n","arguments":"{}","status":"done"}""", "item.status: must be one of")]
    [InlineData("""{"id":"x"}""", "item.type: missing")]
    public void ValidateItem_BrokenItem_ReportsIt(string item, string expected) =>
        ResponsesGolden.AssertReports(ResponseItemValidator.Validate(JsonNode.Parse(item)), expected);

    [Fact]
    public void ValidateItem_UnknownItemType_OnlyNeedsItsType() =>
        Assert.Empty(ResponseItemValidator.Validate(JsonNode.Parse("""{"type":"web_search_call","id":"ws_1","status":"completed"}""")));

    [Fact]
    public void Validate_NotJson_ReportsIt() => ResponsesGolden.AssertReports(ResponseResourceValidator.Validate("{"), "response: not JSON");
}
