using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OaiProxy.Testing.OpenAi;

/// <summary>
/// <c>POST /v1/responses</c>, as strict as the real endpoint: a model string, an <c>input</c> string or array of items
/// of known types, no top-level field outside the CreateResponse request schema (400 <c>Unknown parameter</c>), a
/// <c>previous_response_id</c> only of a stored response. Answers with a response object or its event stream.
/// </summary>
public sealed partial class FakeOpenAiServer
{
    // CreateResponse's properties in OpenAI's OpenAPI spec (openai/openai-openapi openapi.json), plus the two Codex
    // sends to api.openai.com itself (client_metadata, access_programs), which the real API therefore accepts.
    private static readonly HashSet<string> ResponsesFields =
    [
        "background", "context_management", "conversation", "include", "input", "instructions", "max_output_tokens",
        "max_tool_calls", "metadata", "model", "moderation", "parallel_tool_calls", "previous_response_id", "prompt",
        "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention", "reasoning", "safety_identifier",
        "service_tier", "store", "stream", "stream_options", "temperature", "text", "tool_choice", "tools",
        "top_logprobs", "top_p", "truncation", "user", "client_metadata", "access_programs",
    ];

    // The InputItem type values of the spec; a message may also leave its type out (EasyInputMessage).
    private static readonly HashSet<string> InputItemTypes =
    [
        "message", "item_reference", "additional_tools", "apply_patch_call", "apply_patch_call_output", "code_interpreter_call",
        "compaction", "compaction_trigger", "computer_call", "computer_call_output", "custom_tool_call", "custom_tool_call_output",
        "file_search_call", "function_call", "function_call_output", "image_generation_call", "local_shell_call",
        "local_shell_call_output", "mcp_approval_request", "mcp_approval_response", "mcp_call", "mcp_list_tools", "program",
        "program_output", "reasoning", "shell_call", "shell_call_output", "tool_search_call", "tool_search_output", "web_search_call",
    ];

    private static readonly HashSet<string> InputRoles = ["user", "assistant", "system", "developer"];

    private readonly ConcurrentDictionary<string, bool> _storedResponses = new();
    private int _responseIds;

    /// <summary>Chooses the reply to each valid <c>/v1/responses</c> request; default: "Hello from MODEL!" in the request's mode.</summary>
    public Func<RecordedRequest, FakeReply> ResponsesHandler { get; set; } = _ => FakeReply.Default;

    private Task ResponsesAsync(HttpContext context) => HandleAsync(context, ValidateResponses, RespondAsync);

    private async Task RespondAsync(HttpContext context, RecordedRequest request)
    {
        var reply = ResponsesHandler(request);
        if (reply is FakeReply.DefaultReply) reply = new FakeReply.Output([OpenAiResponsesWire.Message(NextItemId("msg"), $"Hello from {request.Model}!")]);
        if (reply is not FakeReply.Output output)
        {
            Remember(request, reply);
            await ReplyAsync(context, request, reply);
            return;
        }
        var id = $"resp_fake{Interlocked.Increment(ref _responseIds):D6}";
        if (request.Json["store"]?.GetValue<bool>() != false) _storedResponses[id] = true;
        if (!request.Stream)
        {
            await WriteJsonAsync(context, 200, OpenAiResponsesWire.Response(id, request.Model!, output.Items, output.Usage, request.Json, output.Status).ToJsonString());
            return;
        }
        await ReplyAsync(context, request, new FakeReply.Events(OpenAiResponsesWire.Events(id, request.Model!, output.Items, output.Usage, request.Json, output.Status)));
    }

    /// <summary>A scripted answer's response id counts as stored too, so a later previous_response_id finds it.</summary>
    private void Remember(RecordedRequest request, FakeReply reply)
    {
        if (request.Json["store"]?.GetValue<bool>() == false) return;
        try
        {
            var id = reply switch
            {
                FakeReply.Raw { Status: 200 } raw when JsonNode.Parse(raw.Body) is JsonObject json => json["id"]?.ToString(),
                FakeReply.Events events => events.Payloads.Select(e => e["response"]?["id"]?.ToString()).FirstOrDefault(i => i is not null),
                _ => null,
            };
            if (id is not null) _storedResponses[id] = true;
        }
        catch (JsonException)
        {
            // A scripted body that is not JSON names no response.
        }
    }

