using System.Globalization;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Usage;

/// <summary>
/// Totals of usage records over a time range, optionally by key, group, model, connection or endpoint, by UTC hour
/// or day, and narrowed to one key, group, model, connection or endpoint. Latency is returned as sums and counts so callers can
/// average exactly across rows; percentiles are left out because SQLite has no portable percentile function.
/// </summary>
internal static class UsageQuery
{
    public const long HourMs = 3_600_000;
    public const long DayMs = 86_400_000;

    /// <summary>API names of <c>group_by</c> and of the filters, and their columns; nothing else ever reaches the SQL text.</summary>
    public static readonly IReadOnlyDictionary<string, string> GroupColumns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["key"] = "key_id",
        ["group"] = "key_group",
        ["model"] = "model",
        ["connection"] = "connection",
        ["endpoint"] = "endpoint",
    };

    /// <summary>What to total: <paramref name="BucketMs"/> is <see cref="HourMs"/>, <see cref="DayMs"/> or null for one bucket.</summary>
    public sealed record Request(string? GroupBy, long? BucketMs, long FromMs, long ToMs, IReadOnlyDictionary<string, string> Filters);

    public sealed record Row(string? Name, long? BucketStartMs, long Requests, long Errors, long PromptTokens, long CompletionTokens, long CachedTokens,
        long ReasoningTokens, long CostNanos, long LatencySumMs, long LatencyCount, long? LatencyMaxMs, long TtftSumMs, long TtftCount);

    public static async Task<List<Row>> RunAsync(StorageDatabase database, Request request, CancellationToken cancellationToken)
    {
        var column = request.GroupBy is null ? null : GroupColumns[request.GroupBy];
        var bucket = request.BucketMs is { } ms ? $"(created_at / {ms}) * {ms}" : null;
        var groups = new[] { column, bucket }.OfType<string>().ToList();
        var groupClause = groups.Count == 0 ? "" : " GROUP BY " + string.Join(", ", groups) + " ORDER BY " + string.Join(", ", groups);
        var parameters = new List<(string, object?)> { ("from", request.FromMs), ("to", request.ToMs) };
        var where = "created_at >= @from AND created_at < @to";
        foreach (var (name, value) in request.Filters)
        {
            where += $" AND {GroupColumns[name]} = @f_{name}";
            parameters.Add(($"f_{name}", value));
        }
        var sql = $"""
            SELECT {column ?? "NULL"}, {bucket ?? "NULL"}, COUNT(*), {Sum("CASE WHEN status >= 400 THEN 1 ELSE 0 END")},
                   {Sum("prompt_tokens")}, {Sum("completion_tokens")}, {Sum("cached_tokens")}, {Sum("reasoning_tokens")}, {Sum("cost_nanos")},
                   {Sum("latency_ms")}, COUNT(latency_ms), MAX(latency_ms), {Sum("ttft_ms")}, COUNT(ttft_ms)
            FROM usage_records WHERE {where}{groupClause}
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, sql, [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture), Sql.Int64OrNull(reader, 1),
                Sql.Int64(reader, 2), Sql.Int64(reader, 3), Sql.Int64(reader, 4), Sql.Int64(reader, 5), Sql.Int64(reader, 6), Sql.Int64(reader, 7),
                Sql.Int64(reader, 8), Sql.Int64(reader, 9), Sql.Int64(reader, 10), Sql.Int64OrNull(reader, 11), Sql.Int64(reader, 12), Sql.Int64(reader, 13)));
        }
        return rows;
    }

    /// <summary>SQLite sums integers as integers and PostgreSQL as NUMERIC; the cast makes both BIGINT, and an empty range 0.</summary>
    private static string Sum(string expression) => $"CAST(COALESCE(SUM({expression}), 0) AS BIGINT)";
}
