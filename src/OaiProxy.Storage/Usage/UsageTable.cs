using System.Text;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Usage;

/// <summary>Writes usage rows: many rows per statement, one transaction per batch, duplicates (replays) ignored.</summary>
internal static class UsageTable
{
    private const int RowsPerStatement = 100;
    private const string Columns = "id, created_at, key_id, key_group, connection, model, upstream_model, status, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_nanos, latency_ms, ttft_ms, stream, client_aborted";

    public static async Task InsertAsync(StorageDatabase database, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var start = 0; start < records.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, records.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder($"INSERT INTO usage_records ({Columns}) VALUES ");
            for (var i = 0; i < count; i++)
            {
                var r = records[start + i];
                object?[] values =
                [
                    r.Id, r.CreatedAt, r.KeyId, r.Group, r.Connection, r.Model, r.UpstreamModel, (long)r.Status,
                    r.PromptTokens, r.CompletionTokens, r.CachedTokens, r.ReasoningTokens, r.CostNanos,
                    r.LatencyMs, r.TtftMs, r.Stream ? 1L : 0L, r.ClientAborted ? 1L : 0L,
                ];
                sql.Append(i == 0 ? "(" : ", (");
                for (var c = 0; c < values.Length; c++)
                {
                    var name = $"p{i}_{c}";
                    sql.Append(c == 0 ? "@" : ", @").Append(name);
                    Sql.Add(command, name, values[c]);
                }
                sql.Append(')');
            }
            sql.Append(" ON CONFLICT (id) DO NOTHING");
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
