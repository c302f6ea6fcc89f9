using System.Data.Common;
using OaiProxy.Configuration;

namespace OaiProxy.Storage.Database;

/// <summary>
/// The database behind stored keys and usage records: SQLite by default, PostgreSQL when <c>database_url</c> names
/// one. The SQL is shared (BIGINT milliseconds for times, TEXT for JSON, <c>ON CONFLICT</c> upserts); only opening
/// connections and the migration lock differ.
/// </summary>
public abstract class StorageDatabase : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgresql</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Where the data lives, without credentials, for messages.</summary>
    public abstract string Description { get; }

    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Serialises schema migrations across processes sharing the database, inside <paramref name="transaction"/>.</summary>
    internal abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>The database a config names (see <see cref="ProxyConfig.DatabaseUrl"/>); nothing is opened yet.</summary>
    public static StorageDatabase FromConfig(ProxyConfig config)
    {
        var url = config.DatabaseUrl;
        if (url is null) return new SqliteDatabase(Path.Combine(config.BaseDirectory, "storage", "oaiproxy.db"));
        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = url["sqlite:".Length..];
            return new SqliteDatabase(Path.GetFullPath(path.Length == 0 ? "storage/oaiproxy.db" : path, config.BaseDirectory));
        }
        return new PostgresDatabase(PostgresDatabase.ToConnectionString(url));
    }

    public abstract ValueTask DisposeAsync();
}
