using OaiProxy.Configuration;

namespace OaiProxy.Providers;

/// <summary>Creates the adapters of one or more <c>api_type</c> values (and, as an <see cref="IConnectionType"/>, reads their own keys).</summary>
public interface IProviderFactory : IConnectionType
{
    IProvider Create(ConnectionConfig connection, ProviderContext context);
}
