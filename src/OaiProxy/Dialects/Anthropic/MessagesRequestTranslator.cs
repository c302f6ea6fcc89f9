using System.Buffers;
using System.Text;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// An Anthropic Messages request to an OpenAI chat request (protocols.md 4.14), so any connection can serve
/// <c>/messages</c>: <c>system</c> becomes a system message; user tool results become <c>tool</c> messages placed
/// first; assistant <c>tool_use</c> becomes <c>tool_calls</c> (input serialised as arguments); images and PDFs
/// become data-URL parts; thinking blocks from earlier turns are dropped (no OpenAI equivalent); thinking and
/// effort become <c>reasoning_effort</c>; <c>stop_sequences</c>, <c>tools</c>, <c>tool_choice</c> and
/// <c>metadata.user_id</c> map to their OpenAI fields. Streams ask for usage so <c>message_delta</c> can report it.
/// Written straight from the client's parsed body to bytes: no tree, and the result is never scanned again, since
/// writing it tells where its model sits.
/// </summary>
internal static class MessagesRequestTranslator
{
    public static RequestBody ToOpenAiChat(JsonElement root)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var model = JsonFields.String(root, "model") ?? "";
        Range modelToken;
        int messageCount;
        bool stream;
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WritePropertyName(Key(keys, "model"));
            w.Flush();
            var modelStart = buffer.WrittenCount;
            w.WriteStringValue(model);
            w.Flush();
            modelToken = new Range(modelStart, buffer.WrittenCount);

