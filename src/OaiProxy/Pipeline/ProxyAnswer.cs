using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OaiProxy.Streaming;
using OaiProxy.Usage;

namespace OaiProxy.Pipeline;

/// <summary>
/// The answer to one chat request, ready to be written: an error, a JSON completion, or a stream whose first chunk
/// has already arrived (so failover was possible until then). Reading the stream through
/// <see cref="ReadAsync"/> applies the idle and total timeouts and collects usage for the log. Completing it
/// finishes the log entry and releases the config snapshot.
/// </summary>
public sealed class ProxyAnswer : IAsyncDisposable
{
    private readonly StateLease _lease;
    private readonly RequestTracker _tracker;
    private readonly TimeProvider _time;
    private readonly long _started;
    private CancellationTokenSource? _streamTimeout;
    private StreamAccumulator? _accumulator;
    private bool _firstChunkPending;
    private Resilience.ConnectionHealth? _busy;
    private bool _completed;
    private readonly System.Diagnostics.Activity? _span = Observability.ProxySpans.StartRequest();

    internal ProxyAnswer(StateLease lease, RequestTracker tracker, RequestLogEntry log, TimeProvider time, long started)
    {
        _lease = lease;
        _tracker = tracker;
        Log = log;
        _time = time;
        _started = started;
    }

    public ProxyError? Error { get; private set; }

    /// <summary>The completion (non-streaming) in OpenAI's shape.</summary>
    public ReadOnlyMemory<byte> Json { get; private set; }

    public bool IsStream => Stream is not null;

    /// <summary>The current chunk after <see cref="ReadAsync"/> returned true.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>Set when the stream ended in failure after it started; sent to the client as an error event.</summary>
    public ProxyError? StreamError { get; private set; }

    public string? UpstreamRequestId { get; private set; }

    public RequestLogEntry Log { get; }

    internal UpstreamEventStream? Stream { get; private set; }

    internal ConnectionConfig? Connection { get; private set; }

    /// <summary>The request's admitted limits; settled when the outcome completes.</summary>
    internal Limits.LimitTicket? Limits { get; set; }

    /// <summary>The <c>x-ratelimit-*</c> headers of the request's limits; null when none applies.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? RateLimitHeaders => Limits?.Headers;

    private long _chunks;

    /// <summary>Time spent in upstream attempts until the answer (for streams: until the first chunk).</summary>
    internal TimeSpan UpstreamTime { get; set; }

    /// <summary>The span of the attempt that started the stream; it ends with the stream.</summary>
    internal System.Diagnostics.Activity? StreamSpan { get; set; }

    internal TimeSpan GetUpstreamTime() => UpstreamTime;

    public bool HasBufferedChunk => _firstChunkPending || Stream?.HasBufferedChunk == true;

    internal ProxyAnswer Fail(ProxyError error)
    {
        Error = error;
        Log.Error = error;
        Log.Status = error.Status;
        return this;
    }

    internal ProxyAnswer Complete(ReadOnlyMemory<byte> json, ConnectionConfig connection, string? requestId, UsageInfo? usage = null)
    {
        Json = json;
        Connection = connection;
        UpstreamRequestId = requestId;
        Log.Status = 200;
        Log.Usage = usage ?? UsageReader.TryRead(json.Span);
        Log.TimeToFirstToken = _time.GetElapsedTime(_started);
        return this;
    }

    internal ProxyAnswer Streaming(UpstreamEventStream stream, bool hasFirstChunk, ConnectionConfig connection, string? requestId,
        Resilience.ConnectionHealth busy)
    {
        _busy = busy;
        _tracker.EnterStream();
        Stream = stream;
        Connection = connection;
        UpstreamRequestId = requestId;
        Log.Status = 200;
        Log.Stream = true;
        _firstChunkPending = hasFirstChunk;
        if (hasFirstChunk) Log.TimeToFirstToken = _time.GetElapsedTime(_started);
        if (_lease.State.CapturesResponses) _accumulator = new StreamAccumulator();
        return this;
    }

