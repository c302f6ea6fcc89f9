using System.Text;
using System.Text.Json;
using OaiProxy.Requests;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// Writes Responses conversation items as chat messages, in order: a run of assistant items (reasoning, text,
/// function and custom tool calls) becomes one assistant message; tool outputs follow as tool messages, and the
/// images they returned as one user message after them, since chat tool messages carry text only.
/// </summary>
internal sealed class ChatMessages(Utf8JsonWriter w, ResponsesToolMap tools, StateSeal seal, List<string> dropped, List<JsonDocument> opened, ChatParamMap map)
{
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _reasoning = new();
    private readonly List<JsonElement> _calls = [];
    private readonly List<JsonElement> _thinking = [];
    private readonly List<JsonElement> _toolMedia = [];
    private int _count;
    private int? _assistantFrom;
    private int? _toolMediaFrom;

    public void System(string text)
    {
        Write("system", text, -1);
    }

    public void Add(JsonElement item, int index)
    {
        var type = JsonFields.String(item, "type") ?? (JsonFields.TryGet(item, "role", out _) ? "message" : null);
        switch (type)
        {
            case "message":
                Message(item, index);
                break;
            case "reasoning":
                FlushToolMedia();
                _assistantFrom ??= index;
                Reasoning(item);
                break;
            case "function_call" or "custom_tool_call":
                // The images of the previous tool outputs belong right after them, before the assistant's next turn.
                FlushToolMedia();
                _assistantFrom ??= index;
                _calls.Add(item);
                break;
            case "function_call_output" or "custom_tool_call_output":
                FlushAssistant();
                ToolOutput(item, index);
                break;
            case "additional_tools":
                break; // its tools are lifted into the request's tools
            default:
                dropped.Add(type ?? "(untyped)");
                break;
        }
    }

    /// <summary>Writes what is pending; the number of messages written.</summary>
    public int Finish()
    {
        FlushAssistant();
        FlushToolMedia();
        return _count;
    }

    private void Message(JsonElement item, int index)
    {
        var role = JsonFields.String(item, "role");
        JsonFields.TryGet(item, "content", out var content);
        if (role == "assistant")
        {
            // Text after tool calls is a later turn of the assistant: the earlier one closes first.
            if (_calls.Count > 0) FlushAssistant();
            FlushToolMedia();
            _assistantFrom ??= index;
            _text.Append(Text(content, index));
            return;
        }
        FlushAssistant();
        FlushToolMedia();
        if (role is "system" or "developer")
        {
            Write("system", Text(content, index), index);
            return;
        }
        if (role != "user") throw ResponsesTranslationException.Invalid($"{map.Path(index)}.role", $"{map.Path(index)}.role is \"{role}\"; use \"user\", \"assistant\", \"system\" or \"developer\".");
        if (content.ValueKind == JsonValueKind.String)
        {
            Write("user", content.GetString(), index);
            return;
        }
        w.WriteStartObject();
        w.WriteString("role"u8, "user"u8);
        w.WriteStartArray("content"u8);
        foreach (var part in Parts(content, index)) WritePart(part, index);
        w.WriteEndArray();
        w.WriteEndObject();
        _count++;
        map.Add(index, sameParts: true);
    }

