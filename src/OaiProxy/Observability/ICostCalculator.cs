using OaiProxy.Logging;

namespace OaiProxy.Observability;

/// <summary>
/// Prices a finished request for the <c>oaiproxy.cost.usd</c> metric. The default reads the config's <c>prices</c>
/// (over the built-in list); register another singleton to price differently. Called on the background log
/// dispatcher, never on the request path.
/// </summary>
public interface ICostCalculator
{
    /// <summary>The cost of the request in US dollars, or null when no price is known for its model.</summary>
    double? CostUsd(RequestLogEntry entry);
}
