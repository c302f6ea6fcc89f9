using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Endpoints;
using OaiProxy.Errors;
using OaiProxy.Storage.Usage;

namespace OaiProxy.Storage.Admin;

/// <summary><c>GET /admin/usage?group_by=key|group|model|connection&amp;from=&amp;to=&amp;interval=day</c>: request, token and cost totals.</summary>
internal sealed class UsageAdmin(StorageService storage, TimeProvider time)
{
    public async Task GetAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? groupBy = query["group_by"].ToString() is { Length: > 0 } g ? g : null;
        string? interval = query["interval"].ToString() is { Length: > 0 } i ? i : null;
        ProxyError? error = null;
        if (groupBy is not null && !UsageQuery.GroupColumns.ContainsKey(groupBy))
        {
            error = ProxyError.BadRequest($"group_by \"{groupBy}\" is not supported; use key, group, model or connection.", "group_by");
        }
        if (interval is not null and not "day") error = ProxyError.BadRequest($"interval \"{interval}\" is not supported; use day, or leave it out for totals.", "interval");
        var from = ParseTime(query["from"].ToString(), 0, "from", ref error);
        var to = ParseTime(query["to"].ToString(), time.GetUtcNow().ToUnixTimeMilliseconds() + 1, "to", ref error);
        if (error is not null)
        {
            await ResponseWriter.WriteErrorAsync(context, error);
            return;
        }
        var rows = await UsageQuery.RunAsync(storage.Keys!.Database, groupBy, interval == "day", from, to, context.RequestAborted);
        var data = new JsonArray();
        foreach (var row in rows)
        {
            var item = new JsonObject();
            if (groupBy is not null) item[groupBy] = row.Name;
            if (row.Day is { } day) item["day"] = DateTimeOffset.FromUnixTimeMilliseconds(day * UsageQuery.DayMs).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            item["requests"] = row.Requests;
            item["prompt_tokens"] = row.PromptTokens;
            item["completion_tokens"] = row.CompletionTokens;
            item["total_tokens"] = row.PromptTokens + row.CompletionTokens;
            item["cached_tokens"] = row.CachedTokens;
            item["reasoning_tokens"] = row.ReasoningTokens;
            item["cost"] = row.CostNanos / 1_000_000_000m;
            data.Add(item);
        }
        await AdminJson.WriteAsync(context, new JsonObject
        {
            ["object"] = "list",
            ["group_by"] = groupBy,
            ["interval"] = interval,
            ["from"] = from / 1000,
            ["to"] = to / 1000,
            ["data"] = data,
        });
    }

    /// <summary>Unix seconds or an ISO 8601 date / date-time (UTC unless it says otherwise), as Unix milliseconds.</summary>
    private static long ParseTime(string text, long fallback, string name, ref ProxyError? error)
    {
        if (text.Length == 0) return fallback;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)) return seconds * 1000;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time.ToUnixTimeMilliseconds();
        error ??= ProxyError.BadRequest($"{name} \"{text}\" is not a time; use Unix seconds or an ISO 8601 date such as 2025-01-31.", name);
        return fallback;
    }
}
