using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OaiProxy.Testing.Redis;

/// <summary>
/// A throw-away Redis server from Debian's <c>redis-server</c> package on a free port on 127.0.0.1, without
/// persistence, in a temporary folder. <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> simulate an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly string _root;
    private Process? _process;

    private RedisServer(string root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Why no server can be started here, or null when one can.</summary>
    public static string? UnavailableReason { get; } = File.Exists(Binary)
        ? null
        : "Redis is not installed (no /usr/bin/redis-server); scripts/test.sh installs Debian's redis-server package.";

    private static string Binary => "/usr/bin/redis-server";

    public static async Task<RedisServer> StartAsync()
    {
        if (UnavailableReason is { } reason) throw new InvalidOperationException(reason);
        var server = new RedisServer(Directory.CreateTempSubdirectory("oaiproxy-redis-").FullName, FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port, empty.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _root, "--protected-mode", "no", "--daemonize", "no"])
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(Bound);
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                _process = process;
                return;
            }
        }
        throw new InvalidOperationException("redis-server exited before it was ready: " + await process.StandardError.ReadToEndAsync(timeout.Token));
    }

    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        process.Kill();
        await process.WaitForExitAsync().WaitAsync(Bound);
        process.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }
}
