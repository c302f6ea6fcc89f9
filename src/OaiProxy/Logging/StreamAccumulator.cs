using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Logging;

/// <summary>
/// Rebuilds a whole completion from streamed chunks (content, reasoning, tool calls by index, finish reasons,
/// usage), so a streamed request is logged like a non-streamed one. Used only when loggers are configured.
/// </summary>
internal sealed class StreamAccumulator
{
    private readonly SortedDictionary<int, ChoiceState> _choices = [];
    private string? _id;
    private string? _model;
    private long? _created;
    private JsonNode? _usage;

    private sealed class ChoiceState
    {
        public StringBuilder Content { get; } = new();
        public StringBuilder Reasoning { get; } = new();
        public string? FinishReason { get; set; }
        public SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)> ToolCalls { get; } = [];
    }

    public void Add(ReadOnlySpan<byte> chunk)
    {
        try
        {
            var reader = new Utf8JsonReader(chunk);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return;
            if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) _id ??= id.GetString();
            if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String) _model ??= model.GetString();
            if (root.TryGetProperty("created", out var created) && created.TryGetInt64(out var c)) _created ??= c;
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object) _usage = JsonNode.Parse(usage.GetRawText());
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray()) AddChoice(choice);
            }
        }
        catch (JsonException)
        {
            // A malformed chunk is the relay's concern; the log keeps what could be read.
        }
    }

    private void AddChoice(JsonElement choice)
    {
        var index = choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        if (!_choices.TryGetValue(index, out var state)) _choices[index] = state = new ChoiceState();
        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String) state.FinishReason = finish.GetString();
        if (!choice.TryGetProperty("delta", out var delta) || delta.ValueKind != JsonValueKind.Object) return;
        if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String) state.Content.Append(content.GetString());
        if (delta.TryGetProperty("reasoning_content", out var reasoning) && reasoning.ValueKind == JsonValueKind.String) state.Reasoning.Append(reasoning.GetString());
        if (!delta.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array) return;
        foreach (var call in calls.EnumerateArray())
        {
            var callIndex = call.TryGetProperty("index", out var ci) && ci.TryGetInt32(out var cn) ? cn : 0;
            state.ToolCalls.TryGetValue(callIndex, out var tool);
            tool.Arguments ??= new StringBuilder();
            if (call.TryGetProperty("id", out var callId) && callId.ValueKind == JsonValueKind.String) tool.Id ??= callId.GetString();
            if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
            {
                if (function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String) tool.Name ??= name.GetString();
                if (function.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.String) tool.Arguments.Append(args.GetString());
            }
            state.ToolCalls[callIndex] = tool;
        }
    }

    public JsonObject Build()
    {
        var choices = new JsonArray();
        foreach (var (index, state) in _choices)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = state.Content.Length > 0 ? state.Content.ToString() : null };
            if (state.Reasoning.Length > 0) message["reasoning_content"] = state.Reasoning.ToString();
            if (state.ToolCalls.Count > 0)
            {
                message["tool_calls"] = new JsonArray(state.ToolCalls.Values.Select(t => (JsonNode)new JsonObject
                {
                    ["id"] = t.Id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = t.Name, ["arguments"] = t.Arguments.ToString() },
                }).ToArray());
            }
            choices.Add((JsonNode)new JsonObject { ["index"] = index, ["message"] = message, ["finish_reason"] = state.FinishReason });
        }
        return new JsonObject
        {
            ["id"] = _id,
            ["object"] = "chat.completion",
            ["created"] = _created,
            ["model"] = _model,
            ["choices"] = choices,
            ["usage"] = _usage,
        };
    }
}
