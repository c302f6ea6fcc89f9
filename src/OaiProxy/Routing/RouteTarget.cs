using OaiProxy.Configuration;

namespace OaiProxy.Routing;

/// <summary>A resolved target of one request: the connection and the model name to send it.</summary>
internal readonly record struct RouteTarget(ConnectionConfig Connection, string UpstreamModel, System.Text.Json.Nodes.JsonObject? Overrides = null);
