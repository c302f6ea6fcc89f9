using System.Buffers;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Streaming;
using OaiProxy.Usage;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// A Responses API event stream relayed to a Responses client: each chunk is one whole event, re-framed as
/// <c>event: NAME\ndata: JSON\n\n</c> with the JSON untouched. The terminal event (<c>response.completed</c>,
/// <c>.incomplete</c>, <c>.failed</c>) ends it cleanly and carries the usage for the log; an <c>error</c> event,
/// a cut connection or an end before a terminal event ends it with an error. A <c>response.failed</c> carries the
/// upstream's own error text, so it is relayed scrubbed of the config's secrets.
/// </summary>
internal sealed class ResponsesPassThroughStream(HttpResponseMessage response, Stream body, string connection, SecretScrubber secrets)
    : SseEventStream(response, body, connection)
{
    private readonly ArrayBufferWriter<byte> _event = new(1024);
    private UsageInfo? _usage;
    private bool _terminal;

    public override UsageInfo? Usage => _usage;

    /// <summary>The name of the current event (<c>response.output_text.delta</c>, ...).</summary>
    public string CurrentName { get; private set; } = "";

    public static bool IsTerminal(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("response.completed"u8) || name.SequenceEqual("response.incomplete"u8) || name.SequenceEqual("response.failed"u8);

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (Error is not null || _terminal) return false;
        if (!await NextEventAsync(cancellationToken))
        {
            return Error is null ? Fail("The upstream stream ended before its terminal event; the response is incomplete.") : false;
        }
        var data = Reader.Data.Span;
        var name = Reader.EventName.Span;
        if (name.IsEmpty) name = TypeOf(data);
        if (name.SequenceEqual("error"u8))
        {
            Fail(FromErrorEvent(data));
            return false;
        }
        if (IsTerminal(name))
        {
            _terminal = true;
            ReadUsage(data);
            if (name.SequenceEqual("response.failed"u8) && secrets.ScrubJson(data) is { } scrubbed) data = scrubbed;
        }
        _event.ResetWrittenCount();
        _event.Write("event: "u8);
        _event.Write(name);
        _event.Write("\n"u8);
        _event.Write(SseFraming.DataPrefix);
        _event.Write(data);
        _event.Write(SseFraming.EventEnd);
        Current = _event.WrittenMemory;
        return true;
    }

    private static ReadOnlySpan<byte> TypeOf(ReadOnlySpan<byte> data)
    {
        // Some servers send only data lines; the type is then the event's "type" field.
        var reader = new Utf8JsonReader(data);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String) return reader.ValueSpan;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Relayed as sent.
        }
        return default;
    }

    private void ReadUsage(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.TryGetProperty("response", out var responseObject)) _usage = ResponsesUsage.FromResponse(responseObject);
        }
        catch (JsonException)
        {
            // Relayed as sent; the client's SDK reports a malformed event better than the proxy could.
        }
    }

    private ProxyError FromErrorEvent(ReadOnlySpan<byte> data)
    {
        string? message = null, code = null;
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var error = root.TryGetProperty("error", out var nested) ? nested : root;
            message = Requests.JsonFields.String(error, "message");
            code = Requests.JsonFields.StringOrNumber(error, "code");
        }
        catch (JsonException)
        {
            // The text is not JSON: the generic message below says so.
        }
        return secrets.Scrub(new ProxyError(502, ErrorTypes.Upstream, code ?? ErrorCodes.StreamInterrupted,
            $"Connection \"{Connection}\": the upstream reported an error mid-stream: {message ?? "no message"}"));
    }
}
