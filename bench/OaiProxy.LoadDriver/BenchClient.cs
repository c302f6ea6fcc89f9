using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OaiProxy.LoadDriver;

/// <summary>
/// The load generator's HTTP client: one tuned <see cref="SocketsHttpHandler"/> per target, and requests that drain
/// the answer into a pooled buffer so the client allocates the same whatever the target.
/// </summary>
internal sealed class BenchClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpMessageInvoker _http;
    private readonly AuthenticationHeaderValue _auth = new("Bearer", ProxyProcess.ClientKey);

    public BenchClient(Uri chatUri, int maxConnections)
    {
        ChatUri = chatUri;
        _http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
    }

    public Uri ChatUri { get; }

    public static byte[] JsonBody(string model) => Encoding.UTF8.GetBytes(
        $$"""{"model":"{{model}}","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32,"temperature":0.2}""");

    public static byte[] StreamBody(int events, int gapMicros) => Encoding.UTF8.GetBytes(
        $$$"""{"model":"bench-stream-{{{events}}}-{{{gapMicros}}}","messages":[{"role":"user","content":"Count slowly."}],"stream":true,"stream_options":{"include_usage":true}}""");

    private HttpRequestMessage Request(byte[] body) => new(HttpMethod.Post, ChatUri)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        Version = HttpVersion.Version11,
        Headers = { Authorization = _auth },
    };

    /// <summary>One non-streaming request; true on a 200 with a body.</summary>
    public async Task<bool> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = Request(body);
        using var response = await _http.SendAsync(request, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0) total += read;
            return response.StatusCode == HttpStatusCode.OK && total > 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One streaming request: the arrival time of every data event (ticks since the send), and whether it ended cleanly.</summary>
    public async Task<StreamTrace> StreamAsync(byte[] body, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var trace = new StreamTrace();
        try
        {
            using var request = Request(body);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                trace.Error = $"HTTP {(int)response.StatusCode}";
                return trace;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                await ReadEventsAsync(stream, buffer, started, trace, cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (HttpRequestException e)
        {
            trace.Error = e.Message;
        }
        catch (IOException e)
        {
            trace.Error = e.Message;
        }
        return trace;
    }

    private static async Task ReadEventsAsync(Stream stream, byte[] buffer, long started, StreamTrace trace, CancellationToken cancellationToken)
    {
        // Events end with a blank line; the upstream and the proxy both write "\n\n", so a two-byte state machine suffices.
        var previousNewline = false;
        var eventStart = true;
        var sawDone = false;
        var eventPrefix = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                if (eventStart)
                {
                    // "data: [" starts the end marker; anything else is a chunk.
                    eventPrefix = eventPrefix < 7 ? eventPrefix + 1 : eventPrefix;
                    if (eventPrefix == 7 && b == (byte)'[') sawDone = true;
                    if (eventPrefix == 7) eventStart = false;
                }
                if (b == (byte)'\n')
                {
                    if (previousNewline)
                    {
                        if (!sawDone) trace.Arrivals.Add(now - started);
                        eventStart = true;
                        eventPrefix = 0;
                        previousNewline = false;
                        continue;
                    }
                    previousNewline = true;
                }
                else
                {
                    previousNewline = false;
                }
            }
        }
        trace.Completed = sawDone;
        if (!sawDone) trace.Error ??= "The stream ended without [DONE].";
    }

    public void Dispose() => _http.Dispose();
}
