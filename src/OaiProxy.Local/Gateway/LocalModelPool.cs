namespace OaiProxy.Local.Gateway;

/// <summary>
/// The loaded models of all local connections, kept across config reloads while a connection's settings and file are
/// unchanged (weights are never read twice for a reload), and disposed when the last snapshot using one retires.
/// Reference-counted like the core's <c>UpstreamClientPool</c>.
/// </summary>
internal sealed class LocalModelPool : IAsyncDisposable
{
    private readonly Dictionary<LocalModelKey, Entry> _entries = [];
    private readonly Lock _lock = new();

    private sealed class Entry(LocalModel model)
    {
        public LocalModel Model { get; } = model;

        public int Users { get; set; }
    }

    /// <summary>Gets (or loads) the model of a connection and counts one more user; release it with <see cref="ReleaseAsync"/>.</summary>
    /// <exception cref="LocalModelLoadException">The model cannot be loaded.</exception>
    public LocalModelLease Acquire(string connection, LocalModelOptions options)
    {
        var key = LocalModelKey.For(connection, options);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                existing.Users++;
                return new LocalModelLease(this, key, existing.Model);
            }
        }

        // Loading can take seconds for a real model: never under the lock. Builds are serialised by the runtime,
        // so two loads of one key do not race in practice; if they do, the loser is disposed.
        var model = LocalModel.Load(options);
        LocalModel? loser = null;
        LocalModelLease lease;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = new Entry(model);
                _entries[key] = entry;
            }
            else
            {
                loser = model;
            }

            entry.Users++;
            lease = new LocalModelLease(this, key, entry.Model);
        }

        if (loser is not null)
        {
            _ = loser.DisposeAsync().AsTask();
        }

        return lease;
    }

    /// <summary>Counts one user less; the last one out disposes the model (after its running generations end).</summary>
    public ValueTask ReleaseAsync(LocalModelKey key)
    {
        Entry? retired;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out retired) || --retired.Users > 0)
            {
                return ValueTask.CompletedTask;
            }

            _entries.Remove(key);
        }

        return retired.Model.DisposeAsync();
    }

    /// <summary>Models still loaded (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Entry> entries;
        lock (_lock)
        {
            entries = [.. _entries.Values];
            _entries.Clear();
        }

        foreach (var entry in entries)
        {
            await entry.Model.DisposeAsync();
        }
    }
}
