using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>Binds <c>[groups.*]</c>; without any group, one unrestricted <c>default</c> group exists, as in lm-proxy.</summary>
internal static class GroupsBinder
{
    public static List<GroupConfig> Bind(ConfigSection root, IReadOnlyList<string> connections)
    {
        var result = new List<GroupConfig>();
        var section = root.Section("groups");
        if (section is null) return [new GroupConfig("default")];
        foreach (var (name, node) in section.Node)
        {
            section.MarkRead(name);
            if (node is not JsonObject table)
            {
                root.Errors.Add(section.PathOf(name), $"Expected a table with api_keys and allowed_connections, found {ConfigSection.Describe(node)}.");
                continue;
            }
            var s = section.Child(table, name);
            var allowed = s.StringList("allowed_connections", splitCommas: true);
            foreach (var connection in allowed ?? [])
            {
                if (connection != "*" && !connections.Contains(connection))
                {
                    s.Errors.Add(s.PathOf("allowed_connections"), $"\"{connection}\" is not a configured connection.{DidYouMean.Hint(connection, connections)}");
                }
            }
            var (allowedHeaders, allowedBetas) = GatedHeaders.Bind(s);
            result.Add(new GroupConfig(name)
            {
                AllowedClientHeaders = allowedHeaders,
                AllowedAnthropicBetas = allowedBetas ?? [],
                ApiKeys = s.StringList("api_keys") ?? [],
                AllowedConnections = allowed is null || allowed.Contains("*") ? null : allowed,
                Limits = LimitsBinder.Bind(s, allowBudget: true),
            });
            s.ReportUnknownKeys();
        }
        if (result.Count == 0) result.Add(new GroupConfig("default"));
        return result;
    }
}
