using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Usage;

/// <summary>Writes usage rows in one transaction per batch (see <see cref="RowInsert"/>), duplicates (replays) ignored.</summary>
internal static class UsageTable
{
    private static readonly RowInsert Insert = new("usage_records",
    [
        "id", "created_at", "key_id", "key_group", "connection", "model", "upstream_model", "status", "prompt_tokens",
        "completion_tokens", "cached_tokens", "reasoning_tokens", "cost_nanos", "latency_ms", "ttft_ms", "stream", "client_aborted",
        "endpoint",
    ], "ON CONFLICT (id) DO NOTHING");

    public static async Task InsertAsync(StorageDatabase database, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Insert.RunAsync(connection, transaction, records, Values, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static object?[] Values(UsageRecord r) =>
    [
        r.Id, r.CreatedAt, r.KeyId, r.Group, r.Connection, r.Model, r.UpstreamModel, (long)r.Status,
        r.PromptTokens, r.CompletionTokens, r.CachedTokens, r.ReasoningTokens, r.CostNanos,
        r.LatencyMs, r.TtftMs, r.Stream ? 1L : 0L, r.ClientAborted ? 1L : 0L,
        r.Endpoint,
    ];
}
