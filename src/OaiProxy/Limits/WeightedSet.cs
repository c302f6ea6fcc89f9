namespace OaiProxy.Limits;

/// <summary>
/// The in-memory twin of one Redis set of the Lua scripts: weighted entries by id, each with an expiry, and their
/// running sum. Expired entries leave on <see cref="Purge"/>; removal and adjustment by id are O(1), with lazy
/// deletion from the expiry heap. Not thread-safe: <see cref="MemoryLimitStore"/> holds its lock.
/// </summary>
internal sealed class WeightedSet
{
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Entry, long> _byExpiry = new();

    private sealed class Entry(string id, long weight, long expiresAt)
    {
        public string Id { get; } = id;

        public long Weight { get; set; } = weight;

        public long ExpiresAt { get; } = expiresAt;

        public bool Removed { get; set; }
    }

    public long Sum { get; private set; }

    public int Count => _byId.Count;

    public void Purge(long now)
    {
        while (_byExpiry.TryPeek(out var entry, out var expiresAt) && (entry.Removed || expiresAt <= now))
        {
            _byExpiry.Dequeue();
            if (entry.Removed) continue;
            _byId.Remove(entry.Id);
            Sum -= entry.Weight;
        }
    }

    /// <summary>When the oldest live entry expires; -1 when there is none.</summary>
    public long OldestExpiry()
    {
        while (_byExpiry.TryPeek(out var entry, out var expiresAt))
        {
            if (!entry.Removed) return expiresAt;
            _byExpiry.Dequeue();
        }
        return -1;
    }

    public void Add(string id, long weight, long expiresAt)
    {
        if (_byId.ContainsKey(id)) return;
        var entry = new Entry(id, weight, expiresAt);
        _byId[id] = entry;
        _byExpiry.Enqueue(entry, expiresAt);
        Sum += weight;
    }

    public void Adjust(string id, long weight)
    {
        if (!_byId.TryGetValue(id, out var entry)) return;
        Sum += weight - entry.Weight;
        entry.Weight = weight;
    }

    public void Remove(string id)
    {
        if (!_byId.Remove(id, out var entry)) return;
        entry.Removed = true;
        Sum -= entry.Weight;
    }
}
