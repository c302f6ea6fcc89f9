using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// Binds <c>[routing]</c>: <c>"pattern" = "conn.model"</c>, a list of targets (fallback in order), or a table
/// <c>{ targets = [...], strategy = "...", weights = [...] }</c>.
/// </summary>
internal static class RoutingBinder
{
    private static readonly Dictionary<string, RouteStrategy> Strategies = new(StringComparer.Ordinal)
    {
        ["fallback"] = RouteStrategy.Fallback,
        ["round_robin"] = RouteStrategy.RoundRobin,
        ["weighted"] = RouteStrategy.Weighted,
        ["least_busy"] = RouteStrategy.LeastBusy,
        ["lowest_latency"] = RouteStrategy.LowestLatency,
    };

    public static List<RouteConfig> Bind(ConfigSection root, IReadOnlyList<string> connections, IReadOnlyList<StrategyConnectionConfig> strategies)
    {
        var result = new List<RouteConfig>();
        var section = root.Section("routing");
        if (section is null) return result;
        foreach (var (pattern, node) in section.Node)
        {
            section.MarkRead(pattern);
            var path = section.PathOf(pattern);
            var route = node switch
            {
                JsonObject table => BindTable(section.Child(table, pattern), pattern, connections, strategies),
                _ => BindTargets(section, node, path, connections, strategies) is { } targets ? new RouteConfig(pattern, targets) : null,
            };
            if (route is not null) result.Add(route);
        }
        return result;
    }

    private static RouteConfig? BindTable(ConfigSection s, string pattern, IReadOnlyList<string> connections, IReadOnlyList<StrategyConnectionConfig> strategies)
    {
        var targets = BindTargets(s, s.Raw("targets"), s.PathOf("targets"), connections, strategies);
        var strategy = s.Enum("strategy", RouteStrategy.Fallback, Strategies);
        List<double>? weights = null;
        if (s.Raw("weights") is JsonArray array)
        {
            weights = [];
            foreach (var item in array)
            {
                if (item is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && ConfigSection.ToDouble(v) is var w && w >= 0) weights.Add(w);
                else s.Errors.Add(s.PathOf("weights"), "Weights must be non-negative numbers.");
            }
            if (targets is not null && weights.Count != targets.Count)
            {
                s.Errors.Add(s.PathOf("weights"), $"There are {weights.Count} weights for {targets.Count} targets; give one weight per target.");
            }
        }
        else if (strategy == RouteStrategy.Weighted)
        {
            s.Errors.Add(s.PathOf("weights"), "The weighted strategy needs weights = [...], one per target.");
        }
        s.ReportUnknownKeys();
        return targets is null ? null : new RouteConfig(pattern, targets) { Strategy = strategy, Weights = weights };
    }

    private static List<RouteTargetConfig>? BindTargets(ConfigSection s, JsonNode? node, string path, IReadOnlyList<string> connections, IReadOnlyList<StrategyConnectionConfig> strategies)
    {
        var texts = new List<(string Text, string Path)>();
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && s.AsString(item, $"{path}[{i}]") is { } text) texts.Add((text, $"{path}[{i}]"));
                }
                break;
            case null:
                s.Errors.Add(path, "A route needs at least one target written \"connection.model\".");
                return null;
            default:
                if (s.AsString(node, path) is { } single) texts.Add((single, path));
                break;
        }
        if (texts.Count == 0)
        {
            s.Errors.Add(path, "A route needs at least one target written \"connection.model\".");
            return null;
        }
        var targets = new List<RouteTargetConfig>(texts.Count);
        var failed = false;
        foreach (var (text, itemPath) in texts)
        {
            if (Parse(s, text, itemPath, connections, strategies) is { } parsed) targets.AddRange(parsed);
            else failed = true;
        }
        return failed ? null : targets;
    }

    private static IEnumerable<RouteTargetConfig>? Parse(ConfigSection s, string text, string path, IReadOnlyList<string> connections, IReadOnlyList<StrategyConnectionConfig> strategies)
    {
        // Model names may contain dots (gpt-3.5-turbo), connection names may not: split at the first dot.
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var connection = dot < 0 ? text : text[..dot];
        var model = dot < 0 ? "*" : text[(dot + 1)..];
        if (model.Length == 0)
        {
            s.Errors.Add(path, $"\"{text}\" names no model; write \"{connection}.*\" to forward the requested name, or \"{connection}.MODEL\".");
            return null;
        }
        if (strategies.FirstOrDefault(x => x.Name == connection) is { } strategy)
        {
            // A strategy connection expands into its members; a member without a model takes the route's.
            return strategy.Members.Select(m => new RouteTargetConfig(m.Connection, m.Model ?? model) { Overrides = m.Overrides, Via = strategy.Name });
        }
        if (!connections.Contains(connection))
        {
            var known = connections.Concat(strategies.Select(x => x.Name)).ToList();
            s.Errors.Add(path, $"\"{text}\" names connection \"{connection}\", which is not configured.{DidYouMean.Hint(connection, known)}");
            return null;
        }
        return [new RouteTargetConfig(connection, model)];
    }
}
