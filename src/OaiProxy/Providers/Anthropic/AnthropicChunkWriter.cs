using System.Buffers;
using System.Text.Json;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// Writes OpenAI <c>chat.completion.chunk</c> payloads with the envelope every chunk of a stream shares: the same
/// id, created and model, and <c>"usage": null</c> on each choice chunk when the client asked for usage.
/// </summary>
internal sealed class AnthropicChunkWriter(long created, bool includeUsage)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public string Id { get; set; } = "msg_unknown";

    public string Model { get; set; } = "";

    /// <summary>Starts a chunk and leaves the writer inside <c>delta</c>; finish with <see cref="End"/>.</summary>
    public Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        var writer = new Utf8JsonWriter(_buffer, OaiProxy.Wire.WireJson.WriterOptions);
        WriteEnvelope(writer);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        return writer;
    }

    public byte[] End(Utf8JsonWriter writer, string? finishReason = null)
    {
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        if (finishReason is null) writer.WriteNull("finish_reason"u8); else writer.WriteString("finish_reason"u8, finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (includeUsage) writer.WriteNull("usage"u8);
        writer.WriteEndObject();
        writer.Dispose();
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>The usage-only chunk OpenAI sends after the finish reason: empty choices, full usage.</summary>
    public byte[] Usage(AnthropicUsage usage)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer, OaiProxy.Wire.WireJson.WriterOptions))
        {
            WriteEnvelope(writer);
            writer.WriteStartArray("choices"u8);
            writer.WriteEndArray();
            writer.WritePropertyName("usage"u8);
            usage.Write(writer);
            writer.WriteEndObject();
        }
        return _buffer.WrittenSpan.ToArray();
    }

    private void WriteEnvelope(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("object"u8, "chat.completion.chunk"u8);
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, Model);
    }
}
