namespace OaiProxy.Configuration;

/// <summary><c>connection.model</c>; a model of <c>*</c> forwards the requested name.</summary>
public sealed record RouteTargetConfig(string Connection, string Model)
{
    public bool ForwardsRequestedModel => Model == "*";

    public override string ToString() => $"{Connection}.{Model}";
}
