using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Streaming;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// Relays an OpenAI-compatible upstream stream: each <c>data:</c> payload is a chunk as-is; <c>[DONE]</c> is the
/// clean end; an error payload, a cut connection or an oversized event ends it with an error.
/// </summary>
internal sealed class OpenAiEventStream : UpstreamEventStream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly SseReader _reader;
    private readonly string _connection;

    public OpenAiEventStream(HttpResponseMessage response, Stream body, string connection)
    {
        _response = response;
        _body = body;
        _connection = connection;
        _reader = new SseReader(body);
    }

    public override bool HasBufferedChunk => _reader.HasBufferedEvent;

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (Error is not null) return false;
        bool more;
        try
        {
            more = await _reader.ReadAsync(cancellationToken);
        }
        catch (SseEventTooLargeException e)
        {
            return Fail(e.Message);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail($"The connection to the upstream broke mid-stream ({e.Message}).");
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail($"The connection to the upstream broke mid-stream ({e.Message}).");
        }
        if (!more)
        {
            return Fail("The upstream stream ended before its end marker; the response is incomplete.");
        }
        var data = _reader.Data;
        if (data.Span.SequenceEqual(SseFraming.Done)) return false;
        if (data.Span.StartsWith("{\"error\""u8) || (data.Length > 0 && data.Span[0] != (byte)'{'))
        {
            return Fail(DescribeBadEvent(data.Span));
        }
        Current = data;
        return true;
    }

    private bool Fail(string message)
    {
        Error = new ProxyError(502, ErrorTypes.Upstream, ErrorCodes.StreamInterrupted,
            $"Connection \"{_connection}\": {message}");
        return false;
    }

    private static string DescribeBadEvent(ReadOnlySpan<byte> data)
    {
        try
        {
            using var doc = JsonDocument.Parse(data.ToArray());
            if (doc.RootElement.TryGetProperty("error", out var error))
            {
                var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString();
                return $"The upstream reported an error mid-stream: {message}";
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: described below.
        }
        return "The upstream sent a stream event that is not a JSON chunk.";
    }

    public override async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _body.DisposeAsync();
        _response.Dispose();
    }
}
