using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OaiProxy.Pipeline;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>The Anthropic dialect: <c>POST /messages</c> and <c>POST /messages/count_tokens</c>, with the client's version and betas.</summary>
internal static class MessagesEndpoints
{
    public static void Map(RouteGroupBuilder api, RequestPipeline pipeline, Func<RequestDelegate, RequestDelegate> guard)
    {
        api.MapPost("/messages", guard(context => Run(pipeline, context, countTokens: false))).DisableAntiforgery();
        api.MapPost("/messages/count_tokens", guard(context => Run(pipeline, context, countTokens: true))).DisableAntiforgery();
    }

    private static Task Run(RequestPipeline pipeline, HttpContext context, bool countTokens)
    {
        var headers = context.Request.Headers;
        var operation = new MessagesOperation(countTokens, headers["anthropic-version"].ToString(), headers["anthropic-beta"].ToString());
        return pipeline.RunAsync(InboundRequest.FromHttp(context), operation, new MessagesAnswerWriter(context, operation), context.RequestAborted);
    }
}
