using Microsoft.AspNetCore.Routing;

namespace OaiProxy.Endpoints;

/// <summary>
/// Endpoints a module adds beside the proxy's own (such as the storage module's admin API). Register
/// implementations in DI; <see cref="OaiProxyEndpointRouteBuilderExtensions.MapOaiProxy"/> maps every one of them.
/// </summary>
public interface IProxyEndpoints
{
    void Map(IEndpointRouteBuilder endpoints);
}
