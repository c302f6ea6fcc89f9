using OaiProxy.Errors;

namespace OaiProxy.Streaming;

/// <summary>
/// An upstream answer read as server-sent events, the same way for every provider: it owns the HTTP answer, its
/// body and one <see cref="SseReader"/>, and turns a cut connection or an oversized event into the stream's error
/// (a 502 <c>stream_interrupted</c> naming the connection). Subclasses decide what each event means.
/// </summary>
internal abstract class SseEventStream : UpstreamEventStream
{
    private readonly HttpResponseMessage? _response;
    private readonly Stream _body;

    protected SseEventStream(HttpResponseMessage? response, Stream body, string connection)
    {
        _response = response;
        _body = body;
        Connection = connection;
        Reader = new SseReader(body);
    }

    protected SseReader Reader { get; }

    /// <summary>The connection name, for error messages.</summary>
    protected string Connection { get; }

    public override bool HasBufferedChunk => Reader.HasBufferedEvent;

    /// <summary>Reads the next upstream event; false at the end of the body, or after a transport fault (then <see cref="UpstreamEventStream.Error"/> is set).</summary>
    protected async ValueTask<bool> NextEventAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Reader.ReadAsync(cancellationToken);
        }
        catch (SseEventTooLargeException e)
        {
            return Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return Fail($"The connection to the upstream broke mid-stream ({e.Message}).");
        }
    }

    /// <summary>
    /// Ends the stream with a 502 that names the connection; false, so callers can return it. Retryable: before the
    /// first event another attempt may succeed, and after it nothing is retried anyway.
    /// </summary>
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
