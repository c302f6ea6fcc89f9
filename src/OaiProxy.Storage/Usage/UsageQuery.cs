using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Usage;

/// <summary>Totals of usage records over a time range, optionally by key, group, model or connection, and by UTC day.</summary>
internal static class UsageQuery
{
    public const long DayMs = 86_400_000;

    /// <summary>API names of <c>group_by</c> and their columns; nothing else ever reaches the SQL text.</summary>
    public static readonly IReadOnlyDictionary<string, string> GroupColumns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["key"] = "key_id",
        ["group"] = "key_group",
        ["model"] = "model",
        ["connection"] = "connection",
    };

    public sealed record Row(string? Name, long? Day, long Requests, long PromptTokens, long CompletionTokens, long CachedTokens, long ReasoningTokens, long CostNanos);

    public static async Task<List<Row>> RunAsync(StorageDatabase database, string? groupBy, bool byDay, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var column = groupBy is null ? null : GroupColumns[groupBy];
        var select = new List<string> { column ?? "NULL", byDay ? $"created_at / {DayMs}" : "NULL" };
        var groups = new List<string>();
        if (column is not null) groups.Add(column);
        if (byDay) groups.Add($"created_at / {DayMs}");
        var groupClause = groups.Count == 0 ? "" : " GROUP BY " + string.Join(", ", groups) + " ORDER BY " + string.Join(", ", groups);
        var sql = $"""
            SELECT {select[0]}, {select[1]}, COUNT(*), CAST(COALESCE(SUM(prompt_tokens), 0) AS BIGINT), CAST(COALESCE(SUM(completion_tokens), 0) AS BIGINT),
                   CAST(COALESCE(SUM(cached_tokens), 0) AS BIGINT), CAST(COALESCE(SUM(reasoning_tokens), 0) AS BIGINT), CAST(COALESCE(SUM(cost_nanos), 0) AS BIGINT)
            FROM usage_records WHERE created_at >= @from AND created_at < @to{groupClause}
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, sql, ("from", fromMs), ("to", toMs));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var requests = Sql.Int64(reader, 2);
            if (requests == 0 && groups.Count == 0 && rows.Count > 0) continue;
            rows.Add(new Row(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
                Sql.Int64OrNull(reader, 1), requests, Sql.Int64(reader, 3), Sql.Int64(reader, 4), Sql.Int64(reader, 5), Sql.Int64(reader, 6), Sql.Int64(reader, 7)));
        }
        return rows;
    }
}
