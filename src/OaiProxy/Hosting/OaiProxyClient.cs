using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Auth;
using OaiProxy.Dialects.OpenAi;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Logging;

namespace OaiProxy.Hosting;

/// <summary>
/// Calls the proxy in-process, with no HTTP: the same routing, failover, handlers and logging as the endpoint.
/// The caller is trusted and acts as a group (default <c>default</c>) instead of presenting a key.
/// </summary>
public sealed class OaiProxyClient(RequestPipeline pipeline, LogDispatcher logs)
{
    /// <summary>A non-streaming chat completion, as OpenAI JSON. Throws <see cref="OaiProxyException"/> on error.</summary>
    public async Task<JsonDocument> ChatAsync(JsonObject request, string group = "default", CancellationToken cancellationToken = default)
    {
        var body = (JsonObject)request.DeepClone();
        body["stream"] = false;
        await using var outcome = await pipeline.SendAsync(Call(body, group), new ChatOperation(), cancellationToken);
        try
        {
            if (outcome.Error is not null) throw new OaiProxyException(outcome.Error);
            return JsonDocument.Parse(outcome.Json);
        }
        finally
        {
            await outcome.CompleteAsync(clientAborted: false, logs);
        }
    }

    /// <summary>A streamed chat completion: each OpenAI chunk as it arrives. Throws <see cref="OaiProxyException"/> on error.</summary>
    public async IAsyncEnumerable<JsonDocument> StreamChatAsync(JsonObject request, string group = "default",
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var body = (JsonObject)request.DeepClone();
        body["stream"] = true;
        var outcome = await pipeline.SendAsync(Call(body, group), new ChatOperation(), cancellationToken);
        var aborted = true;
        try
        {
            if (outcome.Error is not null) throw new OaiProxyException(outcome.Error);
            while (await outcome.ReadAsync(cancellationToken))
            {
                yield return JsonDocument.Parse(outcome.Current);
            }
            aborted = false;
            if (outcome.StreamError is not null) throw new OaiProxyException(outcome.StreamError);
        }
        finally
        {
            await outcome.CompleteAsync(aborted && outcome.Error is null && cancellationToken.IsCancellationRequested, logs);
        }
    }

    private static InboundRequest Call(JsonObject body, string group) => new()
    {
        Body = JsonSerializer.SerializeToUtf8Bytes(body, ProxyJsonContext.Default.JsonObject),
        TrustedAuth = new AuthResult(group),
    };
}
