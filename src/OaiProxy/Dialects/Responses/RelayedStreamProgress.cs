using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Errors;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// What a relayed Responses stream has shown so far (the response as <c>response.created</c> described it, and each
/// finished output item), so that a stream the upstream cut still ends the way strict clients need: one
/// <c>response.failed</c> whose <c>output</c> holds exactly the items already completed, never a silent end.
/// </summary>
internal sealed class RelayedStreamProgress
{
    private byte[]? _response;
    private readonly List<byte[]> _doneItems = [];

    public long LastSequence { get; private set; } = -1;

    public void Observe(ReadOnlySpan<byte> frame)
    {
        LastSequence = Math.Max(LastSequence, SequenceOf(frame));
        if (frame.StartsWith("event: response.output_item.done\n"u8)) _doneItems.Add(frame.ToArray());
        else if (frame.StartsWith("event: response.created\n"u8) || frame.StartsWith("event: response.in_progress\n"u8)) _response = frame.ToArray();
    }

    /// <summary>The closing frame for a cut stream: <c>response.failed</c> once the response was announced, an <c>error</c> event before.</summary>
    public byte[] Closing(ProxyError error, string? previousId)
    {
        var sequence = LastSequence + 1;
        if (_response is null || Data(_response) is not JsonObject announced || announced["response"] is not JsonObject response) return ErrorEvent(error, sequence);
        announced.Remove("response");
        response["status"] = "failed";
        response["error"] = new JsonObject { ["code"] = ResponseErrors.Code(error), ["message"] = ResponseErrors.Message(error) };
        var output = new JsonArray();
        foreach (var frame in _doneItems)
        {
            if (Data(frame)?["item"] is { } item) output.Add(item.DeepClone());
        }
        response["output"] = output;
        if (previousId is not null) response["previous_response_id"] = previousId;
        var failed = new JsonObject { ["type"] = "response.failed", ["sequence_number"] = sequence, ["response"] = response };
        return Frame("response.failed", failed.ToJsonString());
    }

    private static byte[] ErrorEvent(ProxyError error, long sequence)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "error"u8);
            w.WriteNumber("sequence_number"u8, sequence);
            w.WriteString("code"u8, ResponseErrors.Code(error));
            w.WriteString("message"u8, ResponseErrors.Message(error));
            w.WriteNull("param"u8);
            w.WriteEndObject();
        }
        return Frame("error", System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static byte[] Frame(string name, string data) => System.Text.Encoding.UTF8.GetBytes($"event: {name}\ndata: {data}\n\n");

    private static JsonNode? Data(ReadOnlySpan<byte> frame)
    {
        var start = frame.IndexOf("data: "u8);
        if (start < 0) return null;
        var data = frame[(start + 6)..];
        var end = data.IndexOf((byte)'\n');
        try
        {
            return JsonNode.Parse(end < 0 ? data : data[..end]);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long SequenceOf(ReadOnlySpan<byte> frame)
    {
        var at = frame.IndexOf("\"sequence_number\":"u8);
        if (at < 0) return -1;
        var digits = frame[(at + 18)..].TrimStart((byte)' ');
        long value = 0;
        var i = 0;
        for (; i < digits.Length && digits[i] is >= (byte)'0' and <= (byte)'9'; i++) value = value * 10 + (digits[i] - '0');
        return i == 0 ? -1 : value;
    }
}
