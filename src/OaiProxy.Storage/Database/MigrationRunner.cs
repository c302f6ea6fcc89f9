namespace OaiProxy.Storage.Database;

/// <summary>Brings the schema to the latest version in one transaction, under a lock other instances respect.</summary>
internal static class MigrationRunner
{
    /// <summary>Applies the missing steps; returns how many were applied.</summary>
    public static Task<int> RunAsync(StorageDatabase database, TimeProvider time, CancellationToken cancellationToken) =>
        RunAsync(database, time, Migrations.All, cancellationToken);

    /// <summary>Applies the missing ones of <paramref name="steps"/>, a prefix of <see cref="Migrations.All"/> (an older proxy's schema, in tests).</summary>
    internal static async Task<int> RunAsync(StorageDatabase database, TimeProvider time, IReadOnlyList<(int Version, string Sql)> steps,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.LockForMigrationAsync(connection, transaction, cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken);
        var current = await Sql.ScalarInt64Async(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken);
        var latest = steps[^1].Version;
        if (current > latest)
        {
            throw new StorageException($"The {database.Description} has schema version {current}, newer than this proxy's {latest}; upgrade the proxy.");
        }
        var applied = 0;
        foreach (var (version, sql) in steps)
        {
            if (version <= current) continue;
            await Sql.ExecuteAsync(connection, transaction, sql, cancellationToken);
            await Sql.ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @at)", cancellationToken,
                ("v", (long)version), ("at", time.GetUtcNow().ToUnixTimeMilliseconds()));
            applied++;
        }
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }
}
