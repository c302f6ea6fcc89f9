using System.Collections.Concurrent;

namespace OaiProxy.Resilience;

/// <summary>The health of every connection by name; it outlives config snapshots so a reload forgets nothing.</summary>
internal sealed class ConnectionHealthRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ConnectionHealth> _byName = new(StringComparer.Ordinal);

    public ConnectionHealth Get(string connection) => _byName.GetOrAdd(connection, name => new ConnectionHealth(name, time));

    public IEnumerable<ConnectionHealth> All => _byName.Values;
}
