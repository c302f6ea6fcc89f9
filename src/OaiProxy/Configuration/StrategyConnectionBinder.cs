using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// Binds lm-proxy's <c>lm_proxy.strategies.Fallback</c> connections: <c>connections</c> as a list
/// (<c>["local.model-a", "openai"]</c>) or a table (<c>{ openai = { model = "gpt-5", reasoning_effort = "low" } }</c>).
/// </summary>
internal static class StrategyConnectionBinder
{
    private static readonly string[] FallbackNames = ["lm_proxy.strategies.Fallback", "lm_proxy.strategies.fallback.Fallback", "fallback"];

    public static StrategyConnectionConfig? Bind(ConfigSection s, string name)
    {
        var className = s.String("class");
        if (className is null || !FallbackNames.Contains(className))
        {
            s.Errors.Add(s.PathOf("class"), $"\"{className}\" is not a connection strategy; the built-in one is \"lm_proxy.strategies.Fallback\". Remove class for a plain connection.");
            s.ReportUnknownKeys(s.Keys);
            return null;
        }
        var members = new List<StrategyMember>();
        switch (s.Raw("connections"))
        {
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is null || s.AsString(list[i]!, $"{s.PathOf("connections")}[{i}]") is not { } text) continue;
                    var dot = text.IndexOf('.', StringComparison.Ordinal);
                    members.Add(dot < 0 ? new StrategyMember(text, null, null) : new StrategyMember(text[..dot], text[(dot + 1)..], null));
                }
                break;
            case JsonObject table:
                foreach (var (member, value) in table)
                {
                    var overrides = value as JsonObject is { } obj ? (JsonObject)obj.DeepClone() : new JsonObject();
                    var model = overrides.Remove("model", out var m) ? m?.GetValue<string>() : null;
                    members.Add(new StrategyMember(member, model, overrides.Count > 0 ? overrides : null));
                }
                break;
            default:
                s.Errors.Add(s.PathOf("connections"), "A Fallback connection needs connections = [\"a\", \"b.model\"] or a table of connection = { model = ... }.");
                break;
        }
        s.ReportUnknownKeys();
        if (members.Count < 2 && members.Count > 0)
        {
            s.Errors.Add(s.PathOf("connections"), "A Fallback needs at least 2 connections; route directly to a single one instead.");
        }
        return members.Count >= 2 ? new StrategyConnectionConfig(name, members) : null;
    }

    public static void Validate(ConfigSection root, IReadOnlyList<StrategyConnectionConfig> strategies, IReadOnlyList<string> connections)
    {
        foreach (var strategy in strategies)
        {
            foreach (var member in strategy.Members.Where(m => !connections.Contains(m.Connection)))
            {
                root.Errors.Add($"connections.{strategy.Name}.connections",
                    $"\"{member.Connection}\" is not a configured connection (a Fallback can only name real connections).{DidYouMean.Hint(member.Connection, connections)}");
            }
        }
    }
}
