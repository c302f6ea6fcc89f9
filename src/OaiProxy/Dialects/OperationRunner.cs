using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Logging;
using OaiProxy.Runtime;

namespace OaiProxy.Dialects;

/// <summary>
/// The HTTP side shared by every model endpoint (chat, embeddings, completions, messages): reads the body within the
/// limit, runs the operation through <see cref="RequestPipeline"/>, lets the endpoint write the answer in its own
/// dialect, and always completes the outcome (log, snapshot, in-flight count), also when the client left.
/// </summary>
internal sealed class OperationRunner(RequestPipeline pipeline, ProxyRuntime runtime, LogDispatcher logs)
{
    public async Task RunAsync(HttpContext context, ProxyOperation operation, Func<HttpContext, ProxyError, Task> writeError,
        Func<HttpContext, ProxyAnswer, CancellationToken, Task> writeAnswer)
    {
        var maxBytes = runtime.Current.Config.MaxRequestBytes;
        var body = await RequestBodyReader.ReadAsync(context, maxBytes);
        if (body is null)
        {
            operation.Dispose();
            await writeError(context, BodyLimits.TooLarge(maxBytes));
            return;
        }
        var call = new InboundRequest
        {
            Body = body,
            ApiKey = ApiKeyExtractor.FromHeaders(context.Request.Headers),
            Headers = context.Request.Headers,
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
        };
        var aborted = context.RequestAborted;
        ProxyAnswer? outcome = null;
        var clientAborted = false;
        try
        {
            outcome = await pipeline.SendAsync(call, operation, aborted);
            Observability.OverheadTiming.Attach(context, outcome.GetUpstreamTime, outcome.Log);
            context.Response.Headers["x-request-id"] = outcome.Log.Id;
            if (outcome.UpstreamRequestId is { } upstreamId) context.Response.Headers["x-upstream-request-id"] = upstreamId;
            foreach (var (name, value) in outcome.RateLimitHeaders ?? []) context.Response.Headers[name] = value;
            if (outcome.Error is not null) await writeError(context, outcome.Error);
            else await writeAnswer(context, outcome, aborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            clientAborted = true;
        }
        finally
        {
            if (outcome is not null) await outcome.CompleteAsync(clientAborted, logs);
        }
    }
}
