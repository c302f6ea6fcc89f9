using System.Data.Common;
using Microsoft.Data.Sqlite;
using OaiProxy.Logging;

namespace OaiProxy.Storage.Database;

/// <summary>
/// A SQLite file in WAL mode, so readers never block the usage writer and other processes (the CLI) can share it.
/// The file is created owner-only before SQLite opens it, and SQLite gives its <c>-wal</c> and <c>-shm</c> files
/// the database file's mode.
/// </summary>
internal sealed class SqliteDatabase : StorageDatabase
{
    private readonly string _connectionString;
    private bool _walSet;

    public SqliteDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 10, // also how long a writer waits for another process's lock
        }.ToString();
    }

    public string Path { get; }

    public override string Kind => "sqlite";

    public override string Description => $"SQLite file \"{Path}\"";

    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_walSet) PrivateFiles.EnsureExists(Path);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // WAL is a property of the file (set once); synchronous=NORMAL keeps commits safe from process crashes.
            command.CommandText = _walSet ? "PRAGMA synchronous=NORMAL;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            _walSet = true;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    internal override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask; // BeginTransaction is BEGIN IMMEDIATE: the write lock is already held

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
