using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Reliability;

/// <summary>SIGTERM on the real executable while streams are open: every stream completes and every log line lands.</summary>
[Trait("Category", ServerProcess.Category)]
public sealed class ShutdownTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Sigterm_During50OpenStreams_AllCompleteAndEveryLogEntryIsOnDisk()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var words = string.Join(' ', Enumerable.Range(0, 20).Select(i => $"w{i}"));
        upstream.Handler = r => new FakeReply.Stream(OpenAiWire.TextStream("c", r.Model!, words, false), Delay: TimeSpan.FromMilliseconds(40));
        var directory = Directory.CreateTempSubdirectory("oaiproxy-shutdown").FullName;
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "config.toml"), $"host = \"127.0.0.1\"\nport = {port}\nshutdown_timeout = 60\n" + ProxyFixture.DefaultConfig(upstream) + """

            [[loggers]]
            class = 'lm_proxy.loggers.BaseLogger'
            [loggers.log_writer]
            class = 'lm_proxy.loggers.JsonLogWriter'
            file_name = 'storage/requests.log'
            """);
        using var process = ServerProcess.Start($"--config \"{Path.Combine(directory, "config.toml")}\"");
        using var deadline = new CancellationTokenSource(Bound);
        await ServerProcess.WaitUntilListeningAsync(process, deadline.Token);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Bound };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ProxyFixture.ClientKey);
        var readers = new List<(HttpResponseMessage Response, StreamReader Reader)>();
        for (var i = 0; i < 50; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = ChatCompletionTests.Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""),
            };
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token), Encoding.UTF8);
            Assert.StartsWith("data: ", await reader.ReadLineAsync(deadline.Token));
            readers.Add((response, reader));
        }

        Process.Start("kill", $"-TERM {process.Id}")!.WaitForExit();
        var bodies = await Task.WhenAll(readers.Select(r => r.Reader.ReadToEndAsync(deadline.Token)));
        await process.WaitForExitAsync(deadline.Token);

        Assert.All(bodies, body => Assert.EndsWith("data: [DONE]\n\n", body));
        Assert.All(bodies, body => Assert.Contains("\"content\":\" w19\"", body));
        Assert.Equal(0, process.ExitCode);
        var lines = await File.ReadAllLinesAsync(Path.Combine(directory, "storage", "requests.log"), deadline.Token);
        Assert.Equal(50, lines.Length);
        foreach (var (response, reader) in readers)
        {
            reader.Dispose();
            response.Dispose();
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
