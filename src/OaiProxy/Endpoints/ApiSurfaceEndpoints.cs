using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Dialects.Anthropic;
using OaiProxy.Dialects.OpenAi;
using OaiProxy.Dialects.Responses;
using OaiProxy.Pipeline;

namespace OaiProxy.Endpoints;

/// <summary>Maps the model endpoints of every inbound dialect onto the one pipeline.</summary>
internal static class ApiSurfaceEndpoints
{
    public static void Map(RouteGroupBuilder api, IServiceProvider services, Func<RequestDelegate, RequestDelegate> guard)
    {
        var pipeline = services.GetRequiredService<RequestPipeline>();
        OpenAiEndpoints.Map(api, pipeline, guard);
        MessagesEndpoints.Map(api, pipeline, guard);
        ResponsesEndpoints.Map(api, services, pipeline, guard);
    }
}
