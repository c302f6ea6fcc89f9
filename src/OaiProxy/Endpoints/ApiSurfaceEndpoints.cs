using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Dialects.OpenAi;
using OaiProxy.Dialects.Anthropic;
using OaiProxy.Dialects;

namespace OaiProxy.Endpoints;

/// <summary>Maps the model endpoints: chat completions, embeddings, legacy completions, and Anthropic's Messages API.</summary>
internal static class ApiSurfaceEndpoints
{
    public static void Map(RouteGroupBuilder api, IServiceProvider services, Func<RequestDelegate, RequestDelegate> guard)
    {
        var runner = ActivatorUtilities.CreateInstance<OperationRunner>(services);
        var chat = new OpenAiOperationEndpoint(runner, () => new ChatOperation());
        var embeddings = new OpenAiOperationEndpoint(runner, () => new EmbeddingsOperation());
        var completions = new OpenAiOperationEndpoint(runner, () => new CompletionsOperation());
        api.MapPost("/chat/completions", guard(chat.HandleAsync)).DisableAntiforgery();
        api.MapPost("/embeddings", guard(embeddings.HandleAsync)).DisableAntiforgery();
        api.MapPost("/completions", guard(completions.HandleAsync)).DisableAntiforgery();
        api.MapPost("/messages", guard(new MessagesEndpoint(runner, countTokens: false).HandleAsync)).DisableAntiforgery();
        api.MapPost("/messages/count_tokens", guard(new MessagesEndpoint(runner, countTokens: true).HandleAsync)).DisableAntiforgery();
    }
}
