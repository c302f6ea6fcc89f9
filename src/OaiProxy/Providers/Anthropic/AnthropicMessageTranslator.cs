using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// OpenAI <c>messages</c> to Anthropic <c>system</c> + <c>messages</c> (protocols.md 4.1, 4.11, 4.12): system and
/// developer messages are hoisted in order; tool results ride in the next user turn, first; consecutive same-role
/// turns are merged; each assistant turn is ordered thinking, text, tool_use; every tool call must be answered in
/// the very next turn, which is checked here so the client gets a clear 400 naming the message.
/// </summary>
internal static class AnthropicMessageTranslator
{
    /// <summary>Stands in for empty user content and leads a conversation that starts with the assistant.</summary>
    public const string Placeholder = ".";

    public static AnthropicConversation Translate(JsonElement messages)
    {
        var system = new JsonArray();
        var turns = new List<AnthropicTurn>();
        var ids = new AnthropicToolIds();
        var toolNames = new HashSet<string>(StringComparer.Ordinal);
        // The client message each tool call and result came from, so a pairing error names the right one.
        var origins = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"messages[{index}]";
            var role = JsonFields.String(message, "role");
            switch (role)
            {
                case "system" or "developer":
                    JsonFields.TryGet(message, "content", out var systemContent);
                    foreach (var (text, part) in AnthropicJson.TextParts(systemContent, path + ".content"))
                    {
                        if (text.Length > 0) system.Add((JsonNode)AnthropicJson.TextBlock(text, part));
                    }
                    break;
                case "user":
                    JsonFields.TryGet(message, "content", out var userContent);
                    var blocks = AnthropicContentTranslator.UserBlocks(userContent, path + ".content");
                    if (blocks.Count == 0) blocks.Add(new JsonObject { ["type"] = "text", ["text"] = Placeholder });
                    Append(turns, "user", index, blocks);
                    break;
                case "assistant":
                    var assistant = AssistantBlocks(message, path, ids, toolNames);
                    foreach (var block in assistant.Where(b => AnthropicTurn.TypeOf(b) == "tool_use")) origins[block["id"]!.GetValue<string>()] = index;
                    Append(turns, "assistant", index, assistant);
                    break;
                case "tool":
                    var toolResult = ToolResult(message, path, ids);
                    origins["result:" + toolResult["tool_use_id"]!.GetValue<string>()] = index;
                    Append(turns, "user", index, [toolResult]);
                    break;
                case "function":
                    throw AnthropicTranslationException.Unsupported(path + ".role", $"\"{path}\" uses the deprecated \"function\" role, which this Anthropic connection does not translate; send tool calls and \"tool\" messages instead.");
                default:
                    throw AnthropicTranslationException.Invalid(path + ".role", $"\"{path}.role\" is \"{role}\"; use \"system\", \"developer\", \"user\", \"assistant\" or \"tool\".");
            }
            index++;
        }
        Normalise(turns);
        CheckToolPairing(turns, origins);
        var result = new JsonArray();
        foreach (var turn in turns) result.Add((JsonNode)turn.ToJson());
        return new AnthropicConversation(system, result, toolNames);
    }

    private static void Append(List<AnthropicTurn> turns, string role, int index, List<JsonNode> blocks)
    {
        if (blocks.Count == 0) return;
        if (turns.Count == 0 || turns[^1].Role != role) turns.Add(new AnthropicTurn(role, index));
        turns[^1].Blocks.AddRange(blocks);
    }

    private static List<JsonNode> AssistantBlocks(JsonElement message, string path, AnthropicToolIds ids, HashSet<string> toolNames)
    {
        var blocks = new List<JsonNode>();
        // Signed thinking from an earlier turn (LiteLLM's thinking_blocks) must go back unmodified and first.
        if (JsonFields.TryGet(message, "thinking_blocks", out var thinking) && thinking.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in thinking.EnumerateArray())
            {
                if (JsonFields.String(block, "type") is "thinking" or "redacted_thinking") blocks.Add(JsonFields.Clone(block)!);
            }
        }
        if (JsonFields.TryGet(message, "content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                if (content.GetString() is { Length: > 0 } text) blocks.Add(AnthropicJson.TextBlock(text, default));
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    // A refusal part has no Anthropic form; the assistant's text is what the model must see.
                    if (JsonFields.String(part, "type") == "text" && JsonFields.String(part, "text") is { Length: > 0 } text)
                    {
                        blocks.Add(AnthropicJson.TextBlock(text, part));
                    }
                }
            }
        }
        if (JsonFields.TryGet(message, "tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            var j = 0;
            foreach (var call in calls.EnumerateArray())
            {
                blocks.Add(ToolUse(call, $"{path}.tool_calls[{j++}]", ids, toolNames));
            }
        }
        return blocks;
    }

    private static JsonObject ToolUse(JsonElement call, string path, AnthropicToolIds ids, HashSet<string> toolNames)
    {
        var id = JsonFields.String(call, "id")
            ?? throw AnthropicTranslationException.Invalid(path + ".id", $"\"{path}.id\" is missing; every tool call needs the id its tool message answers.", "missing_required_parameter");
        JsonFields.TryGet(call, "function", out var function);
        var name = JsonFields.String(function, "name")
            ?? throw AnthropicTranslationException.Invalid(path + ".function.name", $"\"{path}.function.name\" is missing.", "missing_required_parameter");
        toolNames.Add(name);
        return new JsonObject
        {
            ["type"] = "tool_use",
            ["id"] = ids.Map(id),
            ["name"] = name,
            ["input"] = ParseArguments(JsonFields.String(function, "arguments"), path + ".function.arguments"),
        };
    }

    /// <summary>OpenAI arguments are a JSON string; Anthropic wants the object. Empty means no arguments.</summary>
    private static JsonObject ParseArguments(string? arguments, string path)
    {
        if (string.IsNullOrWhiteSpace(arguments)) return [];
        try
        {
            if (JsonNode.Parse(arguments) is JsonObject input) return input;
        }
        catch (JsonException)
        {
            // Reported below with the same message as a non-object.
        }
        throw AnthropicTranslationException.Invalid(path, $"\"{path}\" is not a JSON object; Anthropic needs tool arguments as an object such as {{\"city\": \"Paris\"}}.");
    }

    private static JsonObject ToolResult(JsonElement message, string path, AnthropicToolIds ids)
    {
        var id = JsonFields.String(message, "tool_call_id")
            ?? throw AnthropicTranslationException.Invalid(path + ".tool_call_id", $"\"{path}.tool_call_id\" is missing; a tool message must name the tool call it answers.", "missing_required_parameter");
        var result = new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = ids.Map(id) };
        JsonFields.TryGet(message, "content", out var content);
        if (content.ValueKind == JsonValueKind.String)
        {
            result["content"] = content.GetString();
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            // Text and images both fit inside a tool_result (computer-use agents return screenshots this way).
            result["content"] = new JsonArray([.. AnthropicContentTranslator.UserBlocks(content, path + ".content")]);
        }
        else
        {
            result["content"] = "";
        }
        return result;
    }

    private static void Normalise(List<AnthropicTurn> turns)
    {
        foreach (var turn in turns)
        {
            // Results first in a user turn; thinking, text, then tool_use last in an assistant turn (protocols.md 2.3).
            var ordered = turn.Role == "user"
                ? turn.Blocks.OrderBy(b => AnthropicTurn.TypeOf(b) == "tool_result" ? 0 : 1).ToList()
                : turn.Blocks.OrderBy(b => AnthropicTurn.TypeOf(b) switch { "thinking" or "redacted_thinking" => 0, "tool_use" => 2, _ => 1 }).ToList();
            turn.Blocks.Clear();
            turn.Blocks.AddRange(ordered);
        }
        if (turns.Count == 0 || turns[0].Role != "user")
        {
            var lead = new AnthropicTurn("user", 0);
            lead.Blocks.Add(new JsonObject { ["type"] = "text", ["text"] = Placeholder });
            turns.Insert(0, lead);
        }
        // A final assistant turn is a prefill, and Anthropic rejects one that ends in whitespace.
        var last = turns[^1];
        if (last.Role == "assistant" && last.Blocks[^1] is JsonObject block && AnthropicTurn.TypeOf(block) == "text")
        {
            var text = block["text"]!.GetValue<string>().TrimEnd();
            if (text.Length > 0) block["text"] = text;
            else last.Blocks.RemoveAt(last.Blocks.Count - 1);
            if (last.Blocks.Count == 0) turns.RemoveAt(turns.Count - 1);
        }
    }

    private static void CheckToolPairing(List<AnthropicTurn> turns, Dictionary<string, int> origins)
    {
        for (var t = 0; t < turns.Count; t++)
        {
            var turn = turns[t];
            var expected = turn.Role == "assistant"
                ? turn.Blocks.Where(b => AnthropicTurn.TypeOf(b) == "tool_use").Select(b => b["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal)
                : [];
            var next = t + 1 < turns.Count ? turns[t + 1] : null;
            var answered = next?.Role == "user"
                ? next.Blocks.Where(b => AnthropicTurn.TypeOf(b) == "tool_result").Select(b => b["tool_use_id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal)
                : [];
            if (expected.FirstOrDefault(id => !answered.Contains(id)) is { } missing)
            {
                var param = $"messages[{origins.GetValueOrDefault(missing, turn.FirstMessage)}]";
                throw AnthropicTranslationException.Invalid(param,
                    $"The tool call \"{missing}\" in \"{param}\" has no answer; add a {{\"role\": \"tool\", \"tool_call_id\": ...}} message for every tool call right after the assistant message.");
            }
            if (next is not null && answered.FirstOrDefault(id => !expected.Contains(id)) is { } orphan)
            {
                var param = $"messages[{origins.GetValueOrDefault("result:" + orphan, next.FirstMessage)}]";
                throw AnthropicTranslationException.Invalid(param,
                    $"The tool message answering \"{orphan}\" in \"{param}\" does not follow an assistant message that made that call; put tool messages right after the assistant message with the matching tool_calls.");
            }
        }
        if (turns[0].Blocks.FirstOrDefault(b => AnthropicTurn.TypeOf(b) == "tool_result") is { } first)
        {
            var param = $"messages[{origins.GetValueOrDefault("result:" + first["tool_use_id"]!.GetValue<string>(), turns[0].FirstMessage)}]";
            throw AnthropicTranslationException.Invalid(param,
                $"The tool message answering \"{first["tool_use_id"]}\" in \"{param}\" does not follow an assistant message that made that call; put tool messages right after the assistant message with the matching tool_calls.");
        }
    }
}
