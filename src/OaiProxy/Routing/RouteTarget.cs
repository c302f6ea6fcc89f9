using OaiProxy.Configuration;

namespace OaiProxy.Routing;

/// <summary>A resolved target of one request: the connection and the model name to send it.</summary>
public readonly record struct RouteTarget(ConnectionConfig Connection, string UpstreamModel, System.Text.Json.Nodes.JsonObject? Overrides = null);
