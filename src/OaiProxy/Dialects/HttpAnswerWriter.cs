using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using OaiProxy.Errors;
using OaiProxy.Observability;
using OaiProxy.Pipeline;

namespace OaiProxy.Dialects;

/// <summary>
/// What every HTTP dialect writes alike: the headers of every answer (<c>x-request-id</c>,
/// <c>x-upstream-request-id</c>, <c>x-ratelimit-*</c>, the overhead timing), errors with their status and headers,
/// JSON bodies, and an unbuffered event stream. A dialect adds its own error shape and event framing.
/// </summary>
internal abstract class HttpAnswerWriter(HttpContext context) : IAnswerWriter
{
    private PipeWriter? _events;

    protected HttpContext Context => context;

    /// <summary>The answer being written, set by <see cref="Prepare"/>.</summary>
    protected ProxyAnswer Answer { get; private set; } = null!;

    /// <summary>The response body of a stream, after <see cref="StartStreamAsync"/>.</summary>
    protected PipeWriter Events => _events ?? throw new InvalidOperationException("The stream has not started.");

    public void Prepare(ProxyAnswer answer)
    {
        Answer = answer;
        OverheadTiming.Attach(context, answer.GetUpstreamTime, answer.Log);
        var headers = context.Response.Headers;
        headers["x-request-id"] = answer.Log.Id;
        if (answer.UpstreamRequestId is { } upstreamId) headers["x-upstream-request-id"] = upstreamId;
        foreach (var (name, value) in answer.RateLimitHeaders ?? []) headers[name] = value;
    }

    public Task WriteErrorAsync(ProxyError error, CancellationToken cancellationToken) =>
        ResponseWriter.WriteErrorAsync(context, error, ErrorBody(error));

    /// <summary>The dialect's error body.</summary>
    protected abstract ReadOnlyMemory<byte> ErrorBody(ProxyError error);

    public virtual Task WriteJsonAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken) => ResponseWriter.WriteJsonAsync(context, json);

    public virtual async Task StartStreamAsync(CancellationToken cancellationToken) => _events = await SseWriter.StartAsync(context, cancellationToken);

    public abstract void WriteEvent(ReadOnlySpan<byte> data);

    public abstract ValueTask WriteStreamEndAsync(CancellationToken cancellationToken);

    public abstract void WriteStreamError(ProxyError error);

    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await Events.FlushAsync(cancellationToken);
}
