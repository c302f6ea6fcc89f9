using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OaiProxy.Pipeline;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// The Responses dialect: <c>POST /responses</c> through the pipeline; the stored responses
/// (<c>GET</c>, <c>DELETE /responses/{id}</c>, <c>GET /responses/{id}/input_items</c>); and a quick refusal of the
/// WebSocket transport, so Codex falls back to HTTP streaming at once.
/// </summary>
internal static class ResponsesEndpoints
{
    public static void Map(RouteGroupBuilder api, IServiceProvider services, RequestPipeline pipeline, Func<RequestDelegate, RequestDelegate> guard)
    {
        var store = services.GetRequiredService<IResponseStore>();
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("OaiProxy.Dialects.Responses");
        var stored = ActivatorUtilities.CreateInstance<StoredResponsesEndpoint>(services);
        api.MapPost("/responses", guard(context =>
        {
            var operation = new ResponsesOperation(store, time, logger);
            return pipeline.RunAsync(InboundRequest.FromHttp(context), operation, new ResponsesAnswerWriter(context, operation, time), context.RequestAborted);
        })).DisableAntiforgery();
        api.MapGet("/responses", guard(StoredResponsesEndpoint.RefuseWebSocketAsync));
        api.MapPost("/responses/compact", guard(StoredResponsesEndpoint.RefuseCompactionAsync)).DisableAntiforgery();
        api.MapGet("/responses/{id}", guard(context => stored.GetAsync(context, (string)context.Request.RouteValues["id"]!)));
        api.MapDelete("/responses/{id}", guard(context => stored.DeleteAsync(context, (string)context.Request.RouteValues["id"]!)));
        api.MapGet("/responses/{id}/input_items", guard(context => stored.InputItemsAsync(context, (string)context.Request.RouteValues["id"]!)));
    }
}
