using OaiProxy.Configuration;

namespace OaiProxy.Routing;

/// <summary>A routing rule ready for matching: its glob and its targets' connections looked up once.</summary>
internal sealed class CompiledRoute(RouteConfig config, GlobPattern pattern, IReadOnlyList<ConnectionConfig> connections)
{
    public RouteConfig Config { get; } = config;

    public GlobPattern Pattern { get; } = pattern;

    /// <summary>Connections of <see cref="RouteConfig.Targets"/>, index for index.</summary>
    public IReadOnlyList<ConnectionConfig> Connections { get; } = connections;

    public RouteTarget Resolve(int index, string requestedModel)
    {
        var target = Config.Targets[index];
        return new RouteTarget(Connections[index], target.ForwardsRequestedModel ? requestedModel : target.Model, target.Overrides);
    }

    /// <summary>Whether <paramref name="group"/> may use target <paramref name="index"/> (directly or through its strategy connection).</summary>
    public bool IsAllowed(int index, GroupConfig group) =>
        group.Allows(Connections[index].Name) || (Config.Targets[index].Via is { } via && group.Allows(via));
}
