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

    private static readonly TimeSpan InForceBound = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan MissMemory = TimeSpan.FromSeconds(1);

    private const int MaxMisses = 10_000;

    private readonly Dictionary<string, long> _misses = new(StringComparer.Ordinal);
    private Task? _catchUp;

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

    /// <summary>
    /// Returns once this instance holds every change committed so far (at most <see cref="InForceBound"/>, so a
    /// database that stops answering cannot hang the caller): what the admin API awaits before it answers.
    /// </summary>
    public async Task InForceAsync(CancellationToken cancellationToken)
    {
        var version = await _store!.VersionAsync(cancellationToken);
        RefreshSoon();
        try
        {
            await AppliedVersion.WaitForAsync(version, cancellationToken).WaitAsync(InForceBound, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Committed all the same; the poll applies it once the database answers again.
        }
    }

    /// <summary>
    /// A key of the stored-key form this cache does not hold: it may have been created a moment ago by the CLI or
    /// another instance, so the cache catches up once (one lookup shared by concurrent callers) before it is refused;
    /// the same unknown key is not looked up again for <see cref="MissMemory"/>.
    /// </summary>
    public async ValueTask<AuthResult?> FindOrCatchUpAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (Find(apiKey) is { } found) return found;
        if (_store is null || !KeySecrets.HasStoredForm(apiKey)) return null;
        var digest = Convert.ToHexStringLower(KeySecrets.Digest(apiKey));
        var now = _time.GetTimestamp();
        lock (_misses)
        {
            if (_misses.TryGetValue(digest, out var at) && _time.GetElapsedTime(at, now) < MissMemory) return null;
            if (_misses.Count >= MaxMisses) _misses.Clear();
            _misses[digest] = now;
        }
        Task catchUp;
        lock (_misses) catchUp = _catchUp is { IsCompleted: false } running ? running : _catchUp = CatchUpAsync();
        await catchUp.WaitAsync(cancellationToken);
        return Find(apiKey);
    }

    private async Task CatchUpAsync()
    {
        try
        {
            var store = _store!;
            if (await store.VersionAsync(CancellationToken.None) != Version) await LoadAsync(store, CancellationToken.None);
        }
#pragma warning disable CA1031 // The database may be down: the key is refused as unknown, the poll keeps retrying.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

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
                await WaitForPollAsync(cancellationToken);
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

    /// <summary>Until the next tick of the injected clock, or a poke.</summary>
    private async Task WaitForPollAsync(CancellationToken cancellationToken)
    {
        using var tick = new CancellationTokenSource(PollInterval, _time);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, cancellationToken);
        try
        {
            await _poke.WaitAsync(wake.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The tick.
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
