using OaiProxy.Configuration;
using OaiProxy.Routing;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>Connections and targets built directly, as the binder would from <c>[connections.NAME]</c>.</summary>
internal static class TestConnections
{
    public static ConnectionConfig Create(string name, int maxRetries = 2, TimeoutsConfig? timeouts = null, BreakerConfig? breaker = null) => new()
    {
        Name = name,
        ApiType = FakeProviderFactory.ApiType,
        Fingerprint = name,
        MaxRetries = maxRetries,
        Timeouts = timeouts ?? new TimeoutsConfig(),
        Breaker = breaker ?? new BreakerConfig(),
    };

    public static RouteTarget Target(ConnectionConfig connection) => new(connection, "upstream-model");
}
