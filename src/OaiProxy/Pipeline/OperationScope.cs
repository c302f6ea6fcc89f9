using OaiProxy.Auth;
using OaiProxy.Routing;
using OaiProxy.Runtime;

namespace OaiProxy.Pipeline;

/// <summary>What an operation learns once the request is authenticated and routed, for <see cref="ProxyOperation.PrepareAsync"/>.</summary>
/// <param name="Auth">The caller.</param>
/// <param name="ApiKeyId">The presented key's id; null for trusted in-process callers.</param>
/// <param name="Targets">The route's targets the caller may use, in the order they will be tried.</param>
/// <param name="State">The snapshot the request runs on.</param>
internal sealed record OperationScope(AuthResult Auth, string? ApiKeyId, IReadOnlyList<RouteTarget> Targets, ProxyState State);
