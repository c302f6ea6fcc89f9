using System.Buffers;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Streaming;
using OaiProxy.Usage;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// An Anthropic event stream relayed to an Anthropic client: each chunk is one whole event, re-framed as
/// <c>event: NAME\ndata: JSON\n\n</c> with the JSON bytes untouched. Usage is read along the way for the log
/// (input from message_start, cumulative output from message_delta); an <c>error</c> event, a cut connection or an
/// end before <c>message_stop</c> ends the stream with an error.
/// </summary>
internal sealed class AnthropicPassThroughStream(HttpResponseMessage response, Stream body, string connection, SecretScrubber secrets)
    : SseEventStream(response, body, connection)
{
    private readonly ArrayBufferWriter<byte> _event = new(1024);
    private readonly AnthropicUsage _usage = new();
    private bool _stopped;
    private bool _sawUsage;

    public override UsageInfo? Usage => _sawUsage ? _usage.ToUsageInfo() : null;

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (Error is not null || _stopped) return false;
        if (!await NextEventAsync(cancellationToken))
        {
            return Error is null ? Fail("The upstream stream ended before message_stop; the response is incomplete.") : false;
        }
        var name = Reader.EventName.Span;
        var data = Reader.Data.Span;
        if (name.SequenceEqual("error"u8))
        {
            try
            {
                using var document = JsonDocument.Parse(Reader.Data);
                Fail(AnthropicErrors.FromStreamEvent(document.RootElement, Connection, secrets));
                return false;
            }
            catch (JsonException)
            {
                return Fail("The upstream sent an error event that is not JSON.");
            }
        }
        if (name.SequenceEqual("message_start"u8) || name.SequenceEqual("message_delta"u8)) ReadUsage(name, data);
        if (name.SequenceEqual("message_stop"u8)) _stopped = true;
        _event.ResetWrittenCount();
        if (!name.IsEmpty)
        {
            _event.Write("event: "u8);
            _event.Write(name);
            _event.Write("\n"u8);
        }
        _event.Write(SseFraming.DataPrefix);
        _event.Write(data);
        _event.Write(SseFraming.EventEnd);
        Current = _event.WrittenMemory;
        return true;
    }

    private void ReadUsage(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var holder = name.SequenceEqual("message_start"u8) && JsonFields.TryGet(root, "message", out var message) ? message : root;
            if (JsonFields.TryGet(holder, "usage", out var usage))
            {
                _usage.Read(usage);
                _sawUsage = true;
            }
        }
        catch (JsonException)
        {
            // Relayed as sent; the client's SDK reports a malformed event better than the proxy could.
        }
    }
}
