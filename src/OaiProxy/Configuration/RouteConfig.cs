namespace OaiProxy.Configuration;

/// <summary>One routing rule: a model-name glob and the targets it sends to.</summary>
public sealed record RouteConfig(string Pattern, IReadOnlyList<RouteTargetConfig> Targets)
{
    /// <summary>How several targets share the traffic. Default: fallback in order.</summary>
    public RouteStrategy Strategy { get; init; } = RouteStrategy.Fallback;

    /// <summary>Weights of the targets for <see cref="RouteStrategy.Weighted"/>.</summary>
    public IReadOnlyList<double>? Weights { get; init; }
}
