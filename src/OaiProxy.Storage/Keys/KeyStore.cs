using System.Data.Common;
using OaiProxy.Configuration;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Keys;

/// <summary>
/// Stored virtual keys in the database: create, list, update, revoke, rotate. Every change bumps the
/// <c>keys_version</c> counter in the same transaction, which is how every proxy instance learns to reload its cache.
/// </summary>
public sealed class KeyStore(StorageDatabase database, TimeProvider time)
{
    /// <summary>How long a rotated-out secret keeps working by default.</summary>
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromHours(24);

    public StorageDatabase Database => database;

    /// <summary>Opens the config's database and brings its schema up to date (what the CLI does).</summary>
    public static async Task<KeyStore> OpenAsync(ProxyConfig config, CancellationToken cancellationToken)
    {
        var database = StorageDatabase.FromConfig(config);
        try
        {
            await MigrationRunner.RunAsync(database, TimeProvider.System, cancellationToken);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException)
        {
            await database.DisposeAsync();
            throw new StorageException($"Cannot open the {database.Description}: {e.Message} Start the database, or fix database_url in the config.", e);
        }
        return new KeyStore(database, TimeProvider.System);
    }

    public async Task<CreatedKey> CreateAsync(KeyFields fields, CancellationToken cancellationToken)
    {
        var id = KeySecrets.NewId();
        var secret = KeySecrets.NewSecret();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!fields.Has("name")) fields.Name = "";
        if (!fields.Has("group")) fields.Group = "default";
        var values = KeyRows.Values(fields);
        values.Add(("id", id));
        values.Add(("created_at", now));
        values.Add(("updated_at", now));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var columns = string.Join(", ", values.Select(v => v.Column));
        var parameters = string.Join(", ", values.Select(v => "@" + v.Column));
        await Sql.ExecuteAsync(connection, transaction, $"INSERT INTO api_keys ({columns}) VALUES ({parameters})", cancellationToken,
            values.Select(v => (v.Column, v.Value)).ToArray());
        await AddSecretAsync(connection, transaction, id, secret, now, cancellationToken);
        await BumpVersionAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedKey((await GetAsync(id, cancellationToken))!, secret);
    }

    public async Task<IReadOnlyList<StoredKey>> ListAsync(CancellationToken cancellationToken) =>
        await QueryAsync(null, cancellationToken);

    public async Task<StoredKey?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync(id, cancellationToken)).FirstOrDefault();

    /// <summary>Changes the given fields; null when no such key exists.</summary>
    public async Task<StoredKey?> UpdateAsync(string id, KeyFields fields, CancellationToken cancellationToken)
    {
        var values = KeyRows.Values(fields);
        values.Add(("updated_at", time.GetUtcNow().ToUnixTimeMilliseconds()));
        var assignments = string.Join(", ", values.Select(v => $"{v.Column} = @{v.Column}"));
        var changed = await ChangeAsync($"UPDATE api_keys SET {assignments} WHERE id = @id", id,
            values.Select(v => (v.Column, v.Value)).ToArray(), cancellationToken);
        return changed ? await GetAsync(id, cancellationToken) : null;
    }

    /// <summary>Revokes the key (it stops working on every instance within a second); null when no such key exists.</summary>
    public async Task<StoredKey?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var changed = await ChangeAsync("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @now), updated_at = @now WHERE id = @id", id,
            [("now", now)], cancellationToken);
        return changed ? await GetAsync(id, cancellationToken) : null;
    }

    /// <summary>
    /// Gives the key a new secret; its current secrets keep working for <paramref name="gracePeriod"/> (zero ends
    /// them now). The id, limits and usage history stay the same. Null when no such key exists or it is revoked.
    /// </summary>
    public async Task<CreatedKey?> RotateAsync(string id, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var secret = KeySecrets.NewSecret();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var graceEnd = now + (long)gracePeriod.TotalMilliseconds;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await Sql.ExecuteAsync(connection, transaction, "UPDATE api_keys SET rotated_at = @now, updated_at = @now WHERE id = @id AND revoked_at IS NULL",
            cancellationToken, ("now", now), ("id", id));
        if (updated == 0) return null;
        await Sql.ExecuteAsync(connection, transaction,
            "UPDATE api_key_secrets SET expires_at = @end WHERE key_id = @id AND (expires_at IS NULL OR expires_at > @end)",
            cancellationToken, ("end", graceEnd), ("id", id));
        await AddSecretAsync(connection, transaction, id, secret, now, cancellationToken);
        await BumpVersionAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedKey((await GetAsync(id, cancellationToken))!, secret);
    }

    /// <summary>The change counter every instance polls.</summary>
    internal async Task<long> VersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await Sql.ScalarInt64Async(connection, null, "SELECT value FROM store_state WHERE name = 'keys_version'", cancellationToken);
    }

    /// <summary>Every secret that still works, with its key, for the in-memory cache.</summary>
    internal async Task<(long Version, List<(string Hash, long? ExpiresAt, StoredKey Key)> Secrets)> LoadActiveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The version is read first in the same transaction, so a change made meanwhile is seen by the next poll.
        var version = await Sql.ScalarInt64Async(connection, transaction, "SELECT value FROM store_state WHERE name = 'keys_version'", cancellationToken);
        var keys = new Dictionary<string, StoredKey>(StringComparer.Ordinal);
        await using (var command = Sql.Command(connection, transaction, $"SELECT {KeyRows.Columns} FROM api_keys WHERE revoked_at IS NULL"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) keys[reader.GetString(0)] = KeyRows.Read(reader);
        }
        var secrets = new List<(string, long?, StoredKey)>();
        await using (var command = Sql.Command(connection, transaction,
            "SELECT secret_hash, key_id, expires_at FROM api_key_secrets WHERE expires_at IS NULL OR expires_at > @now", ("now", now)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (keys.TryGetValue(reader.GetString(1), out var key)) secrets.Add((reader.GetString(0), Sql.Int64OrNull(reader, 2), key));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return (version, secrets);
    }

    private async Task<bool> ChangeAsync(string sql, string id, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await Sql.ExecuteAsync(connection, transaction, sql, cancellationToken, [.. parameters, ("id", id)]);
        if (changed == 0) return false;
        await BumpVersionAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<List<StoredKey>> QueryAsync(string? id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = id is null ? "" : " WHERE id = @id";
        (string, object?)[] parameters = id is null ? [] : [("id", id)];
        var keys = new List<StoredKey>();
        await using (var command = Sql.Command(connection, null, $"SELECT {KeyRows.Columns} FROM api_keys{where} ORDER BY created_at, id", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) keys.Add(KeyRows.Read(reader));
        }
        var secrets = new Dictionary<string, List<KeySecretInfo>>(StringComparer.Ordinal);
        var secretWhere = id is null ? "" : " WHERE key_id = @id";
        await using (var command = Sql.Command(connection, null, $"SELECT key_id, hint, created_at, expires_at FROM api_key_secrets{secretWhere} ORDER BY created_at", parameters))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var keyId = reader.GetString(0);
                if (!secrets.TryGetValue(keyId, out var list)) secrets[keyId] = list = [];
                list.Add(new KeySecretInfo(reader.GetString(1), KeyRows.Time(Sql.Int64(reader, 2))!.Value, KeyRows.Time(Sql.Int64OrNull(reader, 3))));
            }
        }
        return keys.Select(k => k with { Secrets = secrets.TryGetValue(k.Id, out var s) ? s : [] }).ToList();
    }

    private static Task<int> AddSecretAsync(DbConnection connection, DbTransaction transaction, string id, string secret, long now, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, transaction, "INSERT INTO api_key_secrets (secret_hash, key_id, hint, created_at) VALUES (@hash, @id, @hint, @now)",
            cancellationToken, ("hash", KeySecrets.Hash(secret)), ("id", id), ("hint", KeySecrets.Hint(secret)), ("now", now));

    private static Task<int> BumpVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(connection, transaction, "UPDATE store_state SET value = value + 1 WHERE name = 'keys_version'", cancellationToken);
}
