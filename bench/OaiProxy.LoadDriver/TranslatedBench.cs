using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OaiProxy.LoadDriver;

/// <summary>
/// Section 7: the proxy's own CPU time per request on its paths to an OpenAI upstream: chat passed through, an
/// Anthropic Messages request translated (JSON answer), and the same translated with a 20-event stream. With
/// <c>--baseline-dll</c> a second build runs beside this one and the two take turns in every round, so the
/// before/after ratio comes from one run on one machine state.
/// </summary>
internal sealed class TranslatedBench(DriverOptions options, LeanUpstream upstream, string serverDll, bool pinned, Report report)
{
    private const int Concurrency = 8;

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private static readonly (string Name, string Path, byte[] Body)[] Paths =
    [
        ("chat pass-through", "/v1/chat/completions", BenchClient.JsonBody("bench-json")),
        ("messages -> OpenAI, JSON", "/v1/messages", Messages("bench-json", stream: false)),
        ("messages -> OpenAI, 20-event stream", "/v1/messages", Messages("bench-stream-20-0", stream: true)),
    ];

    private static byte[] Messages(string model, bool stream) => Encoding.UTF8.GetBytes(
        "{\"model\":\"" + model + "\",\"max_tokens\":32,\"stream\":" + (stream ? "true" : "false") + MessagesRest);

    // A short agent turn: system, a tool call and its result, a tool definition.
    private const string MessagesRest = """
        ,"system":"You are a helpful assistant.","messages":[{"role":"user","content":"Say hello in one short sentence."},{"role":"assistant","content":[{"type":"text","text":"Hello."},{"type":"tool_use","id":"toolu_1","name":"clock","input":{"zone":"UTC"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"12:00"}]}],"tools":[{"name":"clock","description":"The time.","input_schema":{"type":"object","properties":{"zone":{"type":"string"}}}}]}
        """;

    public async Task RunAsync()
    {
        var builds = new List<(string Name, string Dll)> { ("this build", serverDll) };
        if (options.BaselineDll is { } baseline) builds.Insert(0, ("baseline", baseline));
        var proxies = new List<ProxyProcess>();
        try
        {
            foreach (var (name, dll) in builds)
            {
                proxies.Add(await ProxyProcess.StartAsync(name, dll, (port, _) => ProxyProcess.PlainConfig(port, upstream.ApiBase), pinned, options.ProxyEnv));
            }
            using var http = new HttpMessageInvoker(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2, UseProxy = false, UseCookies = false });
            // Warm every path of every build to tier 1 before anything counts.
            foreach (var proxy in proxies)
            {
                foreach (var path in Paths) await RunRequestsAsync(http, proxy, path.Path, path.Body, options.TranslatedWarmup);
            }
            var samples = new Dictionary<(int Build, int Path), List<double>>();
            for (var round = 0; round < options.TranslatedRounds; round++)
            {
                for (var p = 0; p < Paths.Length; p++)
                {
                    // Alternate which build goes first, so drift within a round favours neither.
                    for (var k = 0; k < proxies.Count; k++)
                    {
                        var b = (k + round) % proxies.Count;
                        var before = ProcessMemory.CpuTime(proxies[b].Pid);
                        await RunRequestsAsync(http, proxies[b], Paths[p].Path, Paths[p].Body, options.TranslatedRequests);
                        var perRequest = (ProcessMemory.CpuTime(proxies[b].Pid) - before).TotalMicroseconds / options.TranslatedRequests;
                        (samples.TryGetValue((b, p), out var list) ? list : samples[(b, p)] = []).Add(perRequest);
                    }
                }
            }
            for (var p = 0; p < Paths.Length; p++)
            {
                var current = samples[(proxies.Count - 1, p)];
                // Rounds are paired (both builds, back to back), so the median of the per-round ratios cancels most drift.
                var ratios = proxies.Count == 1 ? [] : current.Zip(samples[(0, p)], (now, before) => now / before).ToList();
                var versus = proxies.Count == 1 ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"baseline {Median(samples[(0, p)]):0.0} µs {Spread(samples[(0, p)])}; per-round ratio median {Median(ratios):0.00} ({ratios.Min():0.00}–{ratios.Max():0.00})");
                report.Add(new ResultRow($"7. proxy CPU per request, {Paths[p].Name} (c={Concurrency}, median of {options.TranslatedRounds} rounds)", "",
                    $"{Report.Us(Median(current))} {Spread(current)}", versus, "", null));
            }
        }
        finally
        {
            foreach (var proxy in proxies) await proxy.DisposeAsync();
        }
    }

    private static async Task RunRequestsAsync(HttpMessageInvoker http, ProxyProcess proxy, string path, byte[] body, int count)
    {
        var uri = new Uri($"http://127.0.0.1:{proxy.Port}{path}");
        var next = 0;
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (Interlocked.Increment(ref next) <= count)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, uri)
                    {
                        Content = new ByteArrayContent(body) { Headers = { ContentType = JsonType } },
                        Version = HttpVersion.Version11,
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProxyProcess.ClientKey);
                    request.Headers.Add("anthropic-version", "2023-06-01");
                    using var response = await http.SendAsync(request, CancellationToken.None);
                    await using var stream = await response.Content.ReadAsStreamAsync();
                    while (await stream.ReadAsync(buffer) > 0)
                    {
                    }
                    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered HTTP {(int)response.StatusCode} through {proxy.Name}.");
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        await Task.WhenAll(workers);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Spread(List<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"({values.Min():0.0}–{values.Max():0.0})");
}