    /// <summary>
    /// Advances to the next chunk. False at the end: clean when <see cref="StreamError"/> is null. Client
    /// cancellation propagates as <see cref="OperationCanceledException"/>.
    /// </summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var stream = Stream ?? throw new InvalidOperationException("This outcome is not a stream.");
        if (_firstChunkPending)
        {
            _firstChunkPending = false;
            return Observe(stream.Current);
        }
        if (StreamError is not null) return false;
        var timeouts = Connection!.Timeouts;
        var remaining = timeouts.Total - _time.GetElapsedTime(_started);
        if (remaining <= TimeSpan.Zero) return TimedOut($"The response took longer than the connection's timeout of {timeouts.Total.TotalSeconds} s and was cut.");
        _streamTimeout ??= CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _streamTimeout.CancelAfter(remaining < timeouts.Idle ? remaining : timeouts.Idle);
        bool more;
        try
        {
            more = await stream.ReadAsync(_streamTimeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return _time.GetElapsedTime(_started) >= timeouts.Total
                ? TimedOut($"The response took longer than the connection's timeout of {timeouts.Total.TotalSeconds} s and was cut.")
                : TimedOut($"The upstream sent nothing for {timeouts.Idle.TotalSeconds} s (idle_timeout) and the stream was cut.");
        }
        if (!more)
        {
            StreamError = stream.Error;
            if (StreamError is not null) Log.Error = StreamError;
            return false;
        }
        return Observe(stream.Current);
    }

    private bool Observe(ReadOnlyMemory<byte> chunk)
    {
        Current = chunk;
        _chunks++;
        Log.TimeToFirstToken ??= _time.GetElapsedTime(_started);
        var span = chunk.Span;
        if (Stream?.Usage is { } known) Log.Usage = known;
        else if (UsageReader.MayContainUsage(span) && UsageReader.TryRead(span) is { } usage) Log.Usage = usage;
        _accumulator?.Add(span);
        return true;
    }

    private bool TimedOut(string message)
    {
        StreamError = new ProxyError(504, ErrorTypes.Timeout, ErrorCodes.UpstreamTimeout, message);
        Log.Error = StreamError;
        return false;
    }

    /// <summary>Ends the request: closes the stream, finishes and queues the log entry, releases the snapshot.</summary>
    public async ValueTask CompleteAsync(bool clientAborted, LogDispatcher dispatcher)
    {
        if (_completed) return;
        _completed = true;
        Log.ClientAborted = clientAborted;
        Log.Duration = _time.GetElapsedTime(_started);
        if (clientAborted && Log.Status == 200) Log.Status = 499;
        if (_accumulator is not null) Log.Response = _accumulator.Build();
        else if (!Json.IsEmpty && _lease.State.CapturesResponses) Log.ResponseBody = Json;
        _streamTimeout?.Dispose();
        if (Stream is not null) await Stream.DisposeAsync();
        _busy?.Exit();
        Limits?.Settle(Log, Error is null, _chunks);
        EndTelemetry();
        dispatcher.Enqueue(Log, _lease.State.Loggers);
        await _lease.DisposeAsync();
        _tracker.Exit();
    }

    /// <summary>Releases resources without logging, for callers that complete it explicitly anyway.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_completed) return;
        _completed = true;
        _streamTimeout?.Dispose();
        if (Stream is not null) await Stream.DisposeAsync();
        _busy?.Exit();
        Limits?.Settle(Log, Error is null, _chunks);
        EndTelemetry();
        await _lease.DisposeAsync();
        _tracker.Exit();
    }

    private void EndTelemetry()
    {
        if (Stream is not null) _tracker.ExitStream();
        Observability.ProxySpans.FinishStream(StreamSpan, StreamError);
        Observability.ProxySpans.FinishRequest(_span, Log);
    }
}
