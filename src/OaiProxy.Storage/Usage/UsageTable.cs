using System.Data.Common;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Usage;

/// <summary>
/// Writes usage rows in one transaction per batch, duplicates (replays) ignored. Each row is the same one-row
/// statement: prepared once and re-bound on SQLite, sent as one <see cref="DbBatch"/> round trip where the provider
/// has batches (PostgreSQL). Multi-row statements with named parameters cost SQLite a linear name lookup per
/// parameter (quadratic per statement), which took a third of the proxy's CPU under load.
/// </summary>
internal static class UsageTable
{
    private const string Insert = """
        INSERT INTO usage_records (id, created_at, key_id, key_group, connection, model, upstream_model, status, prompt_tokens,
            completion_tokens, cached_tokens, reasoning_tokens, cost_nanos, latency_ms, ttft_ms, stream, client_aborted)
        VALUES (@id, @created_at, @key_id, @key_group, @connection, @model, @upstream_model, @status, @prompt_tokens,
            @completion_tokens, @cached_tokens, @reasoning_tokens, @cost_nanos, @latency_ms, @ttft_ms, @stream, @client_aborted)
        ON CONFLICT (id) DO NOTHING
        """;

    private static readonly string[] ParameterNames =
    [
        "id", "created_at", "key_id", "key_group", "connection", "model", "upstream_model", "status", "prompt_tokens",
        "completion_tokens", "cached_tokens", "reasoning_tokens", "cost_nanos", "latency_ms", "ttft_ms", "stream", "client_aborted",
    ];

    public static async Task InsertAsync(StorageDatabase database, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection.CanCreateBatch) await InsertBatchAsync(connection, transaction, records, cancellationToken);
        else await InsertPreparedAsync(connection, transaction, records, cancellationToken);
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

    private static async Task InsertPreparedAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Insert;
        foreach (var name in ParameterNames) Sql.Add(command, name, null);
        await command.PrepareAsync(cancellationToken);
        foreach (var record in records)
        {
            var values = Values(record);
            for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static object?[] Values(UsageRecord r) =>
    [
        r.Id, r.CreatedAt, r.KeyId, r.Group, r.Connection, r.Model, r.UpstreamModel, (long)r.Status,
        r.PromptTokens, r.CompletionTokens, r.CachedTokens, r.ReasoningTokens, r.CostNanos,
        r.LatencyMs, r.TtftMs, r.Stream ? 1L : 0L, r.ClientAborted ? 1L : 0L,
    ];
}
