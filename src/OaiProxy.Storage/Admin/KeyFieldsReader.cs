using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Storage.Keys;

namespace OaiProxy.Storage.Admin;

/// <summary>Reads and checks the key fields of an admin request body against the config in force (groups, connections).</summary>
internal static class KeyFieldsReader
{
    private static readonly HashSet<string> Known = ["name", "group", "models", "connections", "metadata", "expires_at", "rpm", "tpm", "max_parallel", "budget"];

    public static KeyFields Read(JsonObject body, ProxyConfig config, out ProxyError? error)
    {
        var fields = new KeyFields();
        error = null;
        foreach (var (name, value) in body)
        {
            error = name switch
            {
                "name" => Str(value, name, v => fields.Name = v ?? ""),
                "group" => Group(value, config, fields),
                "models" => StrList(value, name, v => fields.Models = v),
                "connections" => Connections(value, config, fields),
                "metadata" => value is null or JsonObject ? Set(() => fields.Metadata = (JsonObject?)value?.DeepClone()) : Bad(name, "an object"),
                "expires_at" => Time(value, fields),
                "rpm" => Positive(value, name, v => fields.Rpm = v),
                "tpm" => Positive(value, name, v => fields.Tpm = v),
                "max_parallel" => Positive(value, name, v => fields.MaxParallel = v is null ? null : (int)Math.Min(v.Value, int.MaxValue)),
                "budget" => Budget(value, fields),
                _ => ProxyError.BadRequest($"Unknown field \"{name}\"; the fields are {string.Join(", ", Known.Order())}.", name),
            };
            if (error is not null) return fields;
        }
        return fields;
    }

    private static ProxyError? Set(Action apply)
    {
        apply();
        return null;
    }

    private static ProxyError Bad(string name, string expected) => ProxyError.BadRequest($"\"{name}\" must be {expected} or null.", name);

    private static ProxyError? Str(JsonNode? value, string name, Action<string?> apply)
    {
        if (value is null) return Set(() => apply(null));
        return value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? Set(() => apply(v.GetValue<string>())) : Bad(name, "a string");
    }

    private static ProxyError? StrList(JsonNode? value, string name, Action<IReadOnlyList<string>?> apply)
    {
        if (value is null) return Set(() => apply(null));
        if (value is not JsonArray array || array.Any(i => i is not JsonValue v || v.GetValueKind() != JsonValueKind.String)) return Bad(name, "a list of strings");
        return Set(() => apply(array.Select(i => i!.GetValue<string>()).ToList()));
    }

    private static ProxyError? Group(JsonNode? value, ProxyConfig config, KeyFields fields)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return ProxyError.BadRequest("\"group\" must be the name of a group of the config.", "group");
        var group = v.GetValue<string>();
        var known = config.Groups.Select(g => g.Name).ToList();
        if (known.Count > 0 && !known.Contains(group))
        {
            return ProxyError.BadRequest($"There is no group \"{group}\" in the config; use one of {string.Join(", ", known.Select(k => $"\"{k}\""))}.", "group");
        }
        fields.Group = group;
        return null;
    }

    private static ProxyError? Connections(JsonNode? value, ProxyConfig config, KeyFields fields)
    {
        var error = StrList(value, "connections", v => fields.Connections = v);
        if (error is not null || fields.Connections is null) return error;
        foreach (var name in fields.Connections)
        {
            if (name != "*" && config.FindConnection(name) is null)
            {
                return ProxyError.BadRequest($"There is no connection \"{name}\" in the config; use the names of [connections] or \"*\".", "connections");
            }
        }
        return null;
    }

    private static ProxyError? Time(JsonNode? value, KeyFields fields)
    {
        if (value is null) return Set(() => fields.ExpiresAt = null);
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var seconds))
        {
            return Set(() => fields.ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds));
        }
        if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String &&
            DateTimeOffset.TryParse(s.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return Set(() => fields.ExpiresAt = time);
        }
        return Bad("expires_at", "a Unix time in seconds or an ISO 8601 date-time");
    }

    private static ProxyError? Positive(JsonNode? value, string name, Action<long?> apply)
    {
        if (value is null) return Set(() => apply(null));
        return value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n > 0
            ? Set(() => apply(n))
            : Bad(name, "a whole number above 0");
    }

    private static ProxyError? Budget(JsonNode? value, KeyFields fields)
    {
        if (value is null) return Set(() => fields.Budget = null);
        if (value is JsonObject budget && budget["amount"] is JsonValue a && a.GetValueKind() == JsonValueKind.Number && a.GetValue<decimal>() > 0 &&
            budget["period"] is JsonValue p && p.GetValueKind() == JsonValueKind.String && BudgetConfig.Periods.Contains(p.GetValue<string>()) && budget.Count == 2)
        {
            return Set(() => fields.Budget = new BudgetConfig(a.GetValue<decimal>(), p.GetValue<string>()));
        }
        return Bad("budget", "{ \"amount\": dollars above 0, \"period\": \"daily\" | \"monthly\" | \"total\" }");
    }
}
