using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OaiProxy.Storage.Database;

/// <summary>
/// Inserts many rows inside the caller's transaction, one statement per row: sent as one <see cref="DbBatch"/> round
/// trip where the provider has batches (PostgreSQL), one prepared statement stepped once per row on SQLite
/// (<see cref="SqliteInsert"/>). Multi-row statements with named parameters cost SQLite a linear name lookup per
/// parameter (quadratic per statement), which took a third of the proxy's CPU under load.
/// </summary>
internal sealed class RowInsert
{
    private readonly string[] _columns;
    private readonly string _named;
    private readonly string _positional;

    /// <param name="table">The table.</param>
    /// <param name="columns">Its columns, in the order of the values each row gives.</param>
    /// <param name="suffix">What follows <c>VALUES (...)</c>, such as an <c>ON CONFLICT</c> clause; may be empty.</param>
    public RowInsert(string table, string[] columns, string suffix)
    {
        _columns = columns;
        var head = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES";
        _named = $"{head} (@{string.Join(", @", columns)}) {suffix}".TrimEnd();
        // Positional parameters: SQLite binds them by index, with no name lookup.
        _positional = $"{head} ({string.Join(", ", columns.Select((_, i) => $"?{i + 1}"))}) {suffix}".TrimEnd();
    }

    public async Task RunAsync<T>(DbConnection connection, DbTransaction transaction, IReadOnlyList<T> rows, Func<T, object?[]> values,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        if (!connection.CanCreateBatch)
        {
            SqliteInsert.Run((SqliteConnection)connection, _positional, rows, values);
            return;
        }
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var row in rows)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = _named;
            var columns = values(row);
            for (var i = 0; i < columns.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = _columns[i];
                parameter.Value = columns[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
