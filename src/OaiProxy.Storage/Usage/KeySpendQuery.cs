using OaiProxy.Configuration;
using OaiProxy.Storage.Database;
using OaiProxy.Storage.Keys;

namespace OaiProxy.Storage.Usage;

/// <summary>
/// What each key has used, from its usage records: requests and cost ever, the cost in its budget's current
/// period, and when it was last used. Informational: the limits module enforces budgets from its own counters.
/// </summary>
internal static class KeySpendQuery
{
    public sealed record Spend(long Requests, long CostNanos, long PeriodCostNanos, DateTimeOffset? PeriodStart, DateTimeOffset? LastUsedAt);

    public static async Task<Dictionary<string, Spend>> RunAsync(StorageDatabase database, IReadOnlyList<StoredKey> keys, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Spend>(StringComparer.Ordinal);
        if (keys.Count == 0) return result;
        var day = BudgetPeriod.Start("daily", now)!.Value;
        var month = BudgetPeriod.Start("monthly", now)!.Value;
        var ids = string.Join(", ", keys.Select((_, i) => $"@k{i}"));
        var sql = $"""
            SELECT key_id, COUNT(*), CAST(COALESCE(SUM(cost_nanos), 0) AS BIGINT),
                   CAST(COALESCE(SUM(CASE WHEN created_at >= @day THEN cost_nanos ELSE 0 END), 0) AS BIGINT),
                   CAST(COALESCE(SUM(CASE WHEN created_at >= @month THEN cost_nanos ELSE 0 END), 0) AS BIGINT), MAX(created_at)
            FROM usage_records WHERE key_id IN ({ids}) GROUP BY key_id
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, sql,
            [("day", day.ToUnixTimeMilliseconds()), ("month", month.ToUnixTimeMilliseconds()), .. keys.Select((k, i) => ($"k{i}", (object?)k.Id))]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new Dictionary<string, (long Requests, long Total, long Day, long Month, long Last)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetString(0)] = (Sql.Int64(reader, 1), Sql.Int64(reader, 2), Sql.Int64(reader, 3), Sql.Int64(reader, 4), Sql.Int64(reader, 5));
        }
        foreach (var key in keys)
        {
            rows.TryGetValue(key.Id, out var r);
            var period = key.Limits.Budget?.Period ?? "total";
            var periodCost = period switch { "daily" => r.Day, "monthly" => r.Month, _ => r.Total };
            result[key.Id] = new Spend(r.Requests, r.Total, periodCost, BudgetPeriod.Start(period, now),
                r.Requests == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.Last));
        }
        return result;
    }
}
