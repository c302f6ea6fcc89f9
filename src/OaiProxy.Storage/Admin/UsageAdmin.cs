using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Endpoints;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Storage.Usage;

namespace OaiProxy.Storage.Admin;

/// <summary>
/// <c>GET /admin/usage?group_by=key|group|model|connection|endpoint&amp;from=&amp;to=&amp;interval=hour|day&amp;key=&amp;group=&amp;model=&amp;connection=&amp;endpoint=</c>:
/// request, error, token, cost and latency totals. <c>endpoint</c> takes only the names of
/// <see cref="OperationNames.All"/>, the values the column holds.
/// </summary>
internal sealed class UsageAdmin(StorageService storage, TimeProvider time)
{
    public async Task GetAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var groupBy = query["group_by"].ToString() is { Length: > 0 } g ? g : null;
        var interval = query["interval"].ToString() is { Length: > 0 } i ? i : null;
        ProxyError? error = null;
        if (groupBy is not null && !UsageQuery.GroupColumns.ContainsKey(groupBy))
        {
            error = ProxyError.BadRequest($"group_by \"{groupBy}\" is not supported; use key, group, model, connection or endpoint.", "group_by");
        }
        long? bucketMs = interval switch
        {
            null => null,
            "hour" => UsageQuery.HourMs,
            "day" => UsageQuery.DayMs,
            _ => null,
        };
        if (interval is not null && bucketMs is null) error = ProxyError.BadRequest($"interval \"{interval}\" is not supported; use hour or day, or leave it out for totals.", "interval");
        var from = ParseTime(query["from"].ToString(), 0, "from", ref error);
        var to = ParseTime(query["to"].ToString(), time.GetUtcNow().ToUnixTimeMilliseconds() + 1, "to", ref error);
        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in UsageQuery.GroupColumns.Keys)
        {
            if (query[name].ToString() is { Length: > 0 } value) filters[name] = value;
        }
        if (filters.TryGetValue("endpoint", out var endpoint) && UsageRecord.KnownEndpoint(endpoint) is null)
        {
            error ??= ProxyError.BadRequest(
                $"endpoint \"{endpoint}\" is not one of the proxy's endpoints; use one of {string.Join(", ", OperationNames.All)}.", "endpoint");
        }
        if (error is not null)
        {
            await ModuleEndpoints.WriteErrorAsync(context, error);
            return;
        }
        var rows = await UsageQuery.RunAsync(storage.Keys!.Database, new UsageQuery.Request(groupBy, bucketMs, from, to, filters), context.RequestAborted);
        var data = new JsonArray();
        foreach (var row in rows) data.Add((JsonNode)UsageRowJson.Write(row, groupBy, interval));
        await AdminJson.WriteAsync(context, new JsonObject
        {
            ["object"] = "list",
            ["group_by"] = groupBy,
            ["interval"] = interval,
            ["from"] = from / 1000,
            ["to"] = to / 1000,
            ["filters"] = new JsonObject(filters.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
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
