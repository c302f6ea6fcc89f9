using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OaiProxy.Endpoints;
using OaiProxy.Errors;
using OaiProxy.Runtime;

namespace OaiProxy.Storage.Admin;

/// <summary>
/// Maps the admin API under <c>/admin</c>: keys (create, list, get, update, revoke, rotate) and usage totals.
/// Every route checks the master key first, and answers errors in OpenAI's shape. No answer may be cached (the
/// create and rotate answers carry a key's only copy), so each says <c>Cache-Control: no-store</c>.
/// </summary>
internal sealed class AdminEndpoints(StorageService storage, IActiveConfig runtime, TimeProvider time, ILoggerFactory loggers) : IProxyEndpoints
{
    private readonly AdminGuard _door = new(runtime, new MasterKeyThrottle(time), loggers.CreateLogger("OaiProxy.Admin"));

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var keys = new KeysAdmin(storage, runtime, time);
        var usage = new UsageAdmin(storage, time);
        var admin = endpoints.MapGroup("/admin");
        admin.MapPost("/keys", Guard(keys.CreateAsync)).DisableAntiforgery();
        admin.MapGet("/keys", Guard(keys.ListAsync));
        admin.MapGet("/keys/{id}", Guard(context => keys.GetAsync(context, Id(context))));
        admin.MapMethods("/keys/{id}", [HttpMethods.Patch], Guard(context => keys.UpdateAsync(context, Id(context)))).DisableAntiforgery();
        admin.MapDelete("/keys/{id}", Guard(context => keys.RevokeAsync(context, Id(context))));
        admin.MapPost("/keys/{id}/rotate", Guard(context => keys.RotateAsync(context, Id(context)))).DisableAntiforgery();
        admin.MapGet("/usage", Guard(usage.GetAsync));
        admin.Map("/{**path}", Guard(context => ModuleEndpoints.WriteErrorAsync(context, new ProxyError(404, ErrorTypes.InvalidRequest, "unknown_url",
            $"Unknown request URL: {context.Request.Method} {context.Request.Path}. The admin API serves /admin/keys and /admin/usage."))));
    }

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private RequestDelegate Guard(RequestDelegate handler) => ModuleEndpoints.Guard(async context =>
    {
        // Set as the headers go out, so that even the guard's 500 (which clears the response) carries it.
        context.Response.OnStarting(static response =>
        {
            ((HttpResponse)response).Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }, context.Response);
        if (_door.Check(context) is { } denied)
        {
            await ModuleEndpoints.WriteErrorAsync(context, denied);
            return;
        }
        if (storage.Keys is null)
        {
            await ModuleEndpoints.WriteErrorAsync(context, new ProxyError(503, ErrorTypes.Unavailable, null, "The key store is not open yet; retry in a moment."));
            return;
        }
        await handler(context);
    }, loggers.CreateLogger("OaiProxy.Admin"));
}
