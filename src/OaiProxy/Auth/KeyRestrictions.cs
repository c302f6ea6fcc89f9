using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Routing;

namespace OaiProxy.Auth;

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

    /// <summary>
    /// What a model list shows of a wildcard route to this key: the route's pattern when the key may use all it
    /// names, the key's own narrower patterns that fall within it, or nothing.
    /// </summary>
    public static IEnumerable<string> VisiblePatterns(AuthResult auth, GlobPattern route)
    {
        if (auth.Models is null)
        {
            yield return route.Pattern;
            yield break;
        }
        foreach (var pattern in auth.Models)
        {
            if (pattern == "*" || new GlobPattern(pattern).IsMatch(route.Pattern))
            {
                yield return route.Pattern;
                yield break;
            }
        }
        foreach (var pattern in auth.Models)
        {
            if (route.IsMatch(pattern)) yield return pattern;
        }
    }

    public static ProxyError ModelNotAllowed(string model) =>
        new(403, ErrorTypes.Permission, ErrorCodes.ModelNotAllowed,
            $"Your key may not use the model \"{model}\"; ask the proxy operator to add it to the key's models.", "model");

    public static ProxyError NoConnectionAllowed(string group, string model) =>
        new(403, ErrorTypes.Permission, ErrorCodes.ConnectionNotAllowed,
            $"Your key's group \"{group}\" may not use the connection serving \"{model}\"; ask the proxy operator to add it to the group's (or the key's) allowed connections.", "model");

    /// <summary>Whether the key may use <paramref name="connection"/> (within its group, checked separately).</summary>
    public static bool AllowsConnection(AuthResult auth, string connection) =>
        auth.Connections is null || auth.Connections.Contains("*") || auth.Connections.Contains(connection);

    public static IReadOnlyList<RouteTarget> FilterConnections(AuthResult auth, IReadOnlyList<RouteTarget> targets)
    {
        if (auth.Connections is null) return targets;
        var allowed = new List<RouteTarget>(targets.Count);
        foreach (var target in targets)
        {
            if (AllowsConnection(auth, target.Connection.Name)) allowed.Add(target);
        }
        return allowed;
    }
}
