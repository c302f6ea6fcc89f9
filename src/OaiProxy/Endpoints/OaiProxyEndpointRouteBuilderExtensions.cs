using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OaiProxy.Dialects;
using OaiProxy.Dialects.OpenAi;
using OaiProxy.Errors;
using OaiProxy.Runtime;

namespace OaiProxy.Endpoints;

/// <summary>Maps the proxy's endpoints into any ASP.NET Core app.</summary>
public static class OaiProxyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>{api_prefix}/chat/completions</c>, <c>{api_prefix}/models</c>, <c>{api_prefix}/models/{id}</c> and
    /// <c>/health</c>, <c>/ready</c>, (unless <c>metrics = false</c>) <c>/metrics</c>, and the endpoints of every
    /// <see cref="IProxyEndpoints"/> registered in DI. The prefix is read from the configuration when mapping;
    /// changing it needs a restart.
    /// </summary>
    public static IEndpointRouteBuilder MapOaiProxy(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var runtime = services.GetRequiredService<ProxyRuntime>();
        var prefix = runtime.Current.Config.ApiPrefix;
        var models = ActivatorUtilities.CreateInstance<ModelsEndpoint>(services);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("OaiProxy.Endpoints");
        RequestDelegate Guard(RequestDelegate handler) => EndpointGuard.Wrap(handler, logger);

        var api = endpoints.MapGroup(prefix);
        ApiSurfaceEndpoints.Map(api, services, Guard);
        api.MapGet("/models", Guard(models.ListAsync));
        api.MapGet("/models/{**id}", Guard(context => models.GetAsync(context, (string)context.Request.RouteValues["id"]!)));
        api.Map("/{**path}", context => ResponseWriter.WriteErrorAsync(context,
            new ProxyError(404, ErrorTypes.InvalidRequest, "unknown_url",
                $"Unknown request URL: {context.Request.Method} {context.Request.Path}. The proxy serves {prefix}/chat/completions, {prefix}/embeddings, {prefix}/completions, {prefix}/messages and {prefix}/models.")));
        if (runtime.Current.Config.Metrics) endpoints.MapPrometheusScrapingEndpoint("/metrics");
        var readiness = ActivatorUtilities.CreateInstance<ReadinessEndpoint>(services);
        endpoints.MapGet("/ready", readiness.HandleAsync);
        foreach (var module in services.GetServices<IProxyEndpoints>()) module.Map(endpoints);
        endpoints.MapGet("/health", (HttpContext context) =>
        {
            var enabled = runtime.Current.Config.Enabled;
            context.Response.StatusCode = enabled ? 200 : 503;
            return ResponseWriter.WriteJsonAsync(context, enabled ? """{"status":"ok"}"""u8.ToArray() : """{"status":"disabled"}"""u8.ToArray());
        });
        return endpoints;
    }
}
