namespace OaiProxy.Storage;

/// <summary>A count that only grows, with waits for it to reach a value: how tests and callers observe background progress without sleeping.</summary>
internal sealed class ProgressCounter
{
    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Add(long count) => Update(count, absolute: false);

    /// <summary>Raises the value to <paramref name="value"/> (never lowers it).</summary>
    public void RaiseTo(long value) => Update(value, absolute: true);

    private void Update(long amount, bool absolute)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_lock)
        {
            _value = absolute ? Math.Max(_value, amount) : _value + amount;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target > _value) continue;
                (ready ??= []).Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        ready?.ForEach(done => done.TrySetResult());
    }

    public Task WaitForAsync(long target, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_value >= target) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }
}
