using System.Buffers;
using System.Text.Json;
using OaiProxy.Requests;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// A Responses request to an OpenAI chat request, so any connection can serve <c>/responses</c> (the mapping is
/// listed per field in docs/responses.md): <c>instructions</c> and system/developer messages become system
/// messages; consecutive assistant items (reasoning, text, function and custom tool calls) become one assistant
/// message; tool outputs become tool messages (their images a user message after them); function, namespace and
/// custom tools become chat functions (<see cref="ResponsesToolMap"/> turns the calls back); hosted tools and item
/// types no chat upstream runs are dropped and listed. Written straight to bytes: the result is never scanned again.
/// </summary>
internal static class ResponsesRequestTranslator
{
    /// <summary>The chat request; <paramref name="conversation"/> is the stored history and the request's input, references resolved.</summary>
    public static RequestBody ToChat(JsonElement root, IReadOnlyList<JsonElement> conversation, ResponsesToolMap tools, StateSeal seal,
        List<string> droppedItems, List<JsonDocument> opened, ChatParamMap map)
    {
        // A stored prompt template lives at OpenAI: running the request without it would answer another question.
        if (JsonFields.TryGet(root, "prompt", out var prompt) && prompt.ValueKind != JsonValueKind.Null)
        {
            throw ResponsesTranslationException.Invalid("prompt", "Stored prompt templates (\"prompt\") are served only by OpenAI; this model's upstream cannot apply one. Send the prompt's text as instructions and input instead.", "unsupported_parameter");
        }
        var buffer = new ArrayBufferWriter<byte>(2048);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var model = JsonFields.String(root, "model") ?? "";
        var stream = JsonFields.TryGet(root, "stream", out var streamValue) && streamValue.ValueKind == JsonValueKind.True;
        Range modelToken;
        int messageCount;
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WritePropertyName(Key(keys, "model"));
            w.Flush();
            var modelStart = buffer.WrittenCount;
            w.WriteStringValue(model);
            w.Flush();
            modelToken = new Range(modelStart, buffer.WrittenCount);

            // 1. Sampling, limits, output format, reasoning.
            if (JsonFields.TryGet(root, "max_output_tokens", out var maxTokens)) Copy(w, keys, "max_completion_tokens", maxTokens);
            foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p", "prompt_cache_key"])
            {
                if (JsonFields.TryGet(root, name, out var value)) Copy(w, keys, name, value);
            }
            if ((JsonFields.String(root, "safety_identifier") ?? JsonFields.String(root, "user")) is { } user) w.WriteString(Key(keys, "user"), user);
            if (JsonFields.TryGet(root, "reasoning", out var reasoning) && JsonFields.String(reasoning, "effort") is { } effort)
            {
                w.WriteString(Key(keys, "reasoning_effort"), effort);
            }
            if (JsonFields.TryGet(root, "text", out var text) && JsonFields.TryGet(text, "format", out var format)) WriteFormat(w, keys, format);
            if (stream)
            {
                w.WriteBoolean(Key(keys, "stream"), true);
                w.WriteStartObject(Key(keys, "stream_options"));
                w.WriteBoolean("include_usage"u8, true);
                w.WriteEndObject();
            }

            // 2. Conversation.
            w.WriteStartArray(Key(keys, "messages"));
            var messages = new ChatMessages(w, tools, seal, droppedItems, opened, map);
            if (JsonFields.String(root, "instructions") is { Length: > 0 } instructions) messages.System(instructions);
            var index = 0;
            foreach (var item in conversation) messages.Add(item, index++);
            messageCount = messages.Finish();
            w.WriteEndArray();

            // 3. Tools, lifted from additional_tools items too; tool_choice only with tools, as OpenAI requires.
            var written = WriteTools(w, keys, root, conversation, tools);
            if (written > 0)
            {
                if (JsonFields.TryGet(root, "tool_choice", out var choice)) WriteToolChoice(w, keys, choice, tools);
                if (JsonFields.TryGet(root, "parallel_tool_calls", out var parallel)) Copy(w, keys, "parallel_tool_calls", parallel);
            }
            w.WriteEndObject();
        }
        if (messageCount == 0) throw ResponsesTranslationException.Invalid("input", "The request has no input; send \"input\" as a string or a list of items.", "empty_array");
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

    private static void WriteFormat(Utf8JsonWriter w, HashSet<string> keys, JsonElement format)
    {
        switch (JsonFields.String(format, "type"))
        {
            case "json_schema":
                w.WriteStartObject(Key(keys, "response_format"));
                w.WriteString("type"u8, "json_schema"u8);
                w.WriteStartObject("json_schema"u8);
                w.WriteString("name"u8, JsonFields.String(format, "name") ?? "output");
                if (JsonFields.String(format, "description") is { } description) w.WriteString("description"u8, description);
                w.WritePropertyName("schema"u8);
                if (JsonFields.TryGet(format, "schema", out var schema)) schema.WriteTo(w);
                else EmptyObjectSchema(w);
                if (JsonFields.TryGet(format, "strict", out var strict) && strict.ValueKind is JsonValueKind.True or JsonValueKind.False) w.WriteBoolean("strict"u8, strict.GetBoolean());
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case "json_object":
                w.WriteStartObject(Key(keys, "response_format"));
                w.WriteString("type"u8, "json_object"u8);
                w.WriteEndObject();
                break;
        }
    }

