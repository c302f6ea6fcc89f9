namespace OaiProxy.Runtime;

/// <summary>
/// Counts requests in flight, so shutdown can wait for them and tests can wait until every finished request has
/// reached the log queue, without polling.
/// </summary>
internal sealed class RequestTracker
{
    private readonly Lock _lock = new();
    private int _inFlight;
    private int _streams;
    private TaskCompletionSource? _idle;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Streams being relayed (a subset of <see cref="InFlight"/>).</summary>
    public int StreamsInFlight => Volatile.Read(ref _streams);

    internal void EnterStream() => Interlocked.Increment(ref _streams);

    internal void ExitStream() => Interlocked.Decrement(ref _streams);

    public void Enter()
    {
        lock (_lock) _inFlight++;
    }

    public void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            if (--_inFlight == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }
        idle?.TrySetResult();
    }

    /// <summary>Completes when no request is in flight.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (_inFlight == 0) return Task.CompletedTask;
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }
}
