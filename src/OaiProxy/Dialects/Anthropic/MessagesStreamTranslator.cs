using System.Buffers;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// OpenAI chat chunks to Anthropic's event stream (protocols.md 2.7, 4.14): message_start first; a thinking block
/// for reasoning, a text block for content (opened only on non-empty text, so no empty text blocks), one tool_use
/// block per tool-call index (parallel calls become separate blocks) whose argument fragments stream as
/// input_json_delta; each block is stopped before the next opens; at the end message_delta carries the mapped
/// stop_reason and the usage, then message_stop. Events are written to the given buffer, framed.
/// </summary>
internal sealed class MessagesStreamTranslator(string messageId, string model, IReadOnlyList<string> stopSequences)
{
    private enum Block { None, Text, Thinking, Tool }

    private readonly Dictionary<int, int> _toolBlocks = [];
    private bool _started;
    private Block _open;
    private int _openIndex = -1;
    private int _nextIndex;
    private string? _finishReason;
    private string? _matched;
    private MessagesUsage _usage;

    /// <summary>Translates one chunk; writes zero or more events.</summary>
    public void Add(ReadOnlySpan<byte> chunk, IBufferWriter<byte> output)
    {
        Start(output);
        var reader = new Utf8JsonReader(chunk);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (JsonFields.TryGet(root, "usage", out _)) _usage = MessagesUsage.Read(root);
        if (!JsonFields.TryGet(root, "choices", out var choices) || choices.ValueKind != JsonValueKind.Array) return;
        foreach (var choice in choices.EnumerateArray())
        {
            // Anthropic has one message per stream; other choices (n > 1) have no place in it.
            if (choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var index) && index != 0) continue;
            if (JsonFields.TryGet(choice, "delta", out var delta)) AddDelta(delta, output);
            if (JsonFields.String(choice, "finish_reason") is { } finish)
            {
                _finishReason = finish;
                _matched = MessagesStopReason.Matched(choice);
                Close(output);
            }
        }
    }

    private void AddDelta(JsonElement delta, IBufferWriter<byte> output)
    {
        if (MessagesResponseTranslator.Reasoning(delta) is { Length: > 0 } reasoning)
        {
            Open(Block.Thinking, output);
            Delta(output, _openIndex, "thinking_delta", "thinking", reasoning);
        }
        if (JsonFields.String(delta, "content") is { Length: > 0 } text)
        {
            Open(Block.Text, output);
            Delta(output, _openIndex, "text_delta", "text", text);
        }
        if (!JsonFields.TryGet(delta, "tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array) return;
        foreach (var call in calls.EnumerateArray())
        {
            var toolIndex = call.TryGetProperty("index", out var ti) && ti.TryGetInt32(out var t) ? t : 0;
            JsonFields.TryGet(call, "function", out var function);
            if (!_toolBlocks.TryGetValue(toolIndex, out var blockIndex))
            {
                Close(output);
                blockIndex = _toolBlocks[toolIndex] = _openIndex = _nextIndex++;
                _open = Block.Tool;
                Write(output, "content_block_start", w =>
                {
                    w.WriteNumber("index"u8, blockIndex);
                    w.WriteStartObject("content_block"u8);
                    w.WriteString("type"u8, "tool_use");
                    w.WriteString("id"u8, MessagesResponseTranslator.ToolId(JsonFields.String(call, "id"), toolIndex));
                    w.WriteString("name"u8, JsonFields.String(function, "name") ?? "");
                    w.WriteStartObject("input"u8);
                    w.WriteEndObject();
                    w.WriteEndObject();
                });
            }
            if (JsonFields.String(function, "arguments") is { Length: > 0 } arguments)
            {
                Delta(output, blockIndex, "input_json_delta", "partial_json", arguments);
            }
        }
    }

    /// <summary>The clean end: closes the open block, then message_delta and message_stop.</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        Start(output);
        Close(output);
        var (stopReason, stopSequence) = MessagesStopReason.Map(_finishReason, _toolBlocks.Count > 0, _matched, stopSequences);
        var usage = _usage;
        Write(output, "message_delta", w =>
        {
            w.WriteStartObject("delta"u8);
            w.WriteString("stop_reason"u8, stopReason);
            if (stopSequence is null) w.WriteNull("stop_sequence"u8);
            else w.WriteString("stop_sequence"u8, stopSequence);
            w.WriteEndObject();
            usage.Write(w, includeInput: true);
        });
        Write(output, "message_stop", _ => { });
    }

    /// <summary>A failure after the stream started: Anthropic's <c>error</c> event (its SDKs raise it).</summary>
    public static void Fail(IBufferWriter<byte> output, ProxyError error)
    {
        output.Write("event: error\ndata: "u8);
        output.Write(AnthropicErrorJson.ToUtf8(error));
        output.Write("\n\n"u8);
    }

    private void Start(IBufferWriter<byte> output)
    {
        if (_started) return;
        _started = true;
        Write(output, "message_start", w =>
        {
            w.WriteStartObject("message"u8);
            w.WriteString("id"u8, messageId);
            w.WriteString("type"u8, "message");
            w.WriteString("role"u8, "assistant");
            w.WriteString("model"u8, model);
            w.WriteStartArray("content"u8);
            w.WriteEndArray();
            w.WriteNull("stop_reason"u8);
            w.WriteNull("stop_sequence"u8);
            // Input usage is known only at the end (OpenAI reports it last); message_delta carries it.
            default(MessagesUsage).Write(w, includeInput: true);
            w.WriteEndObject();
        });
    }

    private void Open(Block kind, IBufferWriter<byte> output)
    {
        if (_open == kind) return;
        Close(output);
        _open = kind;
        _openIndex = _nextIndex++;
        var index = _openIndex;
        Write(output, "content_block_start", w =>
        {
            w.WriteNumber("index"u8, index);
            w.WriteStartObject("content_block"u8);
            if (kind == Block.Text)
            {
                w.WriteString("type"u8, "text");
                w.WriteString("text"u8, "");
            }
            else
            {
                w.WriteString("type"u8, "thinking");
                w.WriteString("thinking"u8, "");
                w.WriteString("signature"u8, "");
            }
            w.WriteEndObject();
        });
    }

    private void Close(IBufferWriter<byte> output)
    {
        if (_open == Block.None) return;
        var index = _openIndex;
        _open = Block.None;
        Write(output, "content_block_stop", w => w.WriteNumber("index"u8, index));
    }

    private static void Delta(IBufferWriter<byte> output, int index, string type, string field, string value) =>
        Write(output, "content_block_delta", w =>
        {
            w.WriteNumber("index"u8, index);
            w.WriteStartObject("delta"u8);
            w.WriteString("type"u8, type);
            w.WriteString(field, value);
            w.WriteEndObject();
        });

    private static void Write(IBufferWriter<byte> output, string type, Action<Utf8JsonWriter> body)
    {
        output.Write("event: "u8);
        output.Write(System.Text.Encoding.UTF8.GetBytes(type));
        output.Write("\ndata: "u8);
        using (var writer = new Utf8JsonWriter(output, WireJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
            body(writer);
            writer.WriteEndObject();
        }
        output.Write("\n\n"u8);
    }
}
