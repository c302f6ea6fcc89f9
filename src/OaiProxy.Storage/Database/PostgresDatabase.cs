using System.Data.Common;
using Npgsql;

namespace OaiProxy.Storage.Database;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>; several proxy instances can share it.</summary>
internal sealed class PostgresDatabase : StorageDatabase
{
    private const long MigrationLockId = 0x6F61_6970_726F_7879; // "oaiproxy"
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _description = $"PostgreSQL database \"{builder.Database}\" on {builder.Host}:{builder.Port}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override string Kind => "postgresql";

    public override string Description => _description;

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    internal override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLockId})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Accepts Npgsql's <c>Host=...;Username=...</c> form and <c>postgres://user:pass@host:port/db?sslmode=...</c> URLs.</summary>
    public static string ToConnectionString(string url)
    {
        if (!url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return url;
        }
        var uri = new Uri(url);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2) builder[Uri.UnescapeDataString(kv[0]).Replace('_', ' ')] = Uri.UnescapeDataString(kv[1]);
        }
        return builder.ConnectionString;
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
