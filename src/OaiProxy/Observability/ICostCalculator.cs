using OaiProxy.Logging;

namespace OaiProxy.Observability;

/// <summary>
/// Prices a finished request for the <c>oaiproxy.cost</c> metric. None is registered by default, so no cost is
/// reported until something that knows prices (a key store with a price list) registers one in DI as a singleton.
/// Called on the background log dispatcher, never on the request path.
/// </summary>
public interface ICostCalculator
{
    /// <summary>The cost of the request in US dollars, or null when no price is known for its model.</summary>
    double? CostUsd(RequestLogEntry entry);
}
