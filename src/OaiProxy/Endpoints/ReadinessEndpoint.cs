using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OaiProxy.Dialects;
using OaiProxy.Resilience;
using OaiProxy.Runtime;

namespace OaiProxy.Endpoints;

/// <summary>
/// <c>GET /ready</c>: 200 while at least one connection takes traffic, 503 when every breaker is open, with each
/// connection's breaker state, consecutive failures, in-flight attempts and latency. No auth, no key material.
/// </summary>
internal sealed class ReadinessEndpoint(ProxyRuntime runtime, ConnectionHealthRegistry health)
{
    public Task HandleAsync(HttpContext context)
    {
        var config = runtime.Current.Config;
        var connections = new JsonObject();
        var anyUp = false;
        foreach (var connection in config.Connections)
        {
            var h = health.Get(connection.Name);
            var state = h.State;
            anyUp |= state != BreakerState.Open;
            connections[connection.Name] = new JsonObject
            {
                ["state"] = state switch { BreakerState.Open => "open", BreakerState.HalfOpen => "half_open", _ => "closed" },
                ["consecutive_failures"] = h.ConsecutiveFailures,
                ["in_flight"] = h.InFlight,
                ["latency_ms"] = h.Latency?.TotalMilliseconds,
            };
        }
        var ready = config.Enabled && (anyUp || config.Connections.Count == 0);
        context.Response.StatusCode = ready ? 200 : 503;
        var body = new JsonObject { ["status"] = ready ? "ready" : "unavailable", ["connections"] = connections };
        return ResponseWriter.WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(body, ProxyJsonContext.Default.JsonObject));
    }
}
