using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Streaming;

/// <summary>
/// The read loop shared by every provider that turns an upstream SSE stream of another protocol into OpenAI
/// chunks: translated chunks queue up in <see cref="Pending"/> and are handed out first; transport faults, oversized
/// events and malformed JSON end the stream with an error; the subclass decides what each event means and whether
/// the end of the body is a clean end.
/// </summary>
public abstract class TranslatingEventStream : UpstreamEventStream
{
    private readonly HttpResponseMessage? _response;
    private readonly Stream _body;

    protected TranslatingEventStream(HttpResponseMessage? response, Stream body, string connection)
    {
        _response = response;
        _body = body;
        Connection = connection;
        Reader = new SseReader(body);
    }

    protected SseReader Reader { get; }

    /// <summary>The connection name, for error messages.</summary>
    protected string Connection { get; }

    /// <summary>Translated chunks not yet handed out.</summary>
    protected Queue<byte[]> Pending { get; } = new();

    /// <summary>Set by the subclass once the upstream signalled a clean end.</summary>
    protected bool Finished { get; set; }

    public override bool HasBufferedChunk => Pending.Count > 0 || (!Finished && Reader.HasBufferedEvent);

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Pending.TryDequeue(out var chunk))
            {
                Current = chunk;
                return true;
            }
            if (Finished || Error is not null) return false;
            bool more;
            try
            {
                more = await Reader.ReadAsync(cancellationToken);
            }
            catch (SseEventTooLargeException e)
            {
                return Fail(e.Message);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                return Fail($"The connection to the upstream broke mid-stream ({e.Message}).");
            }
            try
            {
                if (more) OnEvent(Reader.EventName.Span, Reader.Data.Span);
                else OnEnd();
            }
            catch (JsonException)
            {
                return Fail("The upstream sent a stream event that is not valid JSON.");
            }
            if (!more && !Finished && Error is null)
            {
                return Fail("The upstream stream ended before its end marker; the response is incomplete.");
            }
        }
    }

    /// <summary>Translates one upstream event, queueing chunks in <see cref="Pending"/>, setting <see cref="Finished"/> or failing.</summary>
    protected abstract void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data);

    /// <summary>The upstream body ended: queue the last chunks and set <see cref="Finished"/>, or fail.</summary>
    protected abstract void OnEnd();

    /// <summary>Ends the stream with a 502 that names the connection; false, so callers can return it.</summary>
    protected bool Fail(string message)
    {
        Error = new ProxyError(502, ErrorTypes.Upstream, ErrorCodes.StreamInterrupted, $"Connection \"{Connection}\": {message}")
        {
            IsRetryable = true,
        };
        return false;
    }

    /// <summary>Ends the stream with an error the upstream itself reported.</summary>
    protected void Fail(ProxyError error) => Error = error;

    public override async ValueTask DisposeAsync()
    {
        Reader.Dispose();
        await _body.DisposeAsync();
        _response?.Dispose();
        GC.SuppressFinalize(this);
    }
}
