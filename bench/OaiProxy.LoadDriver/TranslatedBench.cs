using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace OaiProxy.LoadDriver;

/// <summary>
/// Section 7: the proxy's own CPU time per request on its paths to an OpenAI chat upstream: chat passed through (a
/// short request, the agent turn the translated paths carry, a 20-event stream), an Anthropic Messages request and an
/// OpenAI Responses request translated (JSON answer, and the same with a 20-event stream), a Responses request stored
/// (SQLite), and Responses passed through to a connection on the same upstream that serves the Responses API. Every
/// path runs back to back in each round, so the per-round ratios between paths come from one machine state; the stored
/// path runs on a proxy process of its own (see <see cref="BenchPath.OwnProcess"/>). With <c>--baseline-dll</c> a
/// second build runs beside this one and the two take turns in every round, so the before/after ratio comes from one
/// run on one machine state; a build that answers 404 on a path (one older than the Responses dialect) is not measured
/// on it.
/// </summary>
internal sealed class TranslatedBench(DriverOptions options, LeanUpstream upstream, string serverDll, bool pinned, Report report)
{
    private const int Concurrency = 8;

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    /// <summary>After its last answer, how long an <see cref="BenchPath.OwnProcess"/> path's CPU window stays open.</summary>
    private static readonly TimeSpan OwnProcessSettle = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A measured path; <see cref="Expect"/> is in every good answer (its last event for a stream), <see cref="Against"/>
    /// are the paths its per-round ratios are taken against.
    /// </summary>
    private sealed record BenchPath(string Name, string Path, byte[] Body, string Expect, params int[] Against)
    {
        /// <summary>
        /// Runs on a proxy process of its own, its CPU window kept open <see cref="OwnProcessSettle"/> after its last
        /// answer: storing leaves work behind (SQLite WAL checkpoints, collections of what it kept alive) that a shared
        /// process would charge to whichever path ran next. On 2026-12-08 (a loaded machine) the difference was within
        /// the noise: the stored path 513 to 663 µs in the shared process, 517 to 677 µs on its own.
        /// </summary>
        public bool OwnProcess { get; init; }
    }

    private const int ChatJson = 0, ChatTurn = 1, ChatStream = 2, MessagesJson = 3, MessagesStream = 4;

    private const string Completed = "\"status\":\"completed\"";

    private static readonly BenchPath[] Paths =
    [
        new("chat pass-through", "/v1/chat/completions", BenchClient.JsonBody("bench-json"), "\"chat.completion\""),
        new("chat pass-through, the agent turn", "/v1/chat/completions", Encoding.UTF8.GetBytes(ChatTurnBody), "\"chat.completion\"", ChatJson),
        new("chat pass-through, 20-event stream", "/v1/chat/completions", BenchClient.StreamBody(20, 0), "[DONE]", ChatJson),
        new("messages -> OpenAI, JSON", "/v1/messages", Messages("bench-json", stream: false), "\"end_turn\"", ChatJson, ChatTurn),
        new("messages -> OpenAI, 20-event stream", "/v1/messages", Messages("bench-stream-20-0", stream: true), "message_stop", ChatJson, ChatStream),
        new("responses -> chat, JSON", "/v1/responses", Responses("bench-json", stream: false, store: false), Completed, ChatJson, ChatTurn, MessagesJson),
        new("responses -> chat, 20-event stream", "/v1/responses", Responses("bench-stream-20-0", stream: true, store: false), "response.completed", ChatJson, ChatStream, MessagesStream),
        new("responses -> chat, JSON, stored (SQLite)", "/v1/responses", Responses("bench-json", stream: false, store: true), Completed, ChatJson, ChatTurn, MessagesJson) { OwnProcess = true },
        new("responses pass-through, JSON", "/v1/responses", Responses("bench-json" + ProxyProcess.NativeResponsesSuffix, stream: false, store: false), Completed, ChatJson, ChatTurn),
        new("responses pass-through, 20-event stream", "/v1/responses", Responses("bench-stream-20-0" + ProxyProcess.NativeResponsesSuffix, stream: true, store: false), "response.completed", ChatJson, ChatStream),
    ];

