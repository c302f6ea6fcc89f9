using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OaiProxy.Testing.Anthropic;

/// <summary>
/// The checks the real Messages API makes on a request body, with its error messages: required fields, no
/// unknown top-level fields, user-first alternating roles, non-empty text, tool_use answered by tool_result in the
/// very next message (results first), tool definitions present for tool history, thinking constraints.
/// </summary>
public static partial class AnthropicRequestValidator
{
    private static readonly HashSet<string> TopLevel =
    [
        "model", "max_tokens", "messages", "system", "stop_sequences", "temperature", "top_p", "top_k", "stream",
        "metadata", "tools", "tool_choice", "thinking", "output_config", "service_tier", "cache_control", "container",
        "mcp_servers", "inference_geo", "context_management",
    ];

    private static readonly HashSet<string> UserBlocks = ["text", "image", "document", "tool_result", "search_result"];
    private static readonly HashSet<string> AssistantBlocks = ["text", "tool_use", "thinking", "redacted_thinking", "server_tool_use"];

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    /// <summary>The invalid_request_error message for a bad body, or null when the body is valid.</summary>
    public static string? Validate(string body)
    {
        JsonObject json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return "There was an issue with your request body. Please check that it is valid JSON.";
        }
        foreach (var (key, _) in json)
        {
            if (!TopLevel.Contains(key)) return $"{key}: Extra inputs are not permitted";
        }
        if (json["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String) return "model: Field required";
        if (json["max_tokens"] is not JsonValue maxTokens || maxTokens.GetValueKind() != JsonValueKind.Number) return "max_tokens: Field required";
        var max = maxTokens.GetValue<long>();
        if (max < 1) return "max_tokens: Input should be greater than or equal to 1";
        if (json["temperature"] is JsonValue t && (t.GetValue<double>() < 0 || t.GetValue<double>() > 1)) return "temperature: Input should be less than or equal to 1";
        if (json["stop_sequences"] is JsonArray stops && stops.Any(s => string.IsNullOrWhiteSpace(s?.GetValue<string>())))
        {
            return "stop_sequences: each stop sequence must contain non-whitespace";
        }
        if (ValidateSystem(json["system"]) is { } systemError) return systemError;
        if (ValidateTools(json) is { } toolError) return toolError;
        if (ValidateThinking(json, max) is { } thinkingError) return thinkingError;
        if (json["messages"] is not JsonArray messages) return "messages: Field required";
        if (messages.Count == 0) return "messages: at least one message is required";
        return ValidateMessages(messages, json["tools"] is JsonArray { Count: > 0 });
    }

    private static string? ValidateSystem(JsonNode? system)
    {
        if (system is null || system.GetValueKind() == JsonValueKind.String) return null;
        if (system is not JsonArray blocks) return "system: Input should be a valid list";
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i]?["type"]?.GetValue<string>() != "text") return $"system.{i}.type: Input should be 'text'";
            if (string.IsNullOrEmpty(blocks[i]?["text"]?.GetValue<string>())) return "system: text content blocks must be non-empty";
        }
        return null;
    }

    private static string? ValidateTools(JsonObject json)
    {
        if (json["tools"] is JsonArray tools)
        {
            for (var i = 0; i < tools.Count; i++)
            {
                var tool = tools[i]!.AsObject();
                if (tool["type"] is not null) continue; // server tools
                if (tool["name"]?.GetValue<string>() is not { } name || !NamePattern().IsMatch(name)) return $"tools.{i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'";
                if (tool["input_schema"]?["type"]?.GetValue<string>() != "object") return $"tools.{i}.custom.input_schema.type: Input should be 'object'";
                foreach (var (key, _) in tool)
                {
                    if (key is not ("name" or "description" or "input_schema" or "cache_control" or "strict" or "input_examples")) return $"tools.{i}.custom.{key}: Extra inputs are not permitted";
                }
            }
        }
        if (json["tool_choice"] is JsonObject choice)
        {
            if (choice["type"]?.GetValue<string>() is not ("auto" or "any" or "tool" or "none")) return "tool_choice.type: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'";
            if (json["tools"] is null && choice["type"]!.GetValue<string>() != "none") return "tool_choice: tool_choice may only be specified while providing tools.";
            if (choice["type"]!.GetValue<string>() == "tool" && !(json["tools"]?.AsArray().Any(t => t?["name"]?.GetValue<string>() == choice["name"]?.GetValue<string>()) ?? false))
            {
                return $"tool_choice: Tool '{choice["name"]}' not found in provided tools";
            }
        }
        return null;
    }

    private static string? ValidateThinking(JsonObject json, long maxTokens)
    {
        if (json["thinking"] is not JsonObject thinking || thinking["type"]?.GetValue<string>() != "enabled") return null;
        var budget = thinking["budget_tokens"]?.GetValue<long>() ?? 0;
        if (budget < 1024) return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";
        if (budget >= maxTokens) return "`max_tokens` must be greater than `thinking.budget_tokens`.";
        if (json["temperature"] is JsonValue t && t.GetValue<double>() != 1) return "`temperature` may only be set to 1 when thinking is enabled.";
        if (json["top_k"] is not null) return "`top_k` is not supported when thinking is enabled.";
        if (json["tool_choice"]?["type"]?.GetValue<string>() is "any" or "tool") return "Thinking may not be enabled when tool_choice forces tool use.";
        return ValidateThinkingReplay(json["messages"] as JsonArray);
    }

    /// <summary>
    /// Mid tool loop with thinking on, the API needs the last assistant turn to start with the signed thinking it
    /// produced; a gateway that drops the blocks on the round trip fails here exactly as against the real API.
    /// </summary>
    private static string? ValidateThinkingReplay(JsonArray? messages)
    {
        if (messages is null) return null;
        var last = messages.Select((m, i) => (Message: m, Index: i)).LastOrDefault(m => m.Message?["role"]?.GetValue<string>() == "assistant");
        if (last.Message?["content"] is not JsonArray blocks || blocks.Count == 0) return null;
        if (!blocks.Any(b => b?["type"]?.GetValue<string>() == "tool_use")) return null;
        var first = blocks[0]?["type"]?.GetValue<string>();
        if (first is "thinking" or "redacted_thinking") return null;
        return $"messages.{last.Index}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{first}`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.";
    }

    private static string? ValidateMessages(JsonArray messages, bool hasTools)
    {
        HashSet<string> pending = [];
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i]!.AsObject();
            var role = message["role"]?.GetValue<string>();
            if (role is not ("user" or "assistant")) return $"messages.{i}.role: Input should be 'user' or 'assistant'";
            if (i == 0 && role != "user") return "messages: first message must use the \"user\" role";
            if (i > 0 && messages[i - 1]!["role"]!.GetValue<string>() == role) return "messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"" + role + "\" roles in a row";
            var blocks = message["content"] is JsonValue text && text.GetValueKind() == JsonValueKind.String
                ? (text.GetValue<string>().Length == 0 ? null : [])
                : message["content"] as JsonArray;
            if (blocks is null) return $"messages.{i}: all messages must have non-empty content except for the optional final assistant message";
            var results = new List<string>();
            var uses = new List<string>();
            var afterOther = false;
            for (var j = 0; j < blocks.Count; j++)
            {
                var block = blocks[j]!.AsObject();
                var type = block["type"]?.GetValue<string>() ?? "";
                if (!(role == "user" ? UserBlocks : AssistantBlocks).Contains(type)) return $"messages.{i}.content.{j}.type: Input tag '{type}' is not valid for role {role}";
                if (type == "text" && string.IsNullOrEmpty(block["text"]?.GetValue<string>())) return $"messages.{i}.content.{j}.text: text content blocks must be non-empty";
                if (type == "image" && block["source"]?["type"]?.GetValue<string>() is not ("base64" or "url" or "file")) return $"messages.{i}.content.{j}.image.source: Input tag does not match any of the expected tags";
                if (type == "tool_use")
                {
                    var id = block["id"]?.GetValue<string>() ?? "";
                    if (!IdPattern().IsMatch(id)) return $"messages.{i}.content.{j}.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'";
                    if (!seenIds.Add(id)) return $"messages.{i}.content.{j}: `tool_use` ids must be unique";
                    if (block["input"] is not JsonObject) return $"messages.{i}.content.{j}.tool_use.input: Input should be a valid dictionary";
                    uses.Add(id);
                }
                if (type == "tool_result")
                {
                    var id = block["tool_use_id"]?.GetValue<string>() ?? "";
                    if (!IdPattern().IsMatch(id)) return $"messages.{i}.content.{j}.tool_result.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'";
                    if (!pending.Contains(id)) return $"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.";
                    if (afterOther) return $"messages.{i}.content.{j}: `tool_result` blocks must come before any other content in the message";
                    results.Add(id);
                }
                else
                {
                    afterOther = true;
                }
                if (type is "tool_use" or "tool_result" && !hasTools) return "Requests which include `tool_use` or `tool_result` blocks must define tools.";
            }
            if (role == "user")
            {
                var missing = pending.Where(id => !results.Contains(id)).ToList();
                if (missing.Count > 0) return $"messages.{i - 1}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", missing)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.";
                pending = [];
            }
            else
            {
                pending = [.. uses];
            }
        }
        if (pending.Count > 0) return $"messages.{messages.Count - 1}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", pending)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.";
        return null;
    }
}
