using System.Collections.Concurrent;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// Stored responses in this process's memory, for a proxy without the storage module (library use): bounded in
/// count, and expired ones are dropped when a new one is saved. Lost on restart.
/// </summary>
internal sealed class MemoryResponseStore(TimeProvider time, int capacity = 10_000) : IResponseStore
{
    /// <summary>How far back a conversation is followed at most, so a corrupt chain cannot loop.</summary>
    public const int MaxChain = 10_000;

    private readonly ConcurrentDictionary<string, StoredResponse> _responses = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public Task SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        _responses[response.Id] = response;
        _order.Enqueue(response.Id);
        var now = time.GetUtcNow();
        while (_order.TryPeek(out var oldest) && (_responses.Count > capacity || (_responses.TryGetValue(oldest, out var o) && o.ExpiresAt <= now)))
        {
            if (!_order.TryDequeue(out oldest)) break;
            _responses.TryRemove(oldest, out _);
        }
        return Task.CompletedTask;
    }

    public Task<StoredResponse?> FindAsync(string id, string owner, CancellationToken cancellationToken) => Task.FromResult(Find(id, owner));

    public Task<IReadOnlyList<StoredItem>?> FindConversationAsync(string id, string owner, CancellationToken cancellationToken)
    {
        var chain = new List<StoredResponse>();
        for (var current = Find(id, owner); current is not null && chain.Count < MaxChain; current = current.PreviousResponseId is { } previous ? Find(previous, owner) : null)
        {
            chain.Add(current);
        }
        if (chain.Count == 0) return Task.FromResult<IReadOnlyList<StoredItem>?>(null);
        chain.Reverse();
        return Task.FromResult<IReadOnlyList<StoredItem>?>(chain.SelectMany(r => r.Input.Concat(r.Output)).ToList());
    }

    public Task<IReadOnlyDictionary<string, StoredItem>> FindItemsAsync(IReadOnlyCollection<string> itemIds, string owner, CancellationToken cancellationToken)
    {
        var wanted = itemIds.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, StoredItem>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var response in _responses.Values)
        {
            if (response.Owner != owner || response.ExpiresAt <= now) continue;
            foreach (var item in response.Input.Concat(response.Output))
            {
                if (wanted.Contains(item.Id)) found.TryAdd(item.Id, item);
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, StoredItem>>(found);
    }

    public Task<bool> DeleteAsync(string id, string owner, CancellationToken cancellationToken) =>
        Task.FromResult(Find(id, owner) is not null && _responses.TryRemove(id, out _));

    private StoredResponse? Find(string id, string owner) =>
        _responses.TryGetValue(id, out var response) && response.Owner == owner && response.ExpiresAt > time.GetUtcNow() ? response : null;
}
