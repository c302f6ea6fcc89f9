namespace OaiProxy.Local.Scheduling;

/// <summary>
/// Admits at most <c>maxConcurrency</c> generations at once and queues up to <c>maxQueue</c> more, strictly first in,
/// first out. A released slot passes straight to the oldest waiter.
/// </summary>
internal sealed class GenerationGate(int maxConcurrency, int maxQueue, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private TaskCompletionSource? _idle;
    private int _active;
    private bool _closed;

    /// <summary>Smoothed time a slot is held, for the Retry-After estimate; starts at one second.</summary>
    private double _averageHoldSeconds = 1;

    public int Active
    {
        get { lock (_lock) { return _active; } }
    }

    public int Queued
    {
        get { lock (_lock) { return _waiters.Count; } }
    }

    /// <summary>Waits for a slot; false when the queue is full. The caller must <see cref="Release"/> a granted slot.</summary>
    /// <exception cref="ObjectDisposedException">The model is being disposed.</exception>
    public async ValueTask<bool> EnterAsync(CancellationToken ct)
    {
        TaskCompletionSource waiter;
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_closed)
            {
                throw new ObjectDisposedException(nameof(LocalModel), "The local model has been disposed.");
            }

            if (_active < maxConcurrency)
            {
                _active++;
                return true;
            }

            if (_waiters.Count >= maxQueue)
            {
                return false;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        await using (ct.Register(() => Abandon(node, ct)))
        {
            await waiter.Task;
        }

        return true;
    }

    /// <summary>Returns a slot, handing it to the oldest waiter if there is one.</summary>
    public void Release(TimeSpan held)
    {
        lock (_lock)
        {
            _averageHoldSeconds = (0.8 * _averageHoldSeconds) + (0.2 * held.TotalSeconds);
            while (_waiters.First is { } next)
            {
                _waiters.RemoveFirst();
                if (next.Value.TrySetResult())
                {
                    return;
                }
            }

            _active--;
            if (_active == 0)
            {
                _idle?.TrySetResult();
            }
        }
    }

    /// <summary>A guess at when a refused request would be admitted: the work ahead of it spread over the slots.</summary>
    public TimeSpan SuggestRetryAfter()
    {
        lock (_lock)
        {
            var ahead = _active + _waiters.Count;
            var seconds = Math.Ceiling(_averageHoldSeconds * ahead / maxConcurrency);
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, 3600));
        }
    }

    /// <summary>Refuses new requests, fails the waiting ones, and completes when the running ones have finished.</summary>
    public Task CloseAsync()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var waiter in _waiters)
            {
                waiter.TrySetException(new ObjectDisposedException(nameof(LocalModel)));
            }

            _waiters.Clear();
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_active == 0)
            {
                _idle.TrySetResult();
            }

            return _idle.Task;
        }
    }

    public long Timestamp() => time.GetTimestamp();

    public TimeSpan Since(long start) => time.GetElapsedTime(start);

    private void Abandon(LinkedListNode<TaskCompletionSource> node, CancellationToken ct)
    {
        lock (_lock)
        {
            if (node.List is not null)
            {
                _waiters.Remove(node);
                node.Value.TrySetCanceled(ct);
            }
        }
    }
}
