using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using OaiProxy.Endpoints;
using OaiProxy.Errors;
using OaiProxy.Runtime;

namespace OaiProxy.Storage.Dashboard;

/// <summary>
/// Serves the usage dashboard at <c>/ui</c>. The page is public static content; every number on it comes from the
/// admin API, which the page calls with the master key the user types in. Like that API, it does not exist without
/// a <c>master_key</c>.
/// </summary>
internal sealed class DashboardEndpoints(IActiveConfig runtime) : IProxyEndpoints
{
    /// <summary>Only the proxy's own files and API: no inline script or style, no framing, no other origin.</summary>
    private const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    // Loaded (and compressed) on the first page view: a proxy nobody opens the dashboard of pays nothing for it.
    private readonly Lazy<DashboardAssets> _assets = new(() => new DashboardAssets());

    public void Map(IEndpointRouteBuilder endpoints)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        endpoints.MapMethods("/ui", methods, context => ServeAsync(context, ""));
        endpoints.MapMethods("/ui/{**path}", methods, context => ServeAsync(context, (string?)context.Request.RouteValues["path"] ?? ""));
    }

    private Task ServeAsync(HttpContext context, string path)
    {
        if (runtime.Current.MasterKey is null)
        {
            return ModuleEndpoints.WriteErrorAsync(context, new ProxyError(404, ErrorTypes.InvalidRequest, "unknown_url",
                "The dashboard is off, as is the admin API; set master_key in the config to turn both on."));
        }
        if (_assets.Value.Find(path) is not { } asset)
        {
            return ModuleEndpoints.WriteErrorAsync(context, new ProxyError(404, ErrorTypes.InvalidRequest, "unknown_url",
                $"The dashboard has no file \"{path}\"; open /ui."));
        }
        var response = context.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // The files are not fingerprinted, so browsers revalidate each time (a 304 after the first load) and an
        // upgraded proxy is never shown with stale scripts.
        headers.CacheControl = "no-cache";
        // Each encoding is its own representation, so each has its own strong validator.
        var gzip = asset.Gzip is not null && AcceptsGzip(context.Request);
        var etag = gzip ? asset.ETag[..^1] + "-gz\"" : asset.ETag;
        headers.ETag = etag;
        headers.Vary = HeaderNames.AcceptEncoding;
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Contains(etag, StringComparison.Ordinal)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        var body = gzip ? asset.Gzip! : asset.Content;
        if (gzip) headers.ContentEncoding = "gzip";
        response.ContentType = asset.ContentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));
}
