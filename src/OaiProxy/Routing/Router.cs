using OaiProxy.Configuration;

namespace OaiProxy.Routing;

/// <summary>Finds the first routing rule, in file order, whose pattern matches the requested model.</summary>
internal sealed class Router
{
    private readonly CompiledRoute[] _routes;

    public Router(ProxyConfig config)
    {
        var connections = config.Connections.ToDictionary(c => c.Name, StringComparer.Ordinal);
        _routes = config.Routing
            .Select(r => new CompiledRoute(r, new GlobPattern(r.Pattern), r.Targets.Select(t => connections[t.Connection]).ToList()))
            .ToArray();
    }

    public IReadOnlyList<CompiledRoute> Routes => _routes;

    public CompiledRoute? Match(string model)
    {
        foreach (var route in _routes)
        {
            if (route.Pattern.IsMatch(model)) return route;
        }
        return null;
    }
}
