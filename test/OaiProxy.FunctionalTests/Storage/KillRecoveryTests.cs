using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;
using OaiProxy.Testing.OpenAi;
using OaiProxy.Testing.Postgres;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>
/// The real <c>oai-proxy</c> process killed with SIGKILL: every usage record it had acknowledged (committed, or
/// fsync'd to the spool and logged as "Spooled") is in the database after a restart.
/// </summary>
[Trait("Category", ServerProcess.Category)]
[Collection("postgres")]
public sealed partial class KillRecoveryTests(PostgresFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task ProxyKilled_AfterRecordsWereAcknowledged_LosesNone()
    {
        const int n = 5;
        var server = fixture.Server!;
        var database = await server.CreateDatabaseAsync();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        UsageTests.ScriptUpstream(upstream);
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("oaiproxy-kill").FullName;
        var config = Path.Combine(directory, "config.toml");
        await File.WriteAllTextAsync(config, $"host = \"127.0.0.1\"\nport = {port}\n" + StorageProxy.Config(upstream, database));

        using (var first = Start(config))
        {
            try
            {
                await ReadUntilAsync(first, line => line.Contains("Now listening on", StringComparison.Ordinal));
                await server.StopAsync();
                var chat = new StorageProxyClient(port).Chat("gpt-4o-mini", ProxyFixture.ClientKey);
                for (var i = 0; i < n; i++) await UsageTests.SendAsync(chat, i);
                await ReadUntilAsync(first, line => SpooledLine().Match(line) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= n);
            }
            finally
            {
                Process.Start("kill", $"-KILL {first.Id}")!.WaitForExit();
                await first.WaitForExitAsync().WaitAsync(Bound);
                if (!server.IsRunning) await server.StartAgainAsync();
            }
        }

        using (var second = Start(config))
        {
            try
            {
                await ReadUntilAsync(second, line => line.Contains("Replayed 5 spooled usage records", StringComparison.Ordinal));
            }
            finally
            {
                Process.Start("kill", $"-TERM {second.Id}")!.WaitForExit();
                await second.WaitForExitAsync().WaitAsync(Bound);
            }
        }
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(cost_nanos) FROM usage_records", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var expected = UsageTests.Expected(n);
        Assert.Equal(n, reader.GetInt64(0));
        Assert.Equal(expected.Prompt, reader.GetInt64(1));
        Assert.Equal(expected.Completion, reader.GetInt64(2));
        Assert.Equal(expected.Cached, reader.GetInt64(3));
        Assert.Equal(expected.Cost * 1_000_000_000m, reader.GetDecimal(4));
        Assert.False(File.Exists(Path.Combine(directory, "storage", "usage-spool.jsonl")));
    }

    [GeneratedRegex(@"Spooled \d+ usage records; (\d+) wait")]
    private static partial Regex SpooledLine();

    private static async Task ReadUntilAsync(Process process, Func<string, bool> match)
    {
        using var deadline = new CancellationTokenSource(Bound);
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (match(line)) return;
        }
        Assert.Fail($"oai-proxy exited ({(process.HasExited ? process.ExitCode : -1)}) before the expected line: {await process.StandardError.ReadToEndAsync()}");
    }

    private static Process Start(string config)
    {
        return ServerProcess.Start($"--config \"{config}\"");
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private sealed class StorageProxyClient(int port)
    {
        public OpenAI.Chat.ChatClient Chat(string model, string key) => new(model, new System.ClientModel.ApiKeyCredential(key),
            new OpenAI.OpenAIClientOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
    }
}
