using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OaiProxy.LoadDriver;

/// <summary>
/// The built <c>oai-proxy</c> server as a child process (so its memory is its own), on a free loopback port, with a
/// generated TOML config. Optionally pinned to one CPU with <c>taskset</c>.
/// </summary>
internal sealed partial class ProxyProcess : IAsyncDisposable
{
    public const string ClientKey = "sk-bench-client-0042";

    private readonly Process _process;
    private readonly string _directory;
    private readonly Queue<string> _lastLines = new();

    private ProxyProcess(Process process, string directory, int port, string name)
    {
        _process = process;
        _directory = directory;
        Port = port;
        Name = name;
    }

    public int Port { get; }

    public string Name { get; }

    public int Pid => _process.Id;

    public Uri ChatUri => new($"http://127.0.0.1:{Port}/v1/chat/completions");

    /// <summary>Models ending in this are routed to the connection that serves the Responses API (the lean upstream ignores the suffix).</summary>
    public const string NativeResponsesSuffix = "-native";

    /// <summary>
    /// One catch-all route to a chat-only connection (<c>responses_api = false</c>, so <c>/v1/responses</c> is
    /// translated to chat), and models ending in <see cref="NativeResponsesSuffix"/> to a connection on the same
    /// upstream that serves the Responses API (passed through). <paramref name="responsesKeys"/> false writes the
    /// config of builds older than the Responses dialect, which refuse the key.
    /// </summary>
    public static string PlainConfig(int port, string upstreamBase, bool responsesKeys = true) => $"""
        host = "127.0.0.1"
        port = {port}
        api_key_check = "allow_all"

        [connections.up]
        api_type = "open_ai"
        api_base = "{upstreamBase}"
        api_key = "sk-upstream-bench"
        max_retries = 0
        {(responsesKeys ? "responses_api = false" : "")}

        [connections.native]
        api_type = "open_ai"
        api_base = "{upstreamBase}"
        api_key = "sk-upstream-bench"
        max_retries = 0

        [routing]
        "*{NativeResponsesSuffix}" = "native.*"
        "*" = "up.*"
        """;

    /// <summary>
    /// A proxy with <see cref="PlainConfig"/>; a build that refuses <c>responses_api</c> (older than the Responses
    /// dialect) is started again with the config of its time, and then answers 404 on <c>/v1/responses</c>.
    /// </summary>
    public static async Task<ProxyProcess> StartPlainAsync(string name, string serverDll, string upstreamBase, bool pinned,
        IReadOnlyList<KeyValuePair<string, string>> env)
    {
        try
        {
            return await StartAsync(name, serverDll, (port, _) => PlainConfig(port, upstreamBase), pinned, env);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("responses_api", StringComparison.Ordinal))
        {
            Console.WriteLine($"  note: the proxy \"{name}\" does not know responses_api; started with the config of builds before the Responses dialect.");
            return await StartAsync(name, serverDll, (port, _) => PlainConfig(port, upstreamBase, responsesKeys: false), pinned, env);
        }
    }

    /// <summary>
    /// The governed path: keys checked against groups (100 keys), every request logged as JSON, and with a Redis URL
    /// the group's rate limits counted in Redis.
    /// </summary>
    public static string GovernedConfig(int port, string upstreamBase, string logFile, string? redisUrl)
    {
        var redis = redisUrl is null ? "" : $"redis_url = \"{redisUrl}\"";
        var limits = redisUrl is null ? "" : "rpm = 1000000000\nmax_parallel = 100000";
        var keys = string.Join(", ", Enumerable.Range(0, 99).Select(i => $"\"sk-bench-other-{i:D4}\"").Append($"\"{ClientKey}\""));
        return $"""
            host = "127.0.0.1"
            port = {port}
            {redis}

            [connections.up]
            api_type = "open_ai"
            api_base = "{upstreamBase}"
            api_key = "sk-upstream-bench"
            max_retries = 0

            [routing]
            "*" = "up.*"

            [groups.default]
            api_keys = [{keys}]
            {limits}

            [[loggers]]
            class = "lm_proxy.loggers.BaseLogger"
            log_writer = {"{"} class = "lm_proxy.loggers.JsonLogWriter", file_name = "{logFile}" {"}"}
            """;
    }

    public static async Task<ProxyProcess> StartAsync(string name, string serverDll, Func<int, string, string> config,
        bool pinned, IReadOnlyList<KeyValuePair<string, string>> env)
    {
        var directory = Directory.CreateTempSubdirectory("oai-bench-").FullName;
        var port = FreePort();
        var configPath = Path.Combine(directory, "config.toml");
        await File.WriteAllTextAsync(configPath, config(port, directory));
        // A .dll runs on the dotnet host; anything else is a native executable (a Native AOT publish).
        var host = serverDll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet" : null;
        var start = new ProcessStartInfo(pinned ? "taskset" : host ?? serverDll)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        if (pinned)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("1");
            start.ArgumentList.Add(host ?? serverDll);
        }
        if (host is not null) start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        foreach (var (key, value) in env) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the proxy.");
        var proxy = new ProxyProcess(process, directory, port, name);
        process.OutputDataReceived += (_, e) => proxy.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await proxy.WaitHealthyAsync();
        }
        catch
        {
            // Whatever went wrong, no proxy outlives the run (an unhealthy one was left running after a timeout).
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40) _lastLines.Dequeue();
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 300 && deadline.Elapsed < TimeSpan.FromSeconds(30); attempt++)
        {
            if (_process.HasExited) break;
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, but slower than the attempt's timeout (a loaded machine): ask again.
            }
            await Task.Delay(100);
        }
        string output;
        lock (_lastLines) output = string.Join('\n', _lastLines);
        throw new InvalidOperationException($"The proxy \"{Name}\" did not become healthy on port {Port}:\n{output}");
    }

    /// <summary>A port nobody listens on right now: bind to 127.0.0.1:0, read it, close.</summary>
    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public long RssBytes() => ProcessMemory.Rss(Pid);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15); // SIGTERM: a graceful stop flushes the log writer
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; the OS cleans it up eventually.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
