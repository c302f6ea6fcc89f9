using OaiProxy.Configuration;
using OaiProxy.Errors;

namespace OaiProxy.Pipeline;

/// <summary>
/// A connection's timeouts, applied in one place and measured on the proxy's <see cref="TimeProvider"/>: the
/// first-byte deadline of each attempt (<c>first_byte_timeout</c>, at most <c>timeout</c>), and the idle
/// (<c>idle_timeout</c>) and total (<c>timeout</c>, from the request's start) deadlines of the stream that follows.
/// </summary>
internal sealed class UpstreamDeadlines : IDisposable
{
    private readonly TimeoutsConfig _timeouts;
    private readonly TimeProvider _time;
    private readonly long _requestStarted;
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _link;
    private bool _totalBinds;

    private UpstreamDeadlines(TimeoutsConfig timeouts, TimeProvider time, long requestStarted, CancellationToken client)
    {
        _timeouts = timeouts;
        _time = time;
        _requestStarted = requestStarted;
        // A source on the proxy's clock, cancelled by the client too (CreateLinkedTokenSource has no clock).
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _link = client.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
    }

    /// <summary>The token that fires when the deadline set last passes or the client leaves.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>
    /// Deadlines for one attempt: the first-byte clock starts now, and never reaches past what is left of the
    /// request's total timeout (a retry after most of it was spent gets only the rest).
    /// </summary>
    public static UpstreamDeadlines ForAttempt(TimeoutsConfig timeouts, TimeProvider time, long requestStarted, CancellationToken client)
    {
        var deadlines = new UpstreamDeadlines(timeouts, time, requestStarted, client);
        var remaining = timeouts.Total - time.GetElapsedTime(requestStarted);
        deadlines._totalBinds = remaining <= timeouts.FirstByte;
        deadlines._source.CancelAfter(!deadlines._totalBinds ? timeouts.FirstByte : remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        return deadlines;
    }

    /// <summary>Deadlines for reading a stream whose first event arrived; <see cref="NextEvent"/> arms them.</summary>
    public static UpstreamDeadlines ForStream(TimeoutsConfig timeouts, TimeProvider time, long requestStarted, CancellationToken client) =>
        new(timeouts, time, requestStarted, client);

    /// <summary>Arms the wait for the next event: the idle timeout, or what is left of the total. False when the total is spent.</summary>
    public bool NextEvent()
    {
        var remaining = _timeouts.Total - _time.GetElapsedTime(_requestStarted);
        if (remaining <= TimeSpan.Zero) return false;
        _source.CancelAfter(remaining < _timeouts.Idle ? remaining : _timeouts.Idle);
        return true;
    }

    /// <summary>The error of an attempt cut before its first byte: by the first-byte deadline, or by the request's total.</summary>
    public ProxyError FirstByteExceeded(string connection) => _totalBinds
        ? ProxyError.GatewayTimeout($"The upstream of connection \"{connection}\" did not answer within what was left of the request's timeout of {_timeouts.Total.TotalSeconds} s (timeout).")
        : ProxyError.GatewayTimeout($"The upstream of connection \"{connection}\" did not answer within {_timeouts.FirstByte.TotalSeconds} s (first_byte_timeout).");

    /// <summary>The error of a stream cut by a deadline: the total when it is spent, the idle one otherwise.</summary>
    public ProxyError StreamExceeded() => _time.GetElapsedTime(_requestStarted) >= _timeouts.Total
        ? StreamTimeout($"The response took longer than the connection's timeout of {_timeouts.Total.TotalSeconds} s and was cut.")
        : StreamTimeout($"The upstream sent nothing for {_timeouts.Idle.TotalSeconds} s (idle_timeout) and the stream was cut.");

    private static ProxyError StreamTimeout(string message) => new(504, ErrorTypes.Timeout, ErrorCodes.UpstreamTimeout, message);

    public void Dispose()
    {
        _link.Dispose();
        _source.Dispose();
    }
}
