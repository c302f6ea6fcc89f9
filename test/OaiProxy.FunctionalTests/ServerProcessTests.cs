using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests;

/// <summary>The oai-proxy executable itself, started as a process the way users start it.</summary>
[Trait("Category", ServerProcess.Category)]
public sealed class ServerProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static Process Start(string arguments) => ServerProcess.Start(arguments);

    [Fact]
    public async Task InvalidConfig_ExitsWithAllErrorsAndNoTrace()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("oaiproxy-cli").FullName, "bad.toml");
        await File.WriteAllTextAsync(path, "prot = 1\n[connections.openai]\napi_type = \"open_ai\"\n[routing]\n\"gpt*\" = \"opena.*\"\n");
        using var process = Start($"--config \"{path}\"");
        var stderr = await process.StandardError.ReadToEndAsync().WaitAsync(Bound);
        await process.WaitForExitAsync().WaitAsync(Bound);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Did you mean \"port\"", stderr, StringComparison.Ordinal);
        Assert.Contains("Did you mean \"openai\"", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidConfig_ServesUntilSigterm()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var port = FreePort();
        var path = Path.Combine(Directory.CreateTempSubdirectory("oaiproxy-cli").FullName, "config.toml");
        await File.WriteAllTextAsync(path, $"host = \"127.0.0.1\"\nport = {port}\n" + ProxyFixture.DefaultConfig(upstream));
        using var process = Start($"--config \"{path}\"");
        try
        {
            using var deadline = new CancellationTokenSource(Bound);
            await ServerProcess.WaitUntilListeningAsync(process, deadline.Token);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var healthy = (await http.GetAsync("/health", deadline.Token)).StatusCode == HttpStatusCode.OK;
            Assert.True(healthy);
        }
        finally
        {
            Process.Start("kill", $"-TERM {process.Id}")!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(Bound);
        }
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Sighup_ReloadsTheConfigFile()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var port = FreePort();
        var path = Path.Combine(Directory.CreateTempSubdirectory("oaiproxy-cli").FullName, "config.toml");
        var config = $"host = \"127.0.0.1\"\nport = {port}\n" + ProxyFixture.DefaultConfig(upstream);
        await File.WriteAllTextAsync(path, config);
        using var process = Start($"--config \"{path}\"");
        using var deadline = new CancellationTokenSource(Bound);
        try
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(deadline.Token)) is not null && !line.Contains("Now listening on", StringComparison.Ordinal))
            {
            }
            await File.WriteAllTextAsync(path, config.Replace("openai.gpt-4o-mini", "openai.gpt-5", StringComparison.Ordinal), deadline.Token);
            Process.Start("kill", $"-HUP {process.Id}")!.WaitForExit();
            while ((line = await process.StandardOutput.ReadLineAsync(deadline.Token)) is not null && !line.Contains("Configuration reloaded", StringComparison.Ordinal))
            {
            }
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Authorization = new("Bearer", ProxyFixture.ClientKey);
            using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"alias-model","messages":[{"role":"user","content":"Hi"}]}"""), deadline.Token);
            Assert.Contains("Hello from gpt-5!", await response.Content.ReadAsStringAsync(deadline.Token));
            Assert.False(process.HasExited); // SIGHUP reloads; it does not stop the server
        }
        finally
        {
            Process.Start("kill", $"-TERM {process.Id}")!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(Bound);
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
