using System.Buffers;
using System.Text.Json;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// Writes Responses API events: <c>event: TYPE</c> and one single-line <c>data:</c> JSON with the same <c>type</c> and
/// a <c>sequence_number</c> that grows by one per event, LF line endings, as strict clients parse them.
/// </summary>
internal sealed class ResponsesEvents(IBufferWriter<byte> output)
{
    private readonly ArrayBufferWriter<byte> _data = new(512);
    private long _sequence;

    /// <summary>Starts an event; write its fields, then <see cref="End"/>.</summary>
    public Utf8JsonWriter Begin(string type)
    {
        _data.ResetWrittenCount();
        var writer = new Utf8JsonWriter(_data, WireJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WriteNumber("sequence_number"u8, _sequence++);
        return writer;
    }

    public void End(Utf8JsonWriter writer, string type)
    {
        writer.WriteEndObject();
        writer.Dispose();
        output.Write("event: "u8);
        output.Write(System.Text.Encoding.UTF8.GetBytes(type));
        output.Write("\ndata: "u8);
        output.Write(_data.WrittenSpan);
        output.Write("\n\n"u8);
    }
}
