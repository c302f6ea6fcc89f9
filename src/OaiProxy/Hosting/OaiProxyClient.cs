using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Auth;
using OaiProxy.Dialects.OpenAi;
using OaiProxy.Pipeline;

namespace OaiProxy.Hosting;

/// <summary>
/// Calls the proxy in-process, with no HTTP: the same pipeline, routing, failover, hooks, limits and logging as
/// the endpoints. The caller is trusted and acts as a group (default <c>default</c>) instead of presenting a key.
/// </summary>
public sealed class OaiProxyClient
{
    private readonly RequestPipeline _pipeline;

    internal OaiProxyClient(RequestPipeline pipeline) => _pipeline = pipeline;

    /// <summary>A non-streaming chat completion, as OpenAI JSON. Throws <see cref="OaiProxyException"/> on error.</summary>
    public async Task<JsonDocument> ChatAsync(JsonObject request, string group = "default", CancellationToken cancellationToken = default)
    {
        var writer = new InProcessAnswerWriter();
        await _pipeline.RunAsync(Request(request, stream: false, group), new ChatOperation(), writer, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (writer.Error is not null) throw new OaiProxyException(writer.Error);
        return JsonDocument.Parse(writer.Json);
    }

    /// <summary>A streamed chat completion: each OpenAI chunk as it arrives. Throws <see cref="OaiProxyException"/> on error.</summary>
    public async IAsyncEnumerable<JsonDocument> StreamChatAsync(JsonObject request, string group = "default",
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var writer = new InProcessAnswerWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = RunAsync(Request(request, stream: true, group), writer, stop.Token);
        try
        {
            while (await writer.Events.WaitToReadAsync(cancellationToken))
            {
                while (writer.Events.TryRead(out var chunk)) yield return chunk;
            }
        }
        finally
        {
            // A caller that stops reading early is a client that left: the pipeline logs it as such.
            await stop.CancelAsync();
            await run;
        }
    }

    private async Task RunAsync(InboundRequest request, InProcessAnswerWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.RunAsync(request, new ChatOperation(), writer, cancellationToken);
            writer.Abandon(null);
        }
        catch (Exception e)
        {
            writer.Abandon(e);
        }
    }

    private static InboundRequest Request(JsonObject request, bool stream, string group)
    {
        var body = (JsonObject)request.DeepClone();
        body["stream"] = stream;
        return InboundRequest.InProcess(JsonSerializer.SerializeToUtf8Bytes(body, ProxyJsonContext.Default.JsonObject), new AuthResult(group));
    }
}