    // The agent turn below as a chat client sends it (and as the translators send it upstream).
    private const string ChatTurnBody = """
        {"model":"bench-json","max_tokens":32,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."},{"role":"assistant","content":"Hello.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"clock","arguments":"{\"zone\":\"UTC\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"12:00"}],"tools":[{"type":"function","function":{"name":"clock","description":"The time.","parameters":{"type":"object","properties":{"zone":{"type":"string"}}}}}]}
        """;

    private static byte[] Messages(string model, bool stream) => Encoding.UTF8.GetBytes(
        "{\"model\":\"" + model + "\",\"max_tokens\":32,\"stream\":" + (stream ? "true" : "false") + MessagesRest);

    // A short agent turn: system, a tool call and its result, a tool definition.
    private const string MessagesRest = """
        ,"system":"You are a helpful assistant.","messages":[{"role":"user","content":"Say hello in one short sentence."},{"role":"assistant","content":[{"type":"text","text":"Hello."},{"type":"tool_use","id":"toolu_1","name":"clock","input":{"zone":"UTC"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"12:00"}]}],"tools":[{"name":"clock","description":"The time.","input_schema":{"type":"object","properties":{"zone":{"type":"string"}}}}]}
        """;

    private static byte[] Responses(string model, bool stream, bool store) => Encoding.UTF8.GetBytes(
        "{\"model\":\"" + model + "\",\"max_output_tokens\":32,\"stream\":" + (stream ? "true" : "false") + ",\"store\":" + (store ? "true" : "false") + ResponsesRest);

    // The same agent turn as the Messages one, as a Responses client (an Agents SDK loop) sends it.
    private const string ResponsesRest = """
        ,"instructions":"You are a helpful assistant.","input":[{"type":"message","role":"user","content":"Say hello in one short sentence."},{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello."}]},{"type":"function_call","call_id":"call_1","name":"clock","arguments":"{\"zone\":\"UTC\"}"},{"type":"function_call_output","call_id":"call_1","output":"12:00"}],"tools":[{"type":"function","name":"clock","description":"The time.","parameters":{"type":"object","properties":{"zone":{"type":"string"}}},"strict":false}]}
        """;

