using System.Text.Json.Nodes;
using OaiProxy.Storage.Keys;
using OaiProxy.Storage.Usage;

namespace OaiProxy.Storage.Admin;

/// <summary>The admin API's JSON for a key. The secret appears only when passed in, right after create or rotate.</summary>
internal static class KeyJson
{
    public static JsonObject Write(StoredKey key, DateTimeOffset now, string? secret = null)
    {
        var json = new JsonObject
        {
            ["id"] = key.Id,
            ["object"] = "api_key",
        };
        if (secret is not null) json["key"] = secret;
        json["name"] = key.Name;
        json["group"] = key.Group;
        json["models"] = List(key.Models);
        json["connections"] = List(key.Connections);
        json["metadata"] = key.Metadata?.DeepClone();
        json["rpm"] = key.Limits.Rpm;
        json["tpm"] = key.Limits.Tpm;
        json["max_parallel"] = key.Limits.MaxParallel;
        json["budget"] = key.Limits.Budget is { } budget ? new JsonObject { ["amount"] = budget.Amount, ["period"] = budget.Period } : null;
        json["expires_at"] = Seconds(key.ExpiresAt);
        json["created_at"] = Seconds(key.CreatedAt);
        json["updated_at"] = Seconds(key.UpdatedAt);
        json["revoked_at"] = Seconds(key.RevokedAt);
        json["rotated_at"] = Seconds(key.RotatedAt);
        json["active"] = key.IsActive(now);
        json["secrets"] = new JsonArray(key.Secrets.Select(s => (JsonNode)new JsonObject
        {
            ["hint"] = s.Hint,
            ["created_at"] = Seconds(s.CreatedAt),
            ["expires_at"] = Seconds(s.ExpiresAt),
        }).ToArray());
        return json;
    }

    /// <summary>Adds what the key used, from its usage records (list and get only: the other answers are about the change).</summary>
    public static JsonObject WithUsage(JsonObject json, KeySpendQuery.Spend spend)
    {
        json["usage"] = new JsonObject
        {
            ["requests"] = spend.Requests,
            ["cost"] = UsageRowJson.Usd(spend.CostNanos),
            ["period_cost"] = UsageRowJson.Usd(spend.PeriodCostNanos),
            ["period_start"] = Seconds(spend.PeriodStart),
            ["last_used_at"] = Seconds(spend.LastUsedAt),
        };
        return json;
    }

    public static long? Seconds(DateTimeOffset? time) => time?.ToUnixTimeSeconds();

    private static JsonArray? List(IReadOnlyList<string>? items) =>
        items is null ? null : new JsonArray(items.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
}
