using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Anthropic;

/// <summary>
/// Builders for Anthropic wire objects in the shapes the real API sends (recorded from its documentation and SDK
/// types): messages, content blocks, usage, error bodies, and the event stream of a message.
/// </summary>
public static class AnthropicWire
{
    public const string Model = "claude-sonnet-4-5-20250929";

    public static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text, ["citations"] = null };

    public static JsonObject ToolUse(string id, string name, JsonObject input) =>
        new() { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = input };

    public static JsonObject Thinking(string thinking, string signature = "EqQBCkgIARABGAIiQL2f") =>
        new() { ["type"] = "thinking", ["thinking"] = thinking, ["signature"] = signature };

    public static JsonObject RedactedThinking(string data = "EmwKAhgBEgy3va3pzix") =>
        new() { ["type"] = "redacted_thinking", ["data"] = data };

    public static JsonObject Usage(int input = 12, int output = 6, int cacheRead = 0, int cacheCreation = 0) => new()
    {
        ["input_tokens"] = input,
        ["cache_creation_input_tokens"] = cacheCreation,
        ["cache_read_input_tokens"] = cacheRead,
        ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = cacheCreation, ["ephemeral_1h_input_tokens"] = 0 },
        ["output_tokens"] = output,
        ["service_tier"] = "standard",
    };

    public static JsonObject Message(string id, string model, IEnumerable<JsonObject> content, string stopReason = "end_turn",
        JsonObject? usage = null, string? stopSequence = null) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray([.. content]),
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = stopSequence,
        ["usage"] = usage ?? Usage(),
    };

    public static JsonObject ErrorBody(string type, string message, string requestId = "req_011CSHoEeqs5C35K2UUqR7Fy") => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        ["request_id"] = requestId,
    };

    /// <summary>
    /// The event stream the API sends for <paramref name="message"/>: message_start (empty content, input usage),
    /// per block a start, deltas (text split into words, tool input JSON into small fragments starting with an
    /// empty one, thinking into pieces then a signature) and a stop, a ping after the first block start, then
    /// message_delta (stop reason, cumulative output usage) and message_stop.
    /// </summary>
    public static List<SseEvent> Events(JsonObject message, int fragment = 5)
    {
        var usage = message["usage"]!.AsObject();
        var startUsage = (JsonObject)usage.DeepClone();
        startUsage["output_tokens"] = 1;
        var start = (JsonObject)message.DeepClone();
        start["content"] = new JsonArray();
        start["stop_reason"] = null;
        start["stop_sequence"] = null;
        start["usage"] = startUsage;
        var events = new List<SseEvent> { Event("message_start", new JsonObject { ["message"] = start }) };
        var blocks = message["content"]!.AsArray();
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i]!.AsObject();
            var type = block["type"]!.GetValue<string>();
            JsonObject head = type switch
            {
                "text" => new JsonObject { ["type"] = "text", ["text"] = "" },
                "tool_use" => new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]!.DeepClone(), ["name"] = block["name"]!.DeepClone(), ["input"] = new JsonObject() },
                "thinking" => new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" },
                _ => (JsonObject)block.DeepClone(),
            };
            events.Add(Event("content_block_start", new JsonObject { ["index"] = i, ["content_block"] = head }));
            if (i == 0) events.Add(Event("ping", []));
            switch (type)
            {
                case "text":
                    foreach (var word in Words(block["text"]!.GetValue<string>())) events.Add(Delta(i, "text_delta", "text", word));
                    break;
                case "tool_use":
                    var json = block["input"]!.ToJsonString();
                    events.Add(Delta(i, "input_json_delta", "partial_json", ""));
                    if (json != "{}")
                    {
                        for (var p = 0; p < json.Length; p += fragment) events.Add(Delta(i, "input_json_delta", "partial_json", json.Substring(p, Math.Min(fragment, json.Length - p))));
                    }
                    break;
                case "thinking":
                    foreach (var word in Words(block["thinking"]!.GetValue<string>())) events.Add(Delta(i, "thinking_delta", "thinking", word));
                    events.Add(Delta(i, "signature_delta", "signature", block["signature"]!.GetValue<string>()));
                    break;
            }
            events.Add(Event("content_block_stop", new JsonObject { ["index"] = i }));
        }
        events.Add(Event("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject { ["stop_reason"] = message["stop_reason"]!.DeepClone(), ["stop_sequence"] = message["stop_sequence"]?.DeepClone() },
            ["usage"] = new JsonObject { ["output_tokens"] = usage["output_tokens"]!.DeepClone() },
        }));
        events.Add(Event("message_stop", []));
        return events;
    }

    public static SseEvent Event(string type, JsonObject payload)
    {
        var data = new JsonObject { ["type"] = type };
        foreach (var (key, value) in payload) data[key] = value?.DeepClone();
        return new SseEvent(type, data.ToJsonString());
    }

    public static SseEvent ErrorEvent(string type, string message) =>
        new("error", new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }.ToJsonString());

    private static SseEvent Delta(int index, string deltaType, string field, string value) =>
        Event("content_block_delta", new JsonObject { ["index"] = index, ["delta"] = new JsonObject { ["type"] = deltaType, [field] = value } });

    /// <summary>The SSE text of events as the API frames them: <c>event:</c> and <c>data:</c> lines, a blank line.</summary>
    public static string Frame(IEnumerable<SseEvent> events) => string.Concat(events.Select(e => $"event: {e.Name}\ndata: {e.Data}\n\n"));

    /// <summary>Words with their leading space kept, so the pieces concatenate back to the text.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                words.Add(text[start..i]);
                start = i;
            }
        }
        return words;
    }
}
