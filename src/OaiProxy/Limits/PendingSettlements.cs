using System.Collections.Concurrent;

namespace OaiProxy.Limits;

/// <summary>
/// Settlements (and permit-block refills) still on their way to the store. A request does not wait for its
/// settlement (a Redis round trip after the answer would hold the connection's next request); shutdown waits for
/// all of them instead, so no budget spend or released slot is lost.
/// </summary>
internal sealed class PendingSettlements
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public void Track(ValueTask settlement)
    {
        if (settlement.IsCompletedSuccessfully) return;
        var task = settlement.AsTask();
        _pending.TryAdd(task, 0);
        _ = task.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _), _pending,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every settlement tracked so far has finished (failures are the store's to log).</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var tasks = _pending.Keys.ToArray();
        if (tasks.Length == 0) return;
        try
        {
            await Task.WhenAll(tasks).WaitAsync(timeout);
        }
#pragma warning disable CA1031 // Shutdown goes on whatever a settlement did; entries left in the store expire by themselves.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