            // 1. Sampling and limits.
            foreach (var name in (ReadOnlySpan<string>)["max_tokens", "temperature", "top_p"])
            {
                if (JsonFields.TryGet(root, name, out var value)) Copy(w, keys, name, value);
            }
            if (JsonFields.TryGet(root, "stop_sequences", out var stops) && stops.ValueKind == JsonValueKind.Array && stops.GetArrayLength() > 0)
            {
                Copy(w, keys, "stop", stops);
            }
            if (JsonFields.TryGet(root, "metadata", out var metadata) && JsonFields.String(metadata, "user_id") is { } user) w.WriteString(Key(keys, "user"), user);
            if (Effort(root) is { } effort) w.WriteString(Key(keys, "reasoning_effort"), effort);
            if (JsonFields.TryGet(root, "output_config", out var output) && JsonFields.TryGet(output, "format", out var format) &&
                JsonFields.TryGet(format, "schema", out var schema))
            {
                w.WriteStartObject(Key(keys, "response_format"));
                w.WriteString("type"u8, "json_schema"u8);
                w.WriteStartObject("json_schema"u8);
                w.WriteString("name"u8, "output"u8);
                w.WritePropertyName("schema"u8);
                schema.WriteTo(w);
                w.WriteBoolean("strict"u8, true);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            stream = JsonFields.TryGet(root, "stream", out var streamValue) && streamValue.ValueKind == JsonValueKind.True;
            if (stream)
            {
                w.WriteBoolean(Key(keys, "stream"), true);
                w.WriteStartObject(Key(keys, "stream_options"));
                w.WriteBoolean("include_usage"u8, true);
                w.WriteEndObject();
            }

            // 2. Conversation.
            w.WriteStartArray(Key(keys, "messages"));
            messageCount = WriteMessages(w, root);
            w.WriteEndArray();

            // 3. Tools; OpenAI rejects tool_choice without tools.
            if (JsonFields.TryGet(root, "tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
            {
                w.WriteStartArray(Key(keys, "tools"));
                foreach (var tool in tools.EnumerateArray()) WriteTool(w, tool);
                w.WriteEndArray();
                if (JsonFields.TryGet(root, "tool_choice", out var choice)) WriteToolChoice(w, keys, choice);
            }
            w.WriteEndObject();
        }
        if (messageCount == 0) throw new MessagesTranslationException(ProxyError.BadRequest("\"messages\" is empty; send at least one message.", "messages", "empty_array"));
        return new RequestBody(buffer.WrittenMemory, new RequestBodyFields
        {
            Model = model,
            ModelToken = modelToken,
            ObjectEnd = buffer.WrittenCount - 1,
            Stream = stream,
            IncludeUsage = stream,
            MessageCount = messageCount,
            TopLevelKeys = keys,
        });
    }

    private static string Key(HashSet<string> keys, string name)
    {
        keys.Add(name);
        return name;
    }

    private static void Copy(Utf8JsonWriter w, HashSet<string> keys, string name, JsonElement value)
    {
        w.WritePropertyName(Key(keys, name));
        value.WriteTo(w);
    }

    private static int WriteMessages(Utf8JsonWriter w, JsonElement root)
    {
        var count = 0;
        if (JsonFields.TryGet(root, "system", out var system) && SystemText(system) is { Length: > 0 } systemText)
        {
            TextMessage(w, "system", systemText);
            count++;
        }
        if (!JsonFields.TryGet(root, "messages", out var turns) || turns.ValueKind != JsonValueKind.Array)
        {
            throw MessagesTranslationException.Invalid("messages", "messages: Field required. Send the conversation as \"messages\": [{\"role\": \"user\", \"content\": \"...\"}].");
        }
        var i = 0;
        foreach (var turn in turns.EnumerateArray())
        {
            var role = JsonFields.String(turn, "role");
            JsonFields.TryGet(turn, "content", out var content);
            if (role == "assistant") count += Assistant(w, content, i);
            else if (role == "user") count += User(w, content, i);
            else throw MessagesTranslationException.Invalid($"messages.{i}.role", $"messages.{i}.role: Input should be 'user' or 'assistant'.");
            i++;
        }
        return count;
    }

    private static string? Effort(JsonElement root)
    {
        if (JsonFields.TryGet(root, "output_config", out var output) && JsonFields.String(output, "effort") is { } effort)
        {
            return effort is "xhigh" or "max" ? "high" : effort;
        }
        if (!JsonFields.TryGet(root, "thinking", out var thinking)) return null;
        return JsonFields.String(thinking, "type") switch
        {
            "enabled" => JsonFields.TryGet(thinking, "budget_tokens", out var budget) && budget.TryGetInt64(out var n)
                ? n < 4096 ? "low" : n < 16384 ? "medium" : "high"
                : "medium",
            "adaptive" => "medium",
            _ => null,
        };
    }

    private static string? SystemText(JsonElement system) => system.ValueKind == JsonValueKind.String
        ? system.GetString()
        : string.Join("\n\n", system.EnumerateArray().Select(b => JsonFields.String(b, "text")).Where(t => !string.IsNullOrEmpty(t)));

    private static void TextMessage(Utf8JsonWriter w, string role, string? text)
    {
        w.WriteStartObject();
        w.WriteString("role"u8, role);
        w.WriteString("content"u8, text);
        w.WriteEndObject();
    }

    private static int Assistant(Utf8JsonWriter w, JsonElement content, int turn)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            TextMessage(w, "assistant", content.GetString());
            return 1;
        }
        var text = new StringBuilder();
        var calls = 0;
        foreach (var block in Blocks(content, turn))
        {
            switch (JsonFields.String(block, "type"))
            {
                case "text":
                    text.Append(JsonFields.String(block, "text"));
                    break;
                case "tool_use":
                    calls++;
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                case var other:
                    throw Unsupported(turn, other);
            }
        }
        w.WriteStartObject();
        w.WriteString("role"u8, "assistant"u8);
        if (text.Length > 0) w.WriteString("content"u8, text.ToString());
        else w.WriteNull("content"u8);
        if (calls > 0)
        {
            w.WriteStartArray("tool_calls"u8);
            foreach (var block in content.EnumerateArray())
            {
                if (JsonFields.String(block, "type") != "tool_use") continue;
                JsonFields.TryGet(block, "input", out var input);
                w.WriteStartObject();
                w.WriteString("id"u8, JsonFields.String(block, "id"));
                w.WriteString("type"u8, "function"u8);
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, JsonFields.String(block, "name"));
                w.WriteString("arguments"u8, input.ValueKind == JsonValueKind.Undefined ? "{}" : JsonFields.Compact(input));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        return 1;
    }

