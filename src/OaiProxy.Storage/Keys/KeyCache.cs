using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OaiProxy.Auth;
using OaiProxy.Diagnostics;
using OaiProxy.Limits;

namespace OaiProxy.Storage.Keys;

/// <summary>
/// Every working stored secret, in memory, so validating a key never touches the database. A loop polls the
/// <c>keys_version</c> counter every <see cref="PollInterval"/> and reloads on change, so a revocation made by any
/// instance (or the CLI) applies everywhere within a second; expiry is checked against the clock on every request.
/// </summary>
internal sealed partial class KeyCache : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger<KeyCache> _logger;
    private readonly KeyChangeSignal _signal;

    public KeyCache(TimeProvider time, ILogger<KeyCache> logger, KeyChangeSignal signal)
    {
        _time = time;
        _logger = logger;
        _signal = signal;
        // Other instances' changes arrive over Redis pub/sub (with redis_url); polling stays the safety net.
        signal.Changed += Poke;
    }

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _poke = new(0, 1);
    private Dictionary<string, Entry> _byHash = new(StringComparer.Ordinal);
    private KeyStore? _store;
    private bool _failing;

    private sealed record Entry(byte[] Digest, long? SecretExpiresAt, StoredKey Key, AuthResult Result);

    /// <summary>The <c>keys_version</c> the cache holds.</summary>
    public long Version { get; private set; } = -1;

    /// <summary>The <c>keys_version</c> applied so far, so a caller can wait for a change to be in force here.</summary>
    public ProgressCounter AppliedVersion { get; } = new();

    public AuthResult? Find(string apiKey)
    {
        var digest = KeySecrets.Digest(apiKey);
        if (!Volatile.Read(ref _byHash).TryGetValue(Convert.ToHexStringLower(digest), out var entry)) return null;
        if (!CryptographicOperations.FixedTimeEquals(entry.Digest, digest)) return null;
        var now = _time.GetUtcNow();
        if (entry.SecretExpiresAt is { } end && end <= now.ToUnixTimeMilliseconds()) return null;
        return entry.Key.IsActive(now) ? entry.Result : null;
    }

    public async Task LoadAsync(KeyStore store, CancellationToken cancellationToken)
    {
        _store = store;
        var (version, secrets) = await store.LoadActiveAsync(cancellationToken);
        var byHash = new Dictionary<string, Entry>(secrets.Count, StringComparer.Ordinal);
        var results = new Dictionary<string, AuthResult>(StringComparer.Ordinal);
        foreach (var (hash, expiresAt, key) in secrets)
        {
            if (!results.TryGetValue(key.Id, out var result)) results[key.Id] = result = ToAuthResult(key);
            byHash[hash] = new Entry(Convert.FromHexString(hash), expiresAt, key, result);
        }
        Volatile.Write(ref _byHash, byHash);
        Version = version;
        AppliedVersion.RaiseTo(version);
    }

    /// <summary>Polls now instead of at the next tick, here and (over Redis) on every instance, after a change made by this instance.</summary>
    public void RefreshSoon() => _signal.Publish();

    private void Poke()
    {
        try
        {
            _poke.Release();
        }
        catch (SemaphoreFullException)
        {
            // A poll is already due.
        }
        catch (ObjectDisposedException)
        {
            // A signal that arrived while shutting down.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _poke.WaitAsync(PollInterval, cancellationToken);
                var store = _store!;
                if (await store.VersionAsync(cancellationToken) != Version) await LoadAsync(store, cancellationToken);
                if (_failing) LogRecovered(_logger);
                _failing = false;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database may be down: keep serving the keys already loaded and retry.
            catch (Exception e)
#pragma warning restore CA1031
            {
                if (!_failing) LogPollFailed(_logger, e.Message);
                _failing = true;
            }
        }
    }

    public void Dispose()
    {
        _signal.Changed -= Poke;
        _poke.Dispose();
    }

    private static AuthResult ToAuthResult(StoredKey key) => new(key.Group, key.Metadata?.DeepClone())
    {
        KeyId = key.Id,
        KeyName = key.Name,
        Models = key.Models,
        Connections = key.Connections,
        Limits = key.Limits.IsEmpty ? null : key.Limits,
    };

    [LoggerMessage(EventId = LogEvents.StoredKeysPollFailed, Level = LogLevel.Warning, Message = "Cannot check stored keys for changes ({Reason}); the keys already loaded keep working until the database is back.")]
    private static partial void LogPollFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEvents.StoredKeysRecovered, Level = LogLevel.Information, Message = "Stored keys are in sync with the database again.")]
    private static partial void LogRecovered(ILogger logger);
}
