using System.Diagnostics;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Limits;
using OaiProxy.Logging;
using OaiProxy.Resilience;
using OaiProxy.Runtime;
using OaiProxy.Streaming;
using OaiProxy.Usage;

namespace OaiProxy.Pipeline;

/// <summary>
/// What the attempts brought back for one request, as its dialect's writer reads it: an error, a JSON body, or a
/// stream whose first event has already arrived (so failover was possible until then). Reading the stream applies
/// the connection's idle and total deadlines and observes usage for the log. <see cref="RequestPipeline"/>
/// creates it, fills it and releases it.
/// </summary>
internal sealed class ProxyAnswer
{
    private readonly TimeProvider _time;
    private readonly RequestTracker _tracker;
    private UpstreamDeadlines? _deadlines;
    private StreamAccumulator? _accumulator;
    private ConnectionHealth? _busy;
    private bool _firstEventPending;
    private SecretScrubber _secrets = SecretScrubber.None;
    private bool _streamFinished;

    public ProxyAnswer(RequestLogEntry log, TimeProvider time, long started, RequestTracker tracker)
    {
        Log = log;
        _time = time;
        Started = started;
        _tracker = tracker;
    }

    public RequestLogEntry Log { get; }

    /// <summary>When the request started (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Started { get; }

    public ProxyError? Error { get; private set; }

    /// <summary>The whole answer (non-streaming requests), as the provider returned it.</summary>
    public ReadOnlyMemory<byte> Json { get; private set; }

    public bool IsStream => Stream is not null;

    /// <summary>The current event after <see cref="ReadAsync"/> returned true.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>Set when the stream ended in failure after it started; the writer sends it as an error event.</summary>
    public ProxyError? StreamError { get; private set; }

    public string? UpstreamRequestId { get; private set; }

    public UpstreamEventStream? Stream { get; private set; }

    /// <summary>The request's admitted limits; settled when the request completes.</summary>
    public LimitTicket? Limits { get; set; }

    /// <summary>The <c>x-ratelimit-*</c> headers of the request's limits; null when none applies.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? RateLimitHeaders => Limits?.Headers;

    /// <summary>Time spent in upstream attempts until the answer (for streams: until the first event).</summary>
    public TimeSpan UpstreamTime { get; set; }

    /// <summary>The span of the attempt that started the stream; it ends with the stream.</summary>
    public Activity? StreamSpan { get; set; }

    /// <summary>Events read so far (the limits' estimate for a stream without usage).</summary>
    public long Events { get; private set; }

    /// <summary>Attempts given up after the upstream took the request (timed out, or broken before their first event).</summary>
    public int AbandonedAttempts { get; private set; }

    /// <summary>How the answer ended, for the limits.</summary>
    public AnswerEnd End => Error is not null ? AnswerEnd.None
        : IsStream ? (_streamFinished ? AnswerEnd.Finished : AnswerEnd.Unfinished)
        : Json.IsEmpty ? AnswerEnd.None : AnswerEnd.Finished;

    /// <summary>Counts an attempt the upstream may have generated for, though its answer never came (see <see cref="AbandonedAttempts"/>).</summary>
    public void Abandon() => AbandonedAttempts++;

    public bool HasBufferedEvent => _firstEventPending || Stream?.HasBufferedChunk == true;

    public TimeSpan GetUpstreamTime() => UpstreamTime;

    public void Fail(ProxyError error)
    {
        Error = error;
        Log.Error = error;
        Log.Status = error.Status;
    }

    public void Complete(ReadOnlyMemory<byte> json, string? upstreamRequestId, UsageInfo? usage)
    {
        Json = json;
        UpstreamRequestId = upstreamRequestId;
        Log.Status = 200;
        Log.Usage = usage ?? UsageReader.TryRead(json.Span);
        Log.TimeToFirstToken = _time.GetElapsedTime(Started);
    }

    /// <summary>
    /// A stream answered; <paramref name="busy"/> counts it in flight on its connection until it is released, and
    /// <paramref name="secrets"/> scrubs the error it may end with.
    /// </summary>
    public void Streaming(UpstreamEventStream stream, bool hasFirstEvent, ConnectionConfig connection, string? upstreamRequestId,
        ConnectionHealth busy, bool captureEvents, SecretScrubber secrets, CancellationToken client)
    {
        _secrets = secrets;
        _busy = busy;
        _tracker.EnterStream();
        Stream = stream;
        UpstreamRequestId = upstreamRequestId;
        Log.Status = 200;
        Log.Stream = true;
        _firstEventPending = hasFirstEvent;
        if (hasFirstEvent) Log.TimeToFirstToken = _time.GetElapsedTime(Started);
        if (captureEvents) _accumulator = new StreamAccumulator();
        _deadlines = UpstreamDeadlines.ForStream(connection.Timeouts, _time, Started, client);
    }

    /// <summary>
    /// Advances to the next event. False at the end: clean when <see cref="StreamError"/> is null. The client
    /// leaving propagates as <see cref="OperationCanceledException"/>; a deadline ends the stream with a 504.
    /// </summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var stream = Stream ?? throw new InvalidOperationException("This answer is not a stream.");
        if (_firstEventPending)
        {
            _firstEventPending = false;
            return Observe(stream.Current);
        }
        if (StreamError is not null) return false;
        var deadlines = _deadlines!;
        if (!deadlines.NextEvent()) return Cut(deadlines.StreamExceeded());
        bool more;
        try
        {
            more = await stream.ReadAsync(deadlines.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Cut(deadlines.StreamExceeded());
        }
        if (!more)
        {
            // Usage kept out of the relayed chunks (asked for on the client's behalf) arrives with the end.
            if (stream.Usage is { } final) Log.Usage = final;
            // The upstream's own words (an error event mid-stream): scrubbed like every error of an attempt.
            StreamError = stream.Error is { } error ? _secrets.Scrub(error) : null;
            if (StreamError is not null) Log.Error = StreamError;
            else _streamFinished = true;
            return false;
        }
        return Observe(stream.Current);
    }

    private bool Observe(ReadOnlyMemory<byte> data)
    {
        Current = data;
        Events++;
        Log.TimeToFirstToken ??= _time.GetElapsedTime(Started);
        var span = data.Span;
        if (Stream?.Usage is { } known) Log.Usage = known;
        else if (UsageReader.MayContainUsage(span) && UsageReader.TryRead(span) is { } usage) Log.Usage = usage;
        _accumulator?.Add(span);
        return true;
    }

    private bool Cut(ProxyError error)
    {
        StreamError = error;
        Log.Error = error;
        return false;
    }

    /// <summary>Puts what loggers read of the answer into the log entry: the assembled stream, or the JSON body.</summary>
    public void Capture(bool capturesResponses)
    {
        if (_accumulator is not null) Log.Response = _accumulator.Build();
        else if (!Json.IsEmpty && capturesResponses) Log.ResponseBody = Json;
    }

    /// <summary>Closes the stream and its deadlines and frees the connection's in-flight slot.</summary>
    public async ValueTask ReleaseAsync()
    {
        _deadlines?.Dispose();
        if (Stream is not null)
        {
            await Stream.DisposeAsync();
            _tracker.ExitStream();
        }
        _busy?.Exit();
    }
}
