using System.Buffers;
using System.Data.Common;
using System.Text;
using System.Text.Json;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Usage;

/// <summary>
/// Writes usage rows in one transaction per batch, duplicates (replays) ignored: one statement per row sent as one
/// <see cref="DbBatch"/> round trip where the provider has batches (PostgreSQL), one JSON-fed statement per batch
/// on SQLite. Multi-row statements with named parameters cost SQLite a linear name lookup per parameter (quadratic
/// per statement), which took a third of the proxy's CPU under load.
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

    // "WHERE true" keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    private static readonly string InsertFromJson = $"""
        INSERT INTO usage_records ({string.Join(", ", ParameterNames)})
        SELECT {string.Join(", ", Enumerable.Range(0, ParameterNames.Length).Select(i => $"json_extract(value, '$[{i}]')"))} FROM json_each(@rows) WHERE true
        ON CONFLICT (id) DO NOTHING
        """;

    public static async Task InsertAsync(StorageDatabase database, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (connection.CanCreateBatch) await InsertBatchAsync(connection, transaction, records, cancellationToken);
        else await InsertJsonAsync(connection, transaction, records, cancellationToken);
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

    /// <summary>
    /// SQLite: the whole batch as one JSON array bound to one parameter and unpacked by <c>json_each</c>, so the
    /// statement is parsed and bound once per batch (Microsoft.Data.Sqlite looks each named parameter up again on
    /// every execution, which cost more than the inserts themselves).
    /// </summary>
    private static async Task InsertJsonAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        var rows = new ArrayBufferWriter<byte>(records.Count * 256);
        using (var writer = new Utf8JsonWriter(rows))
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                writer.WriteStartArray();
                foreach (var value in Values(record))
                {
                    switch (value)
                    {
                        case null: writer.WriteNullValue(); break;
                        case string text: writer.WriteStringValue(text); break;
                        default: writer.WriteNumberValue((long)value); break;
                    }
                }
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        await Sql.ExecuteAsync(connection, transaction, InsertFromJson, cancellationToken, ("rows", Encoding.UTF8.GetString(rows.WrittenSpan)));
    }

    private static object?[] Values(UsageRecord r) =>
    [
        r.Id, r.CreatedAt, r.KeyId, r.Group, r.Connection, r.Model, r.UpstreamModel, (long)r.Status,
        r.PromptTokens, r.CompletionTokens, r.CachedTokens, r.ReasoningTokens, r.CostNanos,
        r.LatencyMs, r.TtftMs, r.Stream ? 1L : 0L, r.ClientAborted ? 1L : 0L,
    ];
}
