namespace OaiProxy.Local.Gateway;

/// <summary>One snapshot's use of a pooled <see cref="LocalModel"/>; disposing it releases that use once.</summary>
internal sealed class LocalModelLease(LocalModelPool pool, LocalModelKey key, LocalModel model) : IAsyncDisposable
{
    private int _released;

    public LocalModel Model { get; } = model;

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _released, 1) == 0 ? pool.ReleaseAsync(key) : ValueTask.CompletedTask;
}