    private void Reasoning(JsonElement item)
    {
        // Only state this proxy sealed can be replayed to a translated upstream; another origin's is dropped.
        if (ReasoningState.Open(seal, JsonFields.String(item, "encrypted_content")) is not { } state)
        {
            dropped.Add("reasoning (state of another origin)");
            return;
        }
        opened.Add(state.State);
        _reasoning.Append(state.Text);
        if (JsonFields.TryGet(state.State.RootElement, "blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array) _thinking.AddRange(blocks.EnumerateArray());
    }

    private void ToolOutput(JsonElement item, int index)
    {
        w.WriteStartObject();
        w.WriteString("role"u8, "tool"u8);
        w.WriteString("tool_call_id"u8, JsonFields.String(item, "call_id"));
        JsonFields.TryGet(item, "output", out var output);
        if (output.ValueKind == JsonValueKind.Array)
        {
            var text = new StringBuilder();
            foreach (var part in output.EnumerateArray())
            {
                if (JsonFields.String(part, "type") is "input_text" or "output_text" or "text") text.Append(text.Length > 0 ? "\n" : "").Append(JsonFields.String(part, "text"));
                else
                {
                    _toolMediaFrom ??= index;
                    _toolMedia.Add(part);
                }
            }
            w.WriteString("content"u8, text.ToString());
        }
        else
        {
            w.WriteString("content"u8, output.ValueKind == JsonValueKind.String ? output.GetString() : output.ValueKind == JsonValueKind.Undefined ? "" : output.GetRawText());
        }
        w.WriteEndObject();
        _count++;
        map.Add(index);
    }

    private void FlushAssistant()
    {
        if (_text.Length == 0 && _calls.Count == 0 && _reasoning.Length == 0) return;
        w.WriteStartObject();
        w.WriteString("role"u8, "assistant"u8);
        if (_text.Length > 0) w.WriteString("content"u8, _text.ToString());
        else w.WriteNull("content"u8);
        if (_reasoning.Length > 0) w.WriteString("reasoning_content"u8, _reasoning.ToString());
        if (_thinking.Count > 0)
        {
            w.WriteStartArray("thinking_blocks"u8);
            foreach (var block in _thinking) block.WriteTo(w);
            w.WriteEndArray();
        }
        if (_calls.Count > 0)
        {
            w.WriteStartArray("tool_calls"u8);
            foreach (var call in _calls) WriteCall(call);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        _count++;
        map.Add(_assistantFrom ?? 0);
        _assistantFrom = null;
        _text.Clear();
        _reasoning.Clear();
        _calls.Clear();
        _thinking.Clear();
    }

    private void WriteCall(JsonElement call)
    {
        var name = JsonFields.String(call, "name") ?? "";
        w.WriteStartObject();
        w.WriteString("id"u8, JsonFields.String(call, "call_id"));
        w.WriteString("type"u8, "function"u8);
        w.WriteStartObject("function"u8);
        if (JsonFields.String(call, "type") == "custom_tool_call")
        {
            w.WriteString("name"u8, name);
            w.WriteString("arguments"u8, CustomArguments(JsonFields.String(call, "input") ?? ""));
        }
        else
        {
            w.WriteString("name"u8, tools.Flatten(JsonFields.String(call, "namespace"), name));
            w.WriteString("arguments"u8, JsonFields.String(call, "arguments") ?? "{}");
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A custom tool's input as the arguments of the one-string-argument function it was declared as.</summary>
    public static string CustomArguments(string input)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(input.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, Wire.WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString(ResponsesToolMap.CustomInputArgument, input);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void FlushToolMedia()
    {
        if (_toolMedia.Count == 0) return;
        w.WriteStartObject();
        w.WriteString("role"u8, "user"u8);
        w.WriteStartArray("content"u8);
        foreach (var part in _toolMedia) WritePart(part, _toolMediaFrom ?? 0);
        w.WriteEndArray();
        w.WriteEndObject();
        _count++;
        map.Add(_toolMediaFrom ?? 0);
        _toolMediaFrom = null;
        _toolMedia.Clear();
    }

    private void Write(string role, string? text, int index)
    {
        w.WriteStartObject();
        w.WriteString("role"u8, role);
        w.WriteString("content"u8, text);
        w.WriteEndObject();
        _count++;
        map.Add(index);
    }

    private void WritePart(JsonElement part, int index)
    {
        switch (JsonFields.String(part, "type"))
        {
            case "input_text" or "output_text" or "text":
                w.WriteStartObject();
                w.WriteString("type"u8, "text"u8);
                w.WriteString("text"u8, JsonFields.String(part, "text"));
                w.WriteEndObject();
                break;
            case "input_image" when ImageUrl(part) is { } url:
                w.WriteStartObject();
                w.WriteString("type"u8, "image_url"u8);
                w.WriteStartObject("image_url"u8);
                w.WriteString("url"u8, url);
                if (JsonFields.String(part, "detail") is { } detail) w.WriteString("detail"u8, detail);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case "input_file" when JsonFields.String(part, "file_data") is { } data:
                w.WriteStartObject();
                w.WriteString("type"u8, "file"u8);
                w.WriteStartObject("file"u8);
                w.WriteString("filename"u8, JsonFields.String(part, "filename") ?? "file.pdf");
                w.WriteString("file_data"u8, data);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case "input_audio" when JsonFields.TryGet(part, "input_audio", out var audio):
                w.WriteStartObject();
                w.WriteString("type"u8, "input_audio"u8);
                w.WritePropertyName("input_audio"u8);
                audio.WriteTo(w);
                w.WriteEndObject();
                break;
            case var other:
                // Uploaded files (file_id) and file URLs have no chat form a translated upstream can fetch.
                throw ResponsesTranslationException.Invalid($"{map.Path(index)}.content",
                    $"The content part \"{other}\" cannot be sent to this model, which is served through a chat connection; send text, images (URL or data URL) and files as file_data.");
        }
    }

    private static string? ImageUrl(JsonElement part) =>
        JsonFields.TryGet(part, "image_url", out var url) && url.ValueKind == JsonValueKind.Object ? JsonFields.String(url, "url") : JsonFields.String(part, "image_url");

    private string Text(JsonElement content, int index)
    {
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        var text = new StringBuilder();
        foreach (var part in Parts(content, index))
        {
            if (JsonFields.String(part, "text") is { } t) text.Append(text.Length > 0 ? "\n" : "").Append(t);
        }
        return text.ToString();
    }

    private JsonElement.ArrayEnumerator Parts(JsonElement content, int index)
    {
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw ResponsesTranslationException.Invalid($"{map.Path(index)}.content", $"{map.Path(index)}.content must be a string or a list of content parts.");
        }
        return content.EnumerateArray();
    }
}
