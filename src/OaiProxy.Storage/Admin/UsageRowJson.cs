using System.Globalization;
using System.Text.Json.Nodes;
using OaiProxy.Storage.Usage;

namespace OaiProxy.Storage.Admin;

/// <summary>The admin API's JSON for one row of usage totals.</summary>
internal static class UsageRowJson
{
    public static JsonObject Write(UsageQuery.Row row, string? groupBy, string? interval)
    {
        var item = new JsonObject();
        if (groupBy is not null) item[groupBy] = row.Name;
        if (row.BucketStartMs is { } start)
        {
            item["start"] = start / 1000;
            if (interval == "day") item["day"] = DateTimeOffset.FromUnixTimeMilliseconds(start).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        item["requests"] = row.Requests;
        item["errors"] = row.Errors;
        item["prompt_tokens"] = row.PromptTokens;
        item["completion_tokens"] = row.CompletionTokens;
        item["total_tokens"] = row.PromptTokens + row.CompletionTokens;
        item["cached_tokens"] = row.CachedTokens;
        item["reasoning_tokens"] = row.ReasoningTokens;
        item["cost"] = Usd(row.CostNanos);
        item["latency_ms_avg"] = Average(row.LatencySumMs, row.LatencyCount);
        item["latency_ms_max"] = row.LatencyMaxMs;
        item["ttft_ms_avg"] = Average(row.TtftSumMs, row.TtftCount);
        return item;
    }

    public static decimal Usd(long nanos) => nanos / 1_000_000_000m;

    /// <summary>To a tenth of a millisecond; null when no record of the row had the measure.</summary>
    private static double? Average(long sum, long count) => count == 0 ? null : Math.Round((double)sum / count, 1);
}
