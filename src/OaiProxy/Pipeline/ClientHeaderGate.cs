using OaiProxy.Configuration;

namespace OaiProxy.Pipeline;

/// <summary>
/// What one target gets of the client headers that change billing or features at the provider
/// (<see cref="GatedHeaders"/>): the others pass as the <c>before</c> handlers put them; a gated header passes only
/// where the connection's or the group's <c>allowed_client_headers</c> names it, and <c>anthropic-beta</c> keeps only
/// the values <c>allowed_anthropic_betas</c> of either lists (the header is dropped when none is left).
/// </summary>
internal static class ClientHeaderGate
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(IReadOnlyList<KeyValuePair<string, string>> headers, ConnectionConfig connection,
        GroupConfig? group)
    {
        if (!headers.Any(h => GatedHeaders.Names.Contains(h.Key))) return headers;
        var result = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var (name, value) in headers)
        {
            if (!GatedHeaders.Names.Contains(name)) result.Add(new(name, value));
            else if (name.Equals(GatedHeaders.AnthropicBeta, StringComparison.OrdinalIgnoreCase))
            {
                if (AnthropicBetas(value, connection, group) is { } kept) result.Add(new(name, kept));
            }
            else if (Lists(connection.AllowedClientHeaders, group?.AllowedClientHeaders, name)) result.Add(new(name, value));
        }
        return result;
    }

    /// <summary>The client's <c>anthropic-beta</c> with only the allowed values, comma-separated; null when none is left.</summary>
    public static string? AnthropicBetas(string? value, ConnectionConfig connection, GroupConfig? group)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var kept = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(beta => Lists(connection.AllowedAnthropicBetas, group?.AllowedAnthropicBetas, beta))
            .ToList();
        return kept.Count == 0 ? null : string.Join(',', kept);
    }

    private static bool Lists(IReadOnlyList<string> connection, IReadOnlyList<string>? group, string value) =>
        Allows(connection, value) || (group is not null && Allows(group, value));

    private static bool Allows(IReadOnlyList<string> allowed, string value)
    {
        foreach (var entry in allowed)
        {
            if (entry == GatedHeaders.AnyBeta || entry.Equals(value, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
