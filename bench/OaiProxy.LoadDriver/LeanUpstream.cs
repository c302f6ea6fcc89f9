using System.Buffers;
using System.Collections.Concurrent;
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
/// completion at once. A path ending in <c>/responses</c> gets the same in the Responses API's shapes (a response
/// object, or <c>response.created</c> ... <c>response.completed</c> events), for the proxy's Responses pass-through;
/// any other path gets chat, so the direct baseline pays no routing either.
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

    private static readonly byte[] Response = """
        {"id":"resp_bench0001","object":"response","created_at":1735689600,"status":"completed","completed_at":1735689600,"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"bench-json","output":[{"id":"msg_bench0001","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello! How can I help you today?","annotations":[],"logprobs":[]}]}],"parallel_tool_calls":true,"previous_response_id":null,"store":false,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":{"input_tokens":14,"input_tokens_details":{"cached_tokens":0},"output_tokens":9,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":23},"metadata":{}}
        """u8.ToArray();

    private static readonly ConcurrentDictionary<int, byte[][]> ResponseStreams = new();

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
        var responses = context.Request.Path.Value?.EndsWith("/responses", StringComparison.Ordinal) == true;
        var response = context.Response;
        response.Headers["x-request-id"] = "req_bench";
        if (events == 0)
        {
            var json = responses ? Response : Completion;
            response.ContentType = "application/json";
            response.ContentLength = json.Length;
            await response.Body.WriteAsync(json, context.RequestAborted);
            return;
        }
        var frames = responses ? ResponseStreams.GetOrAdd(events, ResponseStream) : null;
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
            await writer.WriteAsync(frames?[i] ?? Chunk, context.RequestAborted);
            if (gapMicros == 0) continue;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)((i + 1) * gapTicks));
            if (wait > TimeSpan.Zero) await Task.Delay(wait, context.RequestAborted);
        }
        await writer.WriteAsync(frames?[^1] ?? LastChunk, context.RequestAborted);
    }

    /// <summary>
    /// A Responses stream of <paramref name="events"/> events (at least 8): created, in_progress, the message item and
    /// its text part opened, text deltas, both closed, completed with usage.
    /// </summary>
    private static byte[][] ResponseStream(int events)
    {
        var deltas = Math.Max(1, events - 8);
        var text = string.Concat(Enumerable.Repeat(" token", deltas));
        var part = """{"type":"output_text","text":"TEXT","annotations":[],"logprobs":[]}""".Replace("TEXT", text, StringComparison.Ordinal);
        const string Item = """{"id":"msg_bench0001","type":"message","role":"assistant","status":"STATUS","content":CONTENT}""";
        var openItem = Item.Replace("STATUS", "in_progress", StringComparison.Ordinal).Replace("CONTENT", "[]", StringComparison.Ordinal);
        var doneItem = Item.Replace("STATUS", "completed", StringComparison.Ordinal).Replace("CONTENT", "[" + part + "]", StringComparison.Ordinal);
        const string Resource = """{"id":"resp_bench0001","object":"response","created_at":1735689600,"model":"bench-stream","status":"STATUS","output":OUTPUT,"usage":USAGE}""";
        var started = Resource.Replace("STATUS", "in_progress", StringComparison.Ordinal).Replace("OUTPUT", "[]", StringComparison.Ordinal).Replace("USAGE", "null", StringComparison.Ordinal);
        var usage = $$"""{"input_tokens":14,"input_tokens_details":{"cached_tokens":0},"output_tokens":{{deltas}},"output_tokens_details":{"reasoning_tokens":0},"total_tokens":{{14 + deltas}}}""";
        var completed = Resource.Replace("STATUS", "completed", StringComparison.Ordinal).Replace("OUTPUT", "[" + doneItem + "]", StringComparison.Ordinal).Replace("USAGE", usage, StringComparison.Ordinal);
        const string InPart = "\"item_id\":\"msg_bench0001\",\"output_index\":0,\"content_index\":0,";
        var list = new List<(string Name, string Fields)>
        {
            ("response.created", "\"response\":" + started),
            ("response.in_progress", "\"response\":" + started),
            ("response.output_item.added", "\"output_index\":0,\"item\":" + openItem),
            ("response.content_part.added", InPart + "\"part\":" + part.Replace(text, "", StringComparison.Ordinal)),
        };
        list.AddRange(Enumerable.Repeat(("response.output_text.delta", InPart + "\"delta\":\" token\",\"logprobs\":[]"), deltas));
        list.Add(("response.output_text.done", InPart + "\"text\":\"" + text + "\",\"logprobs\":[]"));
        list.Add(("response.content_part.done", InPart + "\"part\":" + part));
        list.Add(("response.output_item.done", "\"output_index\":0,\"item\":" + doneItem));
        list.Add(("response.completed", "\"response\":" + completed));
        return list.Select((e, i) => System.Text.Encoding.UTF8.GetBytes(
            "event: " + e.Name + "\ndata: {\"type\":\"" + e.Name + "\",\"sequence_number\":" + i.ToString(CultureInfo.InvariantCulture) + "," + e.Fields + "}\n\n")).ToArray();
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
