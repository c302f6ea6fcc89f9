namespace OaiProxy.Configuration;

/// <summary><c>connection.model</c>; a model of <c>*</c> forwards the requested name.</summary>
public sealed record RouteTargetConfig(string Connection, string Model)
{
    /// <summary>Request fields replaced for this target (from an lm-proxy Fallback connection's dict form).</summary>
    public System.Text.Json.Nodes.JsonObject? Overrides { get; init; }

    /// <summary>The strategy connection this target came from; a group allowed to use it may use the target.</summary>
    public string? Via { get; init; }

    public bool ForwardsRequestedModel => Model == "*";

    public override string ToString() => $"{Connection}.{Model}";
}
