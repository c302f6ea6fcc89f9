using System.Data.Common;
using System.Text.Json.Nodes;
using OaiProxy.Configuration;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Keys;

/// <summary>Maps <c>api_keys</c> rows to <see cref="StoredKey"/> and key fields to column values.</summary>
internal static class KeyRows
{
    public const string Columns = "id, name, key_group, models, connections, metadata, rpm, tpm, max_parallel, budget_nanos, budget_period, expires_at, created_at, updated_at, revoked_at, rotated_at";

    public static StoredKey Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        Group = r.GetString(2),
        Models = ReadList(Sql.StringOrNull(r, 3)),
        Connections = ReadList(Sql.StringOrNull(r, 4)),
        Metadata = Sql.StringOrNull(r, 5) is { } metadata ? JsonNode.Parse(metadata) as JsonObject : null,
        Limits = new LimitsConfig(
            Sql.Int64OrNull(r, 6),
            Sql.Int64OrNull(r, 7),
            (int?)Sql.Int64OrNull(r, 8),
            Sql.Int64OrNull(r, 9) is { } nanos ? new BudgetConfig(nanos / 1_000_000_000m, Sql.StringOrNull(r, 10) ?? "total") : null),
        ExpiresAt = Time(Sql.Int64OrNull(r, 11)),
        CreatedAt = Time(Sql.Int64(r, 12))!.Value,
        UpdatedAt = Time(Sql.Int64(r, 13))!.Value,
        RevokedAt = Time(Sql.Int64OrNull(r, 14)),
        RotatedAt = Time(Sql.Int64OrNull(r, 15)),
    };

    /// <summary>Column values of the settable fields, by column name, for the fields present.</summary>
    public static List<(string Column, object? Value)> Values(KeyFields fields)
    {
        var values = new List<(string, object?)>();
        if (fields.Has("name")) values.Add(("name", fields.Name ?? ""));
        if (fields.Has("group")) values.Add(("key_group", fields.Group ?? "default"));
        if (fields.Has("models")) values.Add(("models", WriteList(fields.Models)));
        if (fields.Has("connections")) values.Add(("connections", WriteList(fields.Connections)));
        if (fields.Has("metadata")) values.Add(("metadata", fields.Metadata?.ToJsonString()));
        if (fields.Has("rpm")) values.Add(("rpm", fields.Rpm));
        if (fields.Has("tpm")) values.Add(("tpm", fields.Tpm));
        if (fields.Has("max_parallel")) values.Add(("max_parallel", (long?)fields.MaxParallel));
        if (fields.Has("budget"))
        {
            values.Add(("budget_nanos", fields.Budget is null ? null : (long)Math.Round(fields.Budget.Amount * 1_000_000_000m)));
            values.Add(("budget_period", fields.Budget?.Period));
        }
        if (fields.Has("expires_at")) values.Add(("expires_at", fields.ExpiresAt?.ToUnixTimeMilliseconds()));
        return values;
    }

    public static DateTimeOffset? Time(long? unixMilliseconds) =>
        unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static string? WriteList(IReadOnlyList<string>? list) =>
        list is null ? null : new JsonArray(list.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()).ToJsonString();

    private static List<string>? ReadList(string? json) =>
        json is null ? null : JsonNode.Parse(json)!.AsArray().Select(n => n!.GetValue<string>()).ToList();
}
