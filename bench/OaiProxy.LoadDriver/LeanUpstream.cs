using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OaiProxy.LoadDriver;

/// <summary>
/// The fastest OpenAI upstream we can write: one request delegate, no routing, no validation. A model named
/// <c>bench-stream-EVENTS-GAPMICROS</c> gets a paced SSE reply (a flush per event); anything else gets a fixed
/// completion at once. The reply never depends on the path, so the direct baseline pays no routing either.
/// </summary>
internal sealed class LeanUpstream : IAsyncDisposable
{
    private static readonly byte[] Completion = """
        {"id":"chatcmpl-bench0001","object":"chat.completion","created":1735689600,"model":"bench-json","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":9,"total_tokens":23,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench"}
        """u8.ToArray();

    private static readonly byte[] Chunk = """
        data: {"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1735689600,"model":"bench-stream","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"content":" token"},"logprobs":null,"finish_reason":null}],"usage":null}


        """u8.ToArray();

    private static readonly byte[] LastChunk = """
        data: {"id":"chatcmpl-bench0001","object":"chat.completion.chunk","created":1735689600,"model":"bench-stream","system_fingerprint":"fp_bench","choices":[],"usage":{"prompt_tokens":14,"completion_tokens":50,"total_tokens":64}}

        data: [DONE]


        """u8.ToArray();

    private static readonly byte[] StreamModelPrefix = "\"model\":\"bench-stream-"u8.ToArray();

    private readonly WebApplication _app;

    private LeanUpstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri ChatUri => new($"http://127.0.0.1:{Port}/v1/chat/completions");

    public string ApiBase => $"http://127.0.0.1:{Port}/v1";

    public static async Task<LeanUpstream> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
            k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LeanUpstream(app, new Uri(address).Port);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var (events, gapMicros) = await ReadPlanAsync(context.Request.BodyReader, context.RequestAborted);
        var response = context.Response;
        response.Headers["x-request-id"] = "req_bench";
        if (events == 0)
        {
            response.ContentType = "application/json";
            response.ContentLength = Completion.Length;
            await response.Body.WriteAsync(Completion, context.RequestAborted);
            return;
        }
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(context.RequestAborted);
        var writer = response.BodyWriter;
        // Event i is due at start + i gaps, whenever the previous wake-up came: a sleep per event would add each
        // timer overshoot (about 2.7 ms on a 2 ms gap here) to every later event, and that jitter, different for each
        // stream, swamped the relay's few microseconds in the mean gap.
        var start = Stopwatch.GetTimestamp();
        var gapTicks = gapMicros * (Stopwatch.Frequency / 1e6);
        for (var i = 0; i < events - 1; i++)
        {
            await writer.WriteAsync(Chunk, context.RequestAborted);
            if (gapMicros == 0) continue;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)((i + 1) * gapTicks));
            if (wait > TimeSpan.Zero) await Task.Delay(wait, context.RequestAborted);
        }
        await writer.WriteAsync(LastChunk, context.RequestAborted);
    }

    /// <summary>Drains the body and reads the stream plan from the model name; (0, 0) for a JSON reply.</summary>
    private static async ValueTask<(int Events, int GapMicros)> ReadPlanAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (!result.IsCompleted)
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                continue;
            }
            var plan = ParsePlan(result.Buffer.IsSingleSegment ? result.Buffer.FirstSpan : result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
            return plan;
        }
    }

    private static (int Events, int GapMicros) ParsePlan(ReadOnlySpan<byte> body)
    {
        var at = body.IndexOf(StreamModelPrefix);
        if (at < 0) return (0, 0);
        var rest = body[(at + StreamModelPrefix.Length)..];
        var end = rest.IndexOf((byte)'"');
        var parts = System.Text.Encoding.ASCII.GetString(rest[..end]).Split('-');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
