using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// lm-proxy's strategy connection (<c>class = "lm_proxy.strategies.Fallback"</c>, <c>connections = [...]</c>): not an
/// upstream itself, but a name that routes expand into an ordered list of real connections.
/// </summary>
public sealed record StrategyConnectionConfig(string Name, IReadOnlyList<StrategyMember> Members);

/// <summary>One member of a strategy connection: a real connection, an optional model, optional request overrides.</summary>
public sealed record StrategyMember(string Connection, string? Model, JsonObject? Overrides);
