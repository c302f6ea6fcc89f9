namespace OaiProxy.Local.Gateway;

/// <summary>
/// Runs one generation on its own thread, with a synchronization context that brings every continuation back to
/// it. The engine decodes synchronously between chunks; on the thread pool that blocks a worker for the whole
/// generation, and on a 2-core machine (2 workers) the relay's continuations then waited for the pool to grow
/// (streams arrived in one burst seconds late). Here the native work never occupies a pool thread.
/// </summary>
internal sealed class GenerationThread : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _work = new();
    private readonly object _lock = new();
    private bool _finished;

    private GenerationThread()
    {
    }

    /// <summary>Starts <paramref name="work"/> on a new background thread; the task ends with it.</summary>
    public static Task RunAsync(Func<Task> work)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => new GenerationThread().Pump(work, completion))
        {
            IsBackground = true,
            Name = "OaiProxy local generation",
        };
        thread.Start();
        return completion.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_lock)
        {
            if (!_finished)
            {
                _work.Enqueue((d, state));
                Monitor.Pulse(_lock);
                return;
            }
        }

        // A straggler after the work ended (nothing of the generation is left to run here): the pool takes it.
        ThreadPool.QueueUserWorkItem(static s => s.d(s.state), (d, state), preferLocal: false);
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("A generation thread runs posted work only.");

    public override SynchronizationContext CreateCopy() => this;

    private void Pump(Func<Task> work, TaskCompletionSource completion)
    {
        SetSynchronizationContext(this);
        Task task;
        try
        {
            task = work();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            task = Task.FromException(e);
        }

        task.ContinueWith(static (_, s) => ((GenerationThread)s!).Finish(), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (Next() is { } item)
        {
            item.Callback(item.State);
        }

        completion.SetFromTask(task);
    }

    private (SendOrPostCallback Callback, object? State)? Next()
    {
        lock (_lock)
        {
            while (_work.Count == 0 && !_finished)
            {
                Monitor.Wait(_lock);
            }

            return _work.Count > 0 ? _work.Dequeue() : null;
        }
    }

    private void Finish()
    {
        lock (_lock)
        {
            _finished = true;
            Monitor.Pulse(_lock);
        }
    }
}
