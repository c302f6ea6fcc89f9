using System.Collections.Concurrent;
using System.Net;
using OaiProxy.Configuration;

namespace OaiProxy.Runtime;

/// <summary>
/// One <see cref="SocketsHttpHandler"/> per connection, kept across reloads while the settings that shape it are
/// unchanged, so a reload never drops warm upstream connections. Handlers no snapshot uses any more are disposed
/// when the last snapshot holding them retires.
/// </summary>
internal sealed class UpstreamClientPool : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry(HttpMessageInvoker invoker)
    {
        public HttpMessageInvoker Invoker { get; } = invoker;
        public int Users;
    }

    /// <summary>Gets (or creates) the client of a connection and counts one more snapshot using it.</summary>
    public HttpMessageInvoker Acquire(ConnectionConfig connection)
    {
        var key = Key(connection);
        while (true)
        {
            var entry = _entries.GetOrAdd(key, _ => new Entry(new HttpMessageInvoker(CreateHandler(connection), disposeHandler: true)));
            lock (entry)
            {
                if (entry.Users >= 0)
                {
                    entry.Users++;
                    return entry.Invoker;
                }
            }
            // Raced with the last release disposing it: take a fresh one.
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
    }

    public void Release(ConnectionConfig connection)
    {
        var key = Key(connection);
        if (!_entries.TryGetValue(key, out var entry)) return;
        lock (entry)
        {
            if (--entry.Users > 0) return;
            entry.Users = -1;
        }
        _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        entry.Invoker.Dispose();
    }

    private static string Key(ConnectionConfig connection) =>
        $"{connection.Name}\n{connection.ApiBase}\n{connection.Timeouts.Connect.Ticks}";

    private static SocketsHttpHandler CreateHandler(ConnectionConfig connection) => new()
    {
        ConnectTimeout = connection.Timeouts.Connect,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        EnableMultipleHttp2Connections = true,
        MaxConnectionsPerServer = int.MaxValue,
        // Nagle off is the default for SocketsHttpHandler's sockets; streams are flushed per event upstream too.
    };

    public void Dispose()
    {
        foreach (var entry in _entries.Values) entry.Invoker.Dispose();
        _entries.Clear();
    }
}