    private string NextItemId(string prefix) => $"{prefix}_fake{Interlocked.Increment(ref _ids):D6}";

    private Problem? ValidateResponses(string body)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return new Problem(400, "We could not parse the JSON body of your request.");
        }
        if (json.Select(p => p.Key).FirstOrDefault(k => !ResponsesFields.Contains(k)) is { } unknown)
        {
            return new Problem(400, $"Unknown parameter: '{unknown}'.", "unknown_parameter", unknown);
        }
        if (json["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String)
        {
            return new Problem(400, "Missing required parameter: 'model'.", "missing_required_parameter", "model");
        }
        if (model.GetValue<string>() == "does-not-exist") return new Problem(404, "The model `does-not-exist` does not exist or you do not have access to it.", "model_not_found");
        if (json["stream_options"] is not null && json["stream"]?.GetValue<bool>() != true)
        {
            return new Problem(400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.", null, "stream_options");
        }
        if (json["previous_response_id"] is { } previous)
        {
            if (json["conversation"] is not null) return new Problem(400, "Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.", "mutually_exclusive_parameters", "previous_response_id");
            if (!_storedResponses.ContainsKey(previous.ToString())) return new Problem(400, $"Previous response with id '{previous}' not found.", "previous_response_not_found", "previous_response_id");
        }
        return json["input"] switch
        {
            null when json["previous_response_id"] is null && json["prompt"] is null && json["conversation"] is null =>
                new Problem(400, "Missing required parameter: 'input'.", "missing_required_parameter", "input"),
            null => ValidateTools(json["tools"]),
            JsonValue text when text.GetValueKind() == JsonValueKind.String => ValidateTools(json["tools"]),
            JsonArray items => ValidateItems(items) ?? ValidateTools(json["tools"]),
            _ => new Problem(400, "Invalid type for 'input': expected one of a string or an array of input items.", "invalid_type", "input"),
        };
    }

    private static Problem? ValidateItems(JsonArray items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"input[{i}]";
            if (items[i] is not JsonObject item) return new Problem(400, $"Invalid type for '{at}': expected an input item object.", "invalid_type", at);
            var type = item["type"]?.ToString() ?? (item.ContainsKey("role") ? "message" : null);
            if (type is null || !InputItemTypes.Contains(type))
            {
                return new Problem(400, $"Invalid value: '{type}'. Supported values are: {string.Join(", ", InputItemTypes.Select(t => $"'{t}'"))}.", "invalid_value", $"{at}.type");
            }
            string[] required = type switch
            {
                "message" => ["role", "content"],
                "function_call" => ["call_id", "name", "arguments"],
                "function_call_output" or "custom_tool_call_output" => ["call_id", "output"],
                "custom_tool_call" => ["call_id", "name", "input"],
                "item_reference" => ["id"],
                _ => [],
            };
            if (required.FirstOrDefault(k => item[k] is null) is { } missing) return new Problem(400, $"Missing required parameter: '{at}.{missing}'.", "missing_required_parameter", $"{at}.{missing}");
            if (type == "message" && !InputRoles.Contains(item["role"]!.ToString()))
            {
                return new Problem(400, $"Invalid value: '{item["role"]}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.", "invalid_value", $"{at}.role");
            }
        }
        return null;
    }

    private static Problem? ValidateTools(JsonNode? tools)
    {
        if (tools is null) return null;
        if (tools is not JsonArray list) return new Problem(400, "Invalid type for 'tools': expected an array of tools.", "invalid_type", "tools");
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject tool || tool["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String)
            {
                return new Problem(400, $"Missing required parameter: 'tools[{i}].type'.", "missing_required_parameter", $"tools[{i}].type");
            }
            if (type.GetValue<string>() is "function" or "custom" && tool["name"] is null)
            {
                return new Problem(400, $"Missing required parameter: 'tools[{i}].name'.", "missing_required_parameter", $"tools[{i}].name");
            }
        }
        return null;
    }

    /// <summary>A 4xx answer in OpenAI's error shape.</summary>
    private sealed record Problem(int Status, string Message, string? Code = null, string? Param = null);
}
