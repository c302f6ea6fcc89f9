using System.Data.Common;
using Microsoft.Data.Sqlite;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Usage;

/// <summary>
/// Writes usage rows in one transaction per batch, duplicates (replays) ignored: one statement per row sent as one
/// <see cref="DbBatch"/> round trip where the provider has batches (PostgreSQL), one prepared statement stepped once
/// per row on SQLite (<see cref="SqliteInsert"/>). Multi-row statements with named parameters cost SQLite a linear
/// name lookup per parameter (quadratic per statement), which took a third of the proxy's CPU under load.
/// </summary>
internal static class UsageTable
{
    private static readonly string[] ParameterNames =
    [
        "id", "created_at", "key_id", "key_group", "connection", "model", "upstream_model", "status", "prompt_tokens",
        "completion_tokens", "cached_tokens", "reasoning_tokens", "cost_nanos", "latency_ms", "ttft_ms", "stream", "client_aborted",
    ];

    private static readonly string Insert =
        $"INSERT INTO usage_records ({string.Join(", ", ParameterNames)}) VALUES (@{string.Join(", @", ParameterNames)}) ON CONFLICT (id) DO NOTHING";

    // Positional parameters: SQLite binds them by index, with no name lookup.
    private static readonly string InsertPositional =
        $"INSERT INTO usage_records ({string.Join(", ", ParameterNames)}) VALUES ({string.Join(", ", ParameterNames.Select((_, i) => $"?{i + 1}"))}) ON CONFLICT (id) DO NOTHING";

    public static async Task InsertAsync(StorageDatabase database, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection.CanCreateBatch) await InsertBatchAsync(connection, transaction, records, cancellationToken);
        else SqliteInsert.Run((SqliteConnection)connection, InsertPositional, records, Values);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task InsertBatchAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var record in records)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = Insert;
            var values = Values(record);
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = ParameterNames[i];
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object?[] Values(UsageRecord r) =>
    [
        r.Id, r.CreatedAt, r.KeyId, r.Group, r.Connection, r.Model, r.UpstreamModel, (long)r.Status,
        r.PromptTokens, r.CompletionTokens, r.CachedTokens, r.ReasoningTokens, r.CostNanos,
        r.LatencyMs, r.TtftMs, r.Stream ? 1L : 0L, r.ClientAborted ? 1L : 0L,
    ];
}
