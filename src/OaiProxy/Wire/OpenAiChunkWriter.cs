using System.Buffers;
using System.Text.Json;
using OaiProxy.Usage;

namespace OaiProxy.Wire;

/// <summary>
/// Writes the OpenAI <c>chat.completion.chunk</c> payloads of one streamed response, each with the envelope every
/// chunk of a stream shares: the same <c>id</c>, <c>created</c> and <c>model</c>, one choice with its <c>delta</c>,
/// <c>logprobs</c> and <c>finish_reason</c>, and <c>"usage": null</c> when the client asked for usage (as OpenAI
/// sends it). One writer per response; not thread-safe. Each method returns a copy of the chunk's JSON (without the
/// SSE framing), so the result may be queued while the next chunk is written.
/// </summary>
/// <param name="created">The <c>created</c> time of every chunk, in Unix seconds.</param>
/// <param name="includeUsage">Whether the client asked for usage (<c>stream_options.include_usage</c>).</param>
public sealed class OpenAiChunkWriter(long created, bool includeUsage)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>The <c>id</c> of every chunk. Default: empty.</summary>
    public string Id { get; set; } = "";

    /// <summary>The <c>model</c> of every chunk. Default: empty.</summary>
    public string Model { get; set; } = "";

    /// <summary>Whether the client asked for usage: choice chunks carry <c>"usage": null</c> and a usage chunk is due last.</summary>
    public bool IncludeUsage => includeUsage;

    /// <summary>
    /// Starts a chunk for <paramref name="choice"/> and returns the writer positioned inside <c>delta</c>, for deltas
    /// the other methods do not write. Write the delta's properties, then pass the writer to <see cref="End"/>.
    /// </summary>
    public Utf8JsonWriter Begin(int choice = 0)
    {
        var writer = Start();
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, choice);
        writer.WriteStartObject("delta"u8);
        return writer;
    }

    /// <summary>Ends the chunk <see cref="Begin"/> started, with its finish reason (null while the choice goes on).</summary>
    public byte[] End(Utf8JsonWriter writer, string? finishReason = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        if (finishReason is null) writer.WriteNull("finish_reason"u8); else writer.WriteString("finish_reason"u8, finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (includeUsage) writer.WriteNull("usage"u8);
        return Complete(writer);
    }

    /// <summary>The first chunk of a choice: <c>{"role":"assistant","content":""}</c>, as OpenAI sends it.</summary>
    public byte[] Role(int choice = 0)
    {
        var writer = Begin(choice);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteString("content"u8, ""u8);
        return End(writer);
    }

    /// <summary>A <c>content</c> delta.</summary>
    public byte[] Content(string text, int choice = 0) => Text("content"u8, text, choice);

    /// <summary>A <c>reasoning_content</c> delta (the thinking of reasoning models, as DeepSeek and LiteLLM name it).</summary>
    public byte[] Reasoning(string text, int choice = 0) => Text("reasoning_content"u8, text, choice);

    /// <summary>
    /// The first delta of a tool call: its index among the choice's calls, id, type and name, with the first
    /// <paramref name="arguments"/> (empty when they follow in <see cref="ToolCallArguments"/>). A null id or name is
    /// written as JSON null, so a translator relays what the upstream sent.
    /// </summary>
    public byte[] ToolCallStart(int toolIndex, string? id, string? name, string arguments = "", int choice = 0)
    {
        var writer = Begin(choice);
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, toolIndex);
        writer.WriteString("id"u8, id);
        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, name);
        writer.WriteString("arguments"u8, arguments);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        return End(writer);
    }

    /// <summary>A further fragment of a tool call's arguments; the client concatenates them in order.</summary>
    public byte[] ToolCallArguments(int toolIndex, string fragment, int choice = 0)
    {
        var writer = Begin(choice);
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, toolIndex);
        writer.WriteStartObject("function"u8);
        writer.WriteString("arguments"u8, fragment);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        return End(writer);
    }

    /// <summary>The last chunk of a choice: an empty delta and its finish reason.</summary>
    public byte[] Finish(string reason, int choice = 0) => End(Begin(choice), reason);

    /// <summary>
    /// The usage chunk OpenAI sends after every finish reason when the client asked for usage: no choices, the whole
    /// usage object.
    /// </summary>
    public byte[] Usage(UsageInfo usage)
    {
        var writer = Start();
        writer.WriteStartArray("choices"u8);
        writer.WriteEndArray();
        writer.WritePropertyName("usage"u8);
        OpenAiUsageJson.Write(writer, usage);
        return Complete(writer);
    }

    private byte[] Text(ReadOnlySpan<byte> field, string text, int choice)
    {
        var writer = Begin(choice);
        writer.WriteString(field, text);
        return End(writer);
    }

    private Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        var writer = new Utf8JsonWriter(_buffer, WireJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("object"u8, "chat.completion.chunk"u8);
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, Model);
        return writer;
    }

    private byte[] Complete(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.Dispose();
        return _buffer.WrittenSpan.ToArray();
    }
}
