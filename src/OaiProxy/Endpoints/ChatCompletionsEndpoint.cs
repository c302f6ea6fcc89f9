using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OaiProxy.Auth;
using OaiProxy.Errors;
using OaiProxy.Forwarding;
using OaiProxy.Logging;
using OaiProxy.Observability;
using OaiProxy.State;
using OaiProxy.Streaming;

namespace OaiProxy.Endpoints;

/// <summary>
/// <c>POST /chat/completions</c>: runs the pipeline, then writes the answer. Streams are relayed event by event with
/// a flush whenever no further event is already buffered, so nothing waits in the proxy; a failure after the first
/// byte becomes an error event (never a silent end that looks complete).
/// </summary>
internal sealed class ChatCompletionsEndpoint(ChatPipeline pipeline, ProxyRuntime runtime, LogDispatcher logs)
{
    public async Task HandleAsync(HttpContext context)
    {
        var maxBytes = runtime.Current.Config.MaxRequestBytes;
        var body = await RequestBodyReader.ReadAsync(context, maxBytes);
        if (body is null)
        {
            await ResponseWriter.WriteErrorAsync(context, BodyLimits.TooLarge(maxBytes));
            return;
        }
        var call = new ChatCall
        {
            Body = body,
            ApiKey = ApiKeyExtractor.FromHeaders(context.Request.Headers),
            Headers = context.Request.Headers,
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
        };
        var aborted = context.RequestAborted;
        ChatOutcome? outcome = null;
        var clientAborted = false;
        try
        {
            outcome = await pipeline.SendAsync(call, aborted);
            OverheadTiming.Attach(context, outcome.GetUpstreamTime, outcome.Log);
            context.Response.Headers["x-request-id"] = outcome.Log.Id;
            if (outcome.UpstreamRequestId is { } upstreamId) context.Response.Headers["x-upstream-request-id"] = upstreamId;
            foreach (var (name, value) in outcome.RateLimitHeaders ?? []) context.Response.Headers[name] = value;
            if (outcome.Error is not null) await ResponseWriter.WriteErrorAsync(context, outcome.Error);
            else if (!outcome.IsStream) await ResponseWriter.WriteJsonAsync(context, outcome.Json);
            else await RelayStreamAsync(context, outcome, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            clientAborted = true;
        }
        catch (IOException) when (aborted.IsCancellationRequested)
        {
            clientAborted = true;
        }
        finally
        {
            if (outcome is not null) await outcome.CompleteAsync(clientAborted, logs);
        }
    }

    private static async Task RelayStreamAsync(HttpContext context, ChatOutcome outcome, CancellationToken aborted)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var writer = response.BodyWriter;
        await response.StartAsync(aborted);
        while (await outcome.ReadAsync(aborted))
        {
            WriteEvent(writer, outcome.Current.Span);
            if (!outcome.HasBufferedChunk) await writer.FlushAsync(aborted);
        }
        if (outcome.StreamError is { } error)
        {
            WriteEvent(writer, ProxyErrorJson.ToUtf8(error));
        }
        else
        {
            writer.Write(SseFraming.DoneEvent);
        }
        await writer.FlushAsync(aborted);
    }

    private static void WriteEvent(System.IO.Pipelines.PipeWriter writer, ReadOnlySpan<byte> payload)
    {
        var length = SseFraming.DataPrefix.Length + payload.Length + SseFraming.EventEnd.Length;
        var span = writer.GetSpan(length);
        SseFraming.DataPrefix.CopyTo(span);
        payload.CopyTo(span[SseFraming.DataPrefix.Length..]);
        SseFraming.EventEnd.CopyTo(span[(SseFraming.DataPrefix.Length + payload.Length)..]);
        writer.Advance(length);
    }
}