    private static int WriteTools(Utf8JsonWriter w, HashSet<string> keys, JsonElement root, IReadOnlyList<JsonElement> conversation, ResponsesToolMap map)
    {
        var declared = new List<JsonElement>();
        if (JsonFields.TryGet(root, "tools", out var tools) && tools.ValueKind == JsonValueKind.Array) declared.AddRange(tools.EnumerateArray());
        foreach (var item in conversation)
        {
            // Codex's "Responses Lite" carries its tools in an additional_tools item.
            if (JsonFields.String(item, "type") == "additional_tools" && JsonFields.TryGet(item, "tools", out var extra) && extra.ValueKind == JsonValueKind.Array)
            {
                declared.AddRange(extra.EnumerateArray());
            }
        }
        // Tools no chat upstream runs are dropped before the array is opened, so none at all means no "tools".
        foreach (var tool in declared.Where(t => !IsChatTool(t)).ToList())
        {
            map.Dropped.Add(JsonFields.String(tool, "type") ?? "(untyped)");
            declared.Remove(tool);
        }
        if (declared.Count == 0) return 0;
        var count = 0;
        w.WriteStartArray(Key(keys, "tools"));
        foreach (var tool in declared) count += WriteTool(w, tool, null, map);
        w.WriteEndArray();
        return count;
    }

    private static bool IsChatTool(JsonElement tool) =>
        JsonFields.String(tool, "name") is not null && JsonFields.String(tool, "type") is "function" or "custom"
        || JsonFields.String(tool, "type") == "namespace" && JsonFields.String(tool, "name") is not null && JsonFields.TryGet(tool, "tools", out var inner) && inner.ValueKind == JsonValueKind.Array && inner.EnumerateArray().Any(IsChatTool);

    private static int WriteTool(Utf8JsonWriter w, JsonElement tool, string? space, ResponsesToolMap map)
    {
        var type = JsonFields.String(tool, "type");
        var name = JsonFields.String(tool, "name");
        switch (type)
        {
            case "function" when name is not null:
                w.WriteStartObject();
                w.WriteString("type"u8, "function"u8);
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, space is null ? name : map.AddNamespaced(space, name));
                if (JsonFields.String(tool, "description") is { } description) w.WriteString("description"u8, description);
                w.WritePropertyName("parameters"u8);
                if (JsonFields.TryGet(tool, "parameters", out var parameters)) parameters.WriteTo(w);
                else EmptyObjectSchema(w);
                if (JsonFields.TryGet(tool, "strict", out var strict) && strict.ValueKind is JsonValueKind.True or JsonValueKind.False) w.WriteBoolean("strict"u8, strict.GetBoolean());
                w.WriteEndObject();
                w.WriteEndObject();
                return 1;
            case "namespace" when name is not null && JsonFields.TryGet(tool, "tools", out var inner) && inner.ValueKind == JsonValueKind.Array:
                var count = 0;
                foreach (var function in inner.EnumerateArray()) count += WriteTool(w, function, name, map);
                return count;
            case "custom" when name is not null:
                var flat = space is null ? name : map.AddNamespaced(space, name);
                map.AddCustom(flat);
                w.WriteStartObject();
                w.WriteString("type"u8, "function"u8);
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, flat);
                w.WriteString("description"u8, CustomDescription(tool));
                w.WriteStartObject("parameters"u8);
                w.WriteString("type"u8, "object"u8);
                w.WriteStartObject("properties"u8);
                w.WriteStartObject(ResponsesToolMap.CustomInputArgument);
                w.WriteString("type"u8, "string"u8);
                w.WriteString("description"u8, "The tool's whole input, as free-form text."u8);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartArray("required"u8);
                w.WriteStringValue(ResponsesToolMap.CustomInputArgument);
                w.WriteEndArray();
                w.WriteBoolean("additionalProperties"u8, false);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                return 1;
            default:
                map.Dropped.Add(type ?? "(untyped)");
                return 0;
        }
    }

    private static string CustomDescription(JsonElement tool)
    {
        var description = JsonFields.String(tool, "description") ?? "";
        if (!JsonFields.TryGet(tool, "format", out var format) || JsonFields.String(format, "type") != "grammar") return description;
        return $"{description}\n\nThe input must follow this {JsonFields.String(format, "syntax") ?? "grammar"} grammar:\n{JsonFields.String(format, "definition")}";
    }

    private static void EmptyObjectSchema(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "object"u8);
        w.WriteStartObject("properties"u8);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter w, HashSet<string> keys, JsonElement choice, ResponsesToolMap map)
    {
        if (choice.ValueKind == JsonValueKind.String)
        {
            w.WriteString(Key(keys, "tool_choice"), choice.GetString() is "none" or "required" ? choice.GetString() : "auto");
            return;
        }
        switch (JsonFields.String(choice, "type"))
        {
            case "function" or "custom" when JsonFields.String(choice, "name") is { } name:
                w.WriteStartObject(Key(keys, "tool_choice"));
                w.WriteString("type"u8, "function"u8);
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, map.Flatten(JsonFields.String(choice, "namespace"), name));
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case "allowed_tools":
                w.WriteString(Key(keys, "tool_choice"), JsonFields.String(choice, "mode") == "required" ? "required" : "auto");
                break;
            default:
                // A hosted tool was chosen: it was dropped, so the model chooses among what is left.
                w.WriteString(Key(keys, "tool_choice"), "auto");
                break;
        }
    }
}
