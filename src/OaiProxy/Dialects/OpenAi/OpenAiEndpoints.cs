using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OaiProxy.Pipeline;

namespace OaiProxy.Dialects.OpenAi;

/// <summary>The OpenAI dialect's model endpoints: chat completions, embeddings and legacy completions.</summary>
internal static class OpenAiEndpoints
{
    public static void Map(RouteGroupBuilder api, RequestPipeline pipeline, Func<RequestDelegate, RequestDelegate> guard)
    {
        api.MapPost("/chat/completions", guard(context => Run(pipeline, context, new ChatOperation()))).DisableAntiforgery();
        api.MapPost("/embeddings", guard(context => Run(pipeline, context, new EmbeddingsOperation()))).DisableAntiforgery();
        api.MapPost("/completions", guard(context => Run(pipeline, context, new CompletionsOperation()))).DisableAntiforgery();
    }

    private static Task Run(RequestPipeline pipeline, HttpContext context, ProxyOperation operation) =>
        pipeline.RunAsync(InboundRequest.FromHttp(context), operation, new OpenAiAnswerWriter(context), context.RequestAborted);
}
