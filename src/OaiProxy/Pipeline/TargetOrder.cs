using OaiProxy.Configuration;
using OaiProxy.Observability;
using OaiProxy.Resilience;
using OaiProxy.Routing;

namespace OaiProxy.Pipeline;

/// <summary>
/// Orders a route's targets by its strategy (first, round robin, weighted, least busy, lowest latency) and keeps
/// only those the caller's group may use.
/// </summary>
internal sealed class TargetOrder(ConnectionHealthRegistry health)
{
    private int _roundRobin;

    public IReadOnlyList<RouteTarget> Order(CompiledRoute route, string model, GroupConfig group)
    {
        using var span = ProxySpans.StartRoute(route);
        var count = route.Connections.Count;
        var order = new List<int>(count);
        var start = route.Config.Strategy switch
        {
            RouteStrategy.RoundRobin => (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)count),
            RouteStrategy.Weighted => PickWeighted(route.Config.Weights!),
            _ => 0,
        };
        for (var i = 0; i < count; i++) order.Add((start + i) % count);
        if (route.Config.Strategy == RouteStrategy.LeastBusy)
        {
            order.Sort((a, b) => health.Get(route.Connections[a].Name).InFlight.CompareTo(health.Get(route.Connections[b].Name).InFlight));
        }
        else if (route.Config.Strategy == RouteStrategy.LowestLatency)
        {
            // Unmeasured connections sort first, so each gets tried and measured.
            order.Sort((a, b) => (health.Get(route.Connections[a].Name).Latency ?? TimeSpan.Zero)
                .CompareTo(health.Get(route.Connections[b].Name).Latency ?? TimeSpan.Zero));
        }
        var targets = new List<RouteTarget>(count);
        foreach (var index in order)
        {
            if (route.IsAllowed(index, group)) targets.Add(route.Resolve(index, model));
        }
        span?.SetTag(ProxyTelemetry.Targets, string.Join(',', targets.Select(t => t.Connection.Name)));
        return targets;
    }

    private static int PickWeighted(IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        if (total <= 0) return 0;
        var roll = Random.Shared.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            roll -= weights[i];
            if (roll < 0) return i;
        }
        return weights.Count - 1;
    }

}
