using System.Text.Json.Nodes;

namespace OaiProxy.Testing.OpenAi;

/// <summary>
/// Builders for the Responses API's wire objects as the real API sends them (OpenAI's OpenAPI spec, with every key
/// the Open Responses ResponseResource requires): output items, usage, the full response object, and its event
/// stream, valid under <see cref="Responses.ResponsesEventValidator"/>.
/// </summary>
public static class OpenAiResponsesWire
{
    public static JsonObject Message(string id, string text, string status = "completed") => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["status"] = status,
        ["content"] = new JsonArray(OutputText(text)),
        ["role"] = "assistant",
    };

    public static JsonObject OutputText(string text) => new()
    {
        ["type"] = "output_text",
        ["annotations"] = new JsonArray(),
        ["logprobs"] = new JsonArray(),
        ["text"] = text,
    };

    public static JsonObject FunctionCall(string id, string callId, string name, string arguments, string status = "completed") => new()
    {
        ["id"] = id,
        ["type"] = "function_call",
        ["status"] = status,
        ["arguments"] = arguments,
        ["call_id"] = callId,
        ["name"] = name,
    };

    public static JsonObject CustomToolCall(string id, string callId, string name, string input) => new()
    {
        ["id"] = id,
        ["type"] = "custom_tool_call",
        ["status"] = "completed",
        ["call_id"] = callId,
        ["input"] = input,
        ["name"] = name,
    };

    public static JsonObject Reasoning(string id, string summary, string? encryptedContent = null)
    {
        var item = new JsonObject
        {
            ["id"] = id,
            ["type"] = "reasoning",
            ["summary"] = new JsonArray(new JsonObject { ["type"] = "summary_text", ["text"] = summary }),
        };
        if (encryptedContent is not null) item["encrypted_content"] = encryptedContent;
        return item;
    }

    public static JsonObject Usage(int input = 12, int output = 6, int cached = 0, int reasoning = 0) => new()
    {
        ["input_tokens"] = input,
        ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = cached },
        ["output_tokens"] = output,
        ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reasoning },
        ["total_tokens"] = input + output,
    };

    /// <summary>
    /// The response object with every key, request parameters echoed back the way the API does (defaults where the
    /// request left them out). <paramref name="status"/> "in_progress" gives the snapshot of the opening events.
    /// </summary>
    public static JsonObject Response(string id, string model, IEnumerable<JsonObject> output, JsonObject? usage = null,
        JsonObject? request = null, string status = "completed")
    {
        var done = status != "in_progress";
        JsonNode? Echo(string key, JsonNode? fallback) => request?[key]?.DeepClone() ?? fallback;
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "response",
            ["created_at"] = OpenAiWire.Created,
            ["status"] = status,
            ["background"] = false,
            ["completed_at"] = status == "completed" ? OpenAiWire.Created + 1 : null,
            ["error"] = status == "failed" ? new JsonObject { ["code"] = "server_error", ["message"] = "The model failed to generate a response." } : null,
            ["frequency_penalty"] = 0.0,
            ["incomplete_details"] = status == "incomplete" ? new JsonObject { ["reason"] = "max_output_tokens" } : null,
            ["instructions"] = Echo("instructions", null),
            ["max_output_tokens"] = Echo("max_output_tokens", null),
            ["max_tool_calls"] = Echo("max_tool_calls", null),
            ["model"] = model,
            ["output"] = new JsonArray([.. output.Select(i => i.DeepClone())]),
            ["parallel_tool_calls"] = Echo("parallel_tool_calls", true),
            ["presence_penalty"] = 0.0,
            ["previous_response_id"] = Echo("previous_response_id", null),
            ["prompt_cache_key"] = Echo("prompt_cache_key", null),
            ["reasoning"] = new JsonObject { ["effort"] = request?["reasoning"]?["effort"]?.DeepClone(), ["summary"] = request?["reasoning"]?["summary"]?.DeepClone() },
            ["safety_identifier"] = Echo("safety_identifier", null),
            ["service_tier"] = "default",
            ["store"] = Echo("store", true),
            ["temperature"] = Echo("temperature", 1.0),
            ["text"] = Text(request?["text"] as JsonObject),
            ["tool_choice"] = Echo("tool_choice", "auto"),
            ["tools"] = new JsonArray([.. (request?["tools"] as JsonArray ?? []).Select(Tool)]),
            ["top_logprobs"] = Echo("top_logprobs", 0),
            ["top_p"] = Echo("top_p", 1.0),
            ["truncation"] = Echo("truncation", "disabled"),
            ["usage"] = done ? usage?.DeepClone() ?? Usage() : null,
            ["user"] = null,
            ["metadata"] = Echo("metadata", new JsonObject()),
        };
    }

    /// <summary>The request's text settings with the API's defaults for what it left out (Codex sends only a verbosity).</summary>
    private static JsonObject Text(JsonObject? text)
    {
        var echoed = (JsonObject?)text?.DeepClone() ?? [];
        echoed["format"] ??= new JsonObject { ["type"] = "text" };
        echoed["verbosity"] ??= "medium";
        return echoed;
    }

    /// <summary>A request tool as the response echoes it: a function tool gets its description, parameters and strict keys.</summary>
    private static JsonNode? Tool(JsonNode? tool)
    {
        var copy = tool?.DeepClone();
        if (copy is JsonObject function && function["type"]?.ToString() == "function")
        {
            foreach (var (key, fallback) in new (string, JsonNode?)[] { ("description", null), ("parameters", null), ("strict", true) })
            {
                if (!function.ContainsKey(key)) function[key] = fallback;
            }
        }
        return copy;
    }

    /// <summary>
    /// The event stream of a response with these output items: created and in_progress, then per item its added
    /// event, its parts and deltas (text by word, arguments and custom input in 4-character pieces, reasoning summary
    /// by word), its done event, and the terminal event for <paramref name="status"/> with the full response.
    /// </summary>
    public static List<JsonObject> Events(string id, string model, IReadOnlyList<JsonObject> output, JsonObject? usage = null,
        JsonObject? request = null, string status = "completed")
    {
        var events = new List<JsonObject>
        {
            new() { ["type"] = "response.created", ["response"] = Response(id, model, [], null, request, "in_progress") },
            new() { ["type"] = "response.in_progress", ["response"] = Response(id, model, [], null, request, "in_progress") },
        };
        for (var i = 0; i < output.Count; i++) events.AddRange(ResponsesItemEvents.For(output[i], i));
        var terminal = status switch { "incomplete" => "response.incomplete", "failed" => "response.failed", _ => "response.completed" };
        events.Add(new JsonObject { ["type"] = terminal, ["response"] = Response(id, model, output, usage, request, status) });
        return [.. events.Select(WithSequence)];
    }

    /// <summary>The event with its sequence_number right after its type, where the API puts it.</summary>
    private static JsonObject WithSequence(JsonObject e, int sequence)
    {
        var ordered = new JsonObject { ["type"] = e["type"]!.DeepClone(), ["sequence_number"] = sequence };
        foreach (var (key, value) in e.Where(p => p.Key != "type")) ordered[key] = value?.DeepClone();
        return ordered;
    }

    /// <summary>The SSE text of events as the API frames them: <c>event: TYPE</c>, <c>data: JSON</c>, a blank line.</summary>
    public static string Sse(IEnumerable<JsonObject> events) =>
        string.Concat(events.Select(e => $"event: {e["type"]}\ndata: {e.ToJsonString()}\n\n"));
}
