using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OaiProxy.Auth;
using OaiProxy.Dialects;
using OaiProxy.Errors;
using OaiProxy.Pipeline;

namespace OaiProxy.Endpoints;

/// <summary>
/// What the endpoints of a module (<see cref="IProxyEndpoints"/>, such as the storage module's admin API) share with
/// the proxy's own, so they answer alike: errors in the proxy's JSON shape with their status and headers, JSON
/// answers, bodies read within a limit, the guard that turns an unexpected exception into a clean 500, and the key
/// a request presents.
/// </summary>
public static class ModuleEndpoints
{
    public static Task WriteJsonAsync(HttpContext context, ReadOnlyMemory<byte> json) => ResponseWriter.WriteJsonAsync(context, json);

    public static Task WriteErrorAsync(HttpContext context, ProxyError error) => ResponseWriter.WriteErrorAsync(context, error);

    /// <summary>The whole body, or null as soon as it is larger than <paramref name="maxBytes"/>.</summary>
    public static Task<byte[]?> ReadBodyAsync(HttpContext context, long maxBytes) => HttpRequestBody.ReadAsync(context, maxBytes, context.RequestAborted).AsTask();

    public static RequestDelegate Guard(RequestDelegate handler, ILogger logger) => EndpointGuard.Wrap(handler, logger);

    /// <summary>The key sent as <c>Authorization: Bearer</c>, <c>x-api-key</c> or <c>api-key</c>; null when none.</summary>
    public static string? PresentedKey(HttpContext context) => ApiKeyExtractor.FromHeaders(context.Request.Headers);
}
