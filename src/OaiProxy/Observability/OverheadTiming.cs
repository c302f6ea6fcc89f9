using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using OaiProxy.Logging;

namespace OaiProxy.Observability;

/// <summary>
/// Measures what the proxy adds to a response: the time from the start of the handler to the moment the response
/// headers go out, minus the time spent waiting for upstreams. For a JSON answer that is the total minus the
/// upstream time; for a stream it is the time to the first byte minus the upstream's time to its first event.
/// Written as <see cref="ProxyTelemetry.OverheadHeader"/> on every response of the proxy's endpoints.
/// </summary>
internal sealed class OverheadTiming
{
    private static readonly Func<object, Task> OnStarting = static state =>
    {
        var context = (HttpContext)state;
        context.Features.Get<OverheadTiming>()?.Stamp(context.Response);
        return Task.CompletedTask;
    };

    private readonly long _started = Stopwatch.GetTimestamp();
    private Func<TimeSpan>? _upstream;
    private RequestLogEntry? _log;

    /// <summary>Starts timing a request; the header is set when its response starts.</summary>
    public static void Start(HttpContext context)
    {
        context.Features.Set(new OverheadTiming());
        context.Response.OnStarting(OnStarting, context);
    }

    /// <summary>
    /// Tells the timing how long the request waited for upstreams (read when the response starts) and which log
    /// entry receives the overhead for the metrics.
    /// </summary>
    public static void Attach(HttpContext context, Func<TimeSpan> upstream, RequestLogEntry? log)
    {
        if (context.Features.Get<OverheadTiming>() is not { } timing) return;
        timing._upstream = upstream;
        timing._log = log;
    }

    private void Stamp(HttpResponse response)
    {
        var overhead = Stopwatch.GetElapsedTime(_started) - (_upstream?.Invoke() ?? TimeSpan.Zero);
        if (overhead < TimeSpan.Zero) overhead = TimeSpan.Zero;
        response.Headers[ProxyTelemetry.OverheadHeader] = overhead.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (_log is not null) _log.Overhead = overhead;
    }
}
