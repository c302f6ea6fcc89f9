using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Routing;

namespace OaiProxy.Pipeline;

/// <summary>A stored key's own <c>models</c> and <c>connections</c>, applied within what its group allows.</summary>
internal static class KeyRestrictions
{
    public static bool AllowsModel(AuthResult auth, string model)
    {
        if (auth.Models is null) return true;
        foreach (var pattern in auth.Models)
        {
            if (pattern == "*" || new GlobPattern(pattern).IsMatch(model)) return true;
        }
        return false;
    }

    public static IReadOnlyList<RouteTarget> FilterConnections(AuthResult auth, IReadOnlyList<RouteTarget> targets)
    {
        if (auth.Connections is null) return targets;
        var allowed = new List<RouteTarget>(targets.Count);
        foreach (var target in targets)
        {
            if (auth.Connections.Contains("*") || auth.Connections.Contains(target.Connection.Name)) allowed.Add(target);
        }
        return allowed;
    }
}