    public async Task RunAsync()
    {
        var builds = new List<(string Name, string Dll)> { ("this build", serverDll) };
        if (options.BaselineDll is { } baseline) builds.Insert(0, ("baseline", baseline));
        // Per build: the process most paths share, and one for the paths that run on their own.
        var proxies = new List<ProxyProcess>();
        var own = new List<ProxyProcess>();
        ProxyProcess Target(int build, int path) => Paths[path].OwnProcess ? own[build] : proxies[build];
        try
        {
            foreach (var (name, dll) in builds)
            {
                proxies.Add(await ProxyProcess.StartPlainAsync(name, dll, upstream.ApiBase, pinned, options.ProxyEnv));
                own.Add(await ProxyProcess.StartPlainAsync(name, dll, upstream.ApiBase, pinned, options.ProxyEnv));
            }
            using var http = new HttpMessageInvoker(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2, UseProxy = false, UseCookies = false });
            // A build without a path (404: older than the Responses dialect) is not measured on it.
            var served = new HashSet<(int Build, int Path)>();
            for (var b = 0; b < proxies.Count; b++)
            {
                var missing = new List<string>();
                for (var p = 0; p < Paths.Length; p++)
                {
                    using var request = NewRequest(Uri(Target(b, p), Paths[p]), Paths[p].Body);
                    using var probe = await http.SendAsync(request, CancellationToken.None);
                    var (status, answer) = (probe.StatusCode, await probe.Content.ReadAsStringAsync());
                    if (status == HttpStatusCode.OK && answer.Contains(Paths[p].Expect, StringComparison.Ordinal)) served.Add((b, p));
                    else if (status == HttpStatusCode.NotFound) missing.Add($"{Paths[p].Name} ({Paths[p].Path})");
                    else throw new InvalidOperationException($"{Paths[p].Path} (\"{Paths[p].Name}\") answered HTTP {(int)status} through {proxies[b].Name}, {answer.Length} characters without {Paths[p].Expect}: {answer[..Math.Min(answer.Length, 600)]}");
                }
                if (missing.Count > 0) report.Note($"Section 7: {proxies[b].Name} answers 404 on these paths, so they are not measured for it: {string.Join(", ", missing)}.");
            }
            // Warm every path of every build to tier 1 before anything counts.
            foreach (var (b, p) in served) await RunRequestsAsync(http, Target(b, p), Paths[p], options.TranslatedWarmup);
            var samples = new Dictionary<(int Build, int Path), List<double>>();
            for (var round = 0; round < options.TranslatedRounds; round++)
            {
                for (var p = 0; p < Paths.Length; p++)
                {
                    // Alternate which build goes first, so drift within a round favours neither.
                    for (var k = 0; k < proxies.Count; k++)
                    {
                        var b = (k + round) % proxies.Count;
                        if (!served.Contains((b, p))) continue;
                        var proxy = Target(b, p);
                        var before = ProcessMemory.CpuTime(proxy.Pid);
                        await RunRequestsAsync(http, proxy, Paths[p], options.TranslatedRequests);
                        if (Paths[p].OwnProcess) await Task.Delay(OwnProcessSettle);
                        var perRequest = (ProcessMemory.CpuTime(proxy.Pid) - before).TotalMicroseconds / options.TranslatedRequests;
                        (samples.TryGetValue((b, p), out var list) ? list : samples[(b, p)] = []).Add(perRequest);
                    }
                }
            }
            var current = proxies.Count - 1;
            for (var p = 0; p < Paths.Length; p++)
            {
                if (!samples.TryGetValue((current, p), out var now)) throw new InvalidOperationException($"This build does not serve {Paths[p].Path}.");
                var versus = new List<string>();
                // Rounds are paired (both builds, back to back), so the median of the per-round ratios cancels most drift.
                if (proxies.Count > 1 && samples.TryGetValue((0, p), out var before))
                {
                    versus.Add(string.Create(CultureInfo.InvariantCulture, $"baseline {Median(before):0.0} µs {Spread(before)}; per-round ratio median {RatioText(now, before)}"));
                }
                foreach (var against in Paths[p].Against)
                {
                    versus.Add(string.Create(CultureInfo.InvariantCulture, $"{RatioText(now, samples[(current, against)])} of {Paths[against].Name}"));
                }
                report.Add(new ResultRow($"7. proxy CPU per request, {Paths[p].Name} (c={Concurrency}, median of {options.TranslatedRounds} rounds)", "",
                    $"{Report.Us(Median(now))} {Spread(now)}", string.Join("; ", versus), "", null));
            }
            report.Note("Section 7 ratios are medians of per-round ratios (range in brackets): every path runs back to back in each round, so drift hits both sides of a ratio alike.");
        }
        finally
        {
            foreach (var proxy in proxies.Concat(own)) await proxy.DisposeAsync();
        }
    }

    private static Uri Uri(ProxyProcess proxy, BenchPath path) => new($"http://127.0.0.1:{proxy.Port}{path.Path}");

    private static string RatioText(List<double> values, List<double> reference)
    {
        var ratios = values.Zip(reference, (v, r) => v / r).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{Median(ratios):0.00}× ({ratios.Min():0.00}–{ratios.Max():0.00})");
    }

    private static async Task RunRequestsAsync(HttpMessageInvoker http, ProxyProcess proxy, BenchPath path, int count)
    {
        var uri = Uri(proxy, path);
        var next = 0;
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                while (Interlocked.Increment(ref next) <= count)
                {
                    using var request = NewRequest(uri, path.Body);
                    using var response = await http.SendAsync(request, CancellationToken.None);
                    await using var stream = await response.Content.ReadAsStreamAsync();
                    while (await stream.ReadAsync(buffer) > 0)
                    {
                    }
                    var status = response.StatusCode;
                    if (status != HttpStatusCode.OK) throw new InvalidOperationException($"{path.Path} answered HTTP {(int)status} through {proxy.Name}.");
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        await Task.WhenAll(workers);
    }

    private static HttpRequestMessage NewRequest(Uri uri, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonType } },
            Version = HttpVersion.Version11,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProxyProcess.ClientKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Spread(List<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"({values.Min():0.0}–{values.Max():0.0})");
}