    private static int User(Utf8JsonWriter w, JsonElement content, int turn)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            TextMessage(w, "user", content.GetString());
            return 1;
        }
        // Tool answers go first, straight after the assistant's calls, as OpenAI requires; the other parts (and any
        // media a tool returned, which OpenAI tool messages cannot carry) follow in one user message.
        var count = 0;
        var parts = 0;
        foreach (var block in Blocks(content, turn))
        {
            if (JsonFields.String(block, "type") != "tool_result")
            {
                parts++;
                continue;
            }
            w.WriteStartObject();
            w.WriteString("role"u8, "tool"u8);
            w.WriteString("tool_call_id"u8, JsonFields.String(block, "tool_use_id"));
            w.WriteString("content"u8, ToolResultText(block, turn, ref parts));
            w.WriteEndObject();
            count++;
        }
        if (parts == 0) return count;
        w.WriteStartObject();
        w.WriteString("role"u8, "user"u8);
        w.WriteStartArray("content"u8);
        foreach (var block in content.EnumerateArray())
        {
            if (JsonFields.String(block, "type") != "tool_result") WritePart(w, block, turn);
            else if (JsonFields.TryGet(block, "content", out var inner) && inner.ValueKind == JsonValueKind.Array)
            {
                foreach (var media in inner.EnumerateArray())
                {
                    if (JsonFields.String(media, "type") != "text") WritePart(w, media, turn);
                }
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
        return count + 1;
    }

    /// <summary>A tool result's text; counts into <paramref name="mediaParts"/> what it returned besides text.</summary>
    private static string ToolResultText(JsonElement block, int turn, ref int mediaParts)
    {
        var prefix = JsonFields.TryGet(block, "is_error", out var isError) && isError.ValueKind == JsonValueKind.True ? "Error: " : "";
        if (!JsonFields.TryGet(block, "content", out var content)) return prefix;
        if (content.ValueKind == JsonValueKind.String) return prefix + content.GetString();
        var texts = new List<string>();
        foreach (var inner in Blocks(content, turn))
        {
            if (JsonFields.String(inner, "type") == "text") texts.Add(JsonFields.String(inner, "text") ?? "");
            else mediaParts++;
        }
        return prefix + string.Join("\n", texts);
    }

    private static void WritePart(Utf8JsonWriter w, JsonElement block, int turn)
    {
        var type = JsonFields.String(block, "type");
        JsonFields.TryGet(block, "source", out var source);
        var sourceType = JsonFields.String(source, "type");
        w.WriteStartObject();
        switch (type, sourceType)
        {
            case ("text", _):
                w.WriteString("type"u8, "text"u8);
                w.WriteString("text"u8, JsonFields.String(block, "text"));
                break;
            case ("image", "base64"):
                ImageUrl(w, $"data:{JsonFields.String(source, "media_type")};base64,{JsonFields.String(source, "data")}");
                break;
            case ("image", "url"):
                ImageUrl(w, JsonFields.String(source, "url"));
                break;
            case ("document", "base64"):
                w.WriteString("type"u8, "file"u8);
                w.WriteStartObject("file"u8);
                w.WriteString("filename"u8, JsonFields.String(block, "title") ?? "document.pdf");
                w.WriteString("file_data"u8, $"data:{JsonFields.String(source, "media_type")};base64,{JsonFields.String(source, "data")}");
                w.WriteEndObject();
                break;
            case ("document", "text"):
                w.WriteString("type"u8, "text"u8);
                w.WriteString("text"u8, JsonFields.String(source, "data"));
                break;
            default:
                throw Unsupported(turn, sourceType is null ? type : $"{type} ({sourceType} source)");
        }
        w.WriteEndObject();
    }

    private static void ImageUrl(Utf8JsonWriter w, string? url)
    {
        w.WriteString("type"u8, "image_url"u8);
        w.WriteStartObject("image_url"u8);
        w.WriteString("url"u8, url);
        w.WriteEndObject();
    }

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

    private static void WriteTool(Utf8JsonWriter w, JsonElement tool)
    {
        var type = JsonFields.String(tool, "type");
        if (type is not (null or "custom"))
        {
            throw MessagesTranslationException.Invalid("tools", $"tools: the server tool \"{type}\" runs only on Anthropic; route this model to an anthropic connection or drop the tool.");
        }
        w.WriteStartObject();
        w.WriteString("type"u8, "function"u8);
        w.WriteStartObject("function"u8);
        w.WriteString("name"u8, JsonFields.String(tool, "name"));
        if (JsonFields.String(tool, "description") is { } description) w.WriteString("description"u8, description);
        w.WritePropertyName("parameters"u8);
        if (JsonFields.TryGet(tool, "input_schema", out var schema)) schema.WriteTo(w);
        else
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "object"u8);
            w.WriteEndObject();
        }
        if (JsonFields.TryGet(tool, "strict", out var strict) && strict.ValueKind == JsonValueKind.True) w.WriteBoolean("strict"u8, true);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter w, HashSet<string> keys, JsonElement choice)
    {
        switch (JsonFields.String(choice, "type"))
        {
            case "any":
                w.WriteString(Key(keys, "tool_choice"), "required");
                break;
            case "none":
                w.WriteString(Key(keys, "tool_choice"), "none");
                break;
            case "tool":
                w.WriteStartObject(Key(keys, "tool_choice"));
                w.WriteString("type"u8, "function"u8);
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, JsonFields.String(choice, "name"));
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            default:
                w.WriteString(Key(keys, "tool_choice"), "auto");
                break;
        }
        if (JsonFields.TryGet(choice, "disable_parallel_tool_use", out var disable) && disable.ValueKind == JsonValueKind.True)
        {
            w.WriteBoolean(Key(keys, "parallel_tool_calls"), false);
        }
    }
}
