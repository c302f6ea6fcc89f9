using OaiProxy.Errors;

namespace OaiProxy.Hooks;

/// <summary>
/// A <c>before</c> handler: runs after authentication and routing, before the upstream call. It may add upstream
/// headers or reject the request. A custom handler is a public type with this interface and a constructor taking
/// nothing or a <c>System.Text.Json.Nodes.JsonObject</c> of settings.
/// </summary>
public interface IRequestHandler
{
    /// <summary>Null to go on, or the error to answer instead.</summary>
    ValueTask<ProxyError?> HandleAsync(RequestContext context, CancellationToken cancellationToken);
}
