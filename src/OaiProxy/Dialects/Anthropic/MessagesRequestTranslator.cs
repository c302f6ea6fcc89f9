using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Providers.Anthropic;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// An Anthropic Messages request to an OpenAI chat request (protocols.md 4.14), so any connection can serve
/// <c>/messages</c>: <c>system</c> becomes a system message; user tool results become <c>tool</c> messages placed
/// first; assistant <c>tool_use</c> becomes <c>tool_calls</c> (input serialised as arguments); images and PDFs
/// become data-URL parts; thinking blocks from earlier turns are dropped (no OpenAI equivalent); thinking and
/// effort become <c>reasoning_effort</c>; <c>stop_sequences</c>, <c>tools</c>, <c>tool_choice</c> and
/// <c>metadata.user_id</c> map to their OpenAI fields. Streams ask for usage so <c>message_delta</c> can report it.
/// </summary>
internal static class MessagesRequestTranslator
{
    public static JsonObject ToOpenAiChat(JsonElement root)
    {
        // 1. Sampling and limits.
        var chat = new JsonObject { ["model"] = AnthropicJson.String(root, "model") };
        if (AnthropicJson.TryGet(root, "max_tokens", out var maxTokens)) chat["max_tokens"] = AnthropicJson.Clone(maxTokens);
        foreach (var name in (string[])["temperature", "top_p"])
        {
            if (AnthropicJson.TryGet(root, name, out var value)) chat[name] = AnthropicJson.Clone(value);
        }
        if (AnthropicJson.TryGet(root, "stop_sequences", out var stops) && stops.ValueKind == JsonValueKind.Array && stops.GetArrayLength() > 0)
        {
            chat["stop"] = AnthropicJson.Clone(stops);
        }
        if (AnthropicJson.TryGet(root, "metadata", out var metadata) && AnthropicJson.String(metadata, "user_id") is { } user) chat["user"] = user;
        if (Effort(root) is { } effort) chat["reasoning_effort"] = effort;
        if (AnthropicJson.TryGet(root, "output_config", out var output) && AnthropicJson.TryGet(output, "format", out var format) &&
            AnthropicJson.TryGet(format, "schema", out var schema))
        {
            chat["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "output", ["schema"] = AnthropicJson.Clone(schema), ["strict"] = true },
            };
        }
        if (AnthropicJson.TryGet(root, "stream", out var stream) && stream.ValueKind == JsonValueKind.True)
        {
            chat["stream"] = true;
            chat["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        // 2. Conversation.
        var messages = new JsonArray();
        if (AnthropicJson.TryGet(root, "system", out var system) && SystemText(system) is { Length: > 0 } systemText)
        {
            messages.Add((JsonNode)new JsonObject { ["role"] = "system", ["content"] = systemText });
        }
        if (!AnthropicJson.TryGet(root, "messages", out var turns) || turns.ValueKind != JsonValueKind.Array)
        {
            throw MessagesTranslationException.Invalid("messages", "messages: Field required. Send the conversation as \"messages\": [{\"role\": \"user\", \"content\": \"...\"}].");
        }
        var i = 0;
        foreach (var turn in turns.EnumerateArray())
        {
            var role = AnthropicJson.String(turn, "role");
            AnthropicJson.TryGet(turn, "content", out var content);
            if (role == "assistant") messages.Add((JsonNode)Assistant(content, i));
            else if (role == "user") AddUser(messages, content, i);
            else throw MessagesTranslationException.Invalid($"messages.{i}.role", $"messages.{i}.role: Input should be 'user' or 'assistant'.");
            i++;
        }
        chat["messages"] = messages;

        // 3. Tools.
        if (AnthropicJson.TryGet(root, "tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            chat["tools"] = new JsonArray([.. tools.EnumerateArray().Select(Tool)]);
        }
        // OpenAI rejects tool_choice without tools.
        if (chat.ContainsKey("tools") && AnthropicJson.TryGet(root, "tool_choice", out var choice)) ApplyToolChoice(chat, choice);
        return chat;
    }

    private static string? Effort(JsonElement root)
    {
        if (AnthropicJson.TryGet(root, "output_config", out var output) && AnthropicJson.String(output, "effort") is { } effort)
        {
            return effort is "xhigh" or "max" ? "high" : effort;
        }
        if (!AnthropicJson.TryGet(root, "thinking", out var thinking)) return null;
        return AnthropicJson.String(thinking, "type") switch
        {
            "enabled" => AnthropicJson.TryGet(thinking, "budget_tokens", out var budget) && budget.TryGetInt64(out var n)
                ? n < 4096 ? "low" : n < 16384 ? "medium" : "high"
                : "medium",
            "adaptive" => "medium",
            _ => null,
        };
    }

    private static string? SystemText(JsonElement system) => system.ValueKind == JsonValueKind.String
        ? system.GetString()
        : string.Join("\n\n", system.EnumerateArray().Select(b => AnthropicJson.String(b, "text")).Where(t => !string.IsNullOrEmpty(t)));

    private static JsonObject Assistant(JsonElement content, int turn)
    {
        if (content.ValueKind == JsonValueKind.String) return new JsonObject { ["role"] = "assistant", ["content"] = content.GetString() };
        var text = new System.Text.StringBuilder();
        var calls = new JsonArray();
        foreach (var block in Blocks(content, turn))
        {
            switch (AnthropicJson.String(block, "type"))
            {
                case "text":
                    text.Append(AnthropicJson.String(block, "text"));
                    break;
                case "tool_use":
                    AnthropicJson.TryGet(block, "input", out var input);
                    calls.Add((JsonNode)new JsonObject
                    {
                        ["id"] = AnthropicJson.String(block, "id"),
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = AnthropicJson.String(block, "name"),
                            ["arguments"] = input.ValueKind == JsonValueKind.Undefined ? "{}" : AnthropicJson.Compact(input),
                        },
                    });
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                case var other:
                    throw Unsupported(turn, other);
            }
        }
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text.Length > 0 ? text.ToString() : null };
        if (calls.Count > 0) message["tool_calls"] = calls;
        return message;
    }

    private static void AddUser(JsonArray messages, JsonElement content, int turn)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            messages.Add((JsonNode)new JsonObject { ["role"] = "user", ["content"] = content.GetString() });
            return;
        }
        var parts = new JsonArray();
        foreach (var block in Blocks(content, turn))
        {
            if (AnthropicJson.String(block, "type") == "tool_result")
            {
                // Tool answers go first, straight after the assistant's calls, as OpenAI requires.
                messages.Add((JsonNode)new JsonObject
                {
                    ["role"] = "tool",
                    ["tool_call_id"] = AnthropicJson.String(block, "tool_use_id"),
                    ["content"] = ToolResultText(block, parts, turn),
                });
            }
            else
            {
                parts.Add((JsonNode)Part(block, turn));
            }
        }
        if (parts.Count > 0) messages.Add((JsonNode)new JsonObject { ["role"] = "user", ["content"] = parts });
    }

    private static string ToolResultText(JsonElement block, JsonArray mediaParts, int turn)
    {
        var prefix = AnthropicJson.TryGet(block, "is_error", out var isError) && isError.ValueKind == JsonValueKind.True ? "Error: " : "";
        if (!AnthropicJson.TryGet(block, "content", out var content)) return prefix;
        if (content.ValueKind == JsonValueKind.String) return prefix + content.GetString();
        var texts = new List<string>();
        foreach (var inner in Blocks(content, turn))
        {
            // OpenAI tool messages carry text only; media a tool returned follows in the user message.
            if (AnthropicJson.String(inner, "type") == "text") texts.Add(AnthropicJson.String(inner, "text") ?? "");
            else mediaParts.Add((JsonNode)Part(inner, turn));
        }
        return prefix + string.Join("\n", texts);
    }

    private static JsonObject Part(JsonElement block, int turn)
    {
        var type = AnthropicJson.String(block, "type");
        AnthropicJson.TryGet(block, "source", out var source);
        var sourceType = AnthropicJson.String(source, "type");
        return (type, sourceType) switch
        {
            ("text", _) => new JsonObject { ["type"] = "text", ["text"] = AnthropicJson.String(block, "text") },
            ("image", "base64") => ImagePart($"data:{AnthropicJson.String(source, "media_type")};base64,{AnthropicJson.String(source, "data")}"),
            ("image", "url") => ImagePart(AnthropicJson.String(source, "url")),
            ("document", "base64") => new JsonObject
            {
                ["type"] = "file",
                ["file"] = new JsonObject
                {
                    ["filename"] = AnthropicJson.String(block, "title") ?? "document.pdf",
                    ["file_data"] = $"data:{AnthropicJson.String(source, "media_type")};base64,{AnthropicJson.String(source, "data")}",
                },
            },
            ("document", "text") => new JsonObject { ["type"] = "text", ["text"] = AnthropicJson.String(source, "data") },
            _ => throw Unsupported(turn, sourceType is null ? type : $"{type} ({sourceType} source)"),
        };
    }

    private static JsonObject ImagePart(string? url) =>
        new() { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } };

    private static JsonElement.ArrayEnumerator Blocks(JsonElement content, int turn)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw MessagesTranslationException.Invalid($"messages.{turn}.content", $"messages.{turn}.content: Input should be a string or a list of content blocks.");
        }
        return content.EnumerateArray();
    }

    private static MessagesTranslationException Unsupported(int turn, string? type) =>
        MessagesTranslationException.Invalid($"messages.{turn}.content",
            $"messages.{turn}.content: the \"{type}\" block cannot be sent to this model, which is served through an OpenAI-compatible connection; send text, images, PDFs, tool_use and tool_result only.");

    private static JsonNode Tool(JsonElement tool)
    {
        var type = AnthropicJson.String(tool, "type");
        if (type is not (null or "custom"))
        {
            throw MessagesTranslationException.Invalid("tools", $"tools: the server tool \"{type}\" runs only on Anthropic; route this model to an anthropic connection or drop the tool.");
        }
        var function = new JsonObject { ["name"] = AnthropicJson.String(tool, "name") };
        if (AnthropicJson.String(tool, "description") is { } description) function["description"] = description;
        function["parameters"] = AnthropicJson.TryGet(tool, "input_schema", out var schema) ? AnthropicJson.Clone(schema) : new JsonObject { ["type"] = "object" };
        if (AnthropicJson.TryGet(tool, "strict", out var strict) && strict.ValueKind == JsonValueKind.True) function["strict"] = true;
        return new JsonObject { ["type"] = "function", ["function"] = function };
    }

    private static void ApplyToolChoice(JsonObject chat, JsonElement choice)
    {
        chat["tool_choice"] = AnthropicJson.String(choice, "type") switch
        {
            "any" => "required",
            "none" => "none",
            "tool" => new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = AnthropicJson.String(choice, "name") } },
            _ => "auto",
        };
        if (AnthropicJson.TryGet(choice, "disable_parallel_tool_use", out var disable) && disable.ValueKind == JsonValueKind.True)
        {
            chat["parallel_tool_calls"] = false;
        }
    }
}
