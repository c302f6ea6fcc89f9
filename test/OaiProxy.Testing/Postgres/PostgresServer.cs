using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OaiProxy.Testing.Postgres;

/// <summary>
/// A throw-away PostgreSQL server from Debian's <c>postgresql</c> package: <c>initdb</c> into a temporary folder,
/// <c>pg_ctl start</c> on a free port on 127.0.0.1, trust authentication. PostgreSQL refuses to run as root, so
/// as root the binaries run as the package's <c>postgres</c> user (<c>runuser</c>). Can be stopped and started again.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly string _bin;
    private readonly string _root;
    private int _databases;

    private PostgresServer(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Why no server can be started here, or null when one can.</summary>
    public static string? UnavailableReason { get; } = FindBin() is null
        ? "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); scripts/test.sh installs Debian's postgresql package."
        : IsRoot() && !UserExists("postgres") ? "Running as root and there is no \"postgres\" user to run PostgreSQL as." : null;

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(UnavailableReason);
        var root = Directory.CreateTempSubdirectory("oaiproxy-pg-").FullName;
        if (IsRoot()) await RunAsync("chown", $"postgres \"{root}\"", asPostgres: false);
        var server = new PostgresServer(bin, root, FreePort());
        await server.RunPgAsync("initdb", $"-D \"{server.DataDirectory}\" -A trust -U postgres -E UTF8 --no-sync --no-instructions");
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        var options = $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200";
        await RunPgAsync("pg_ctl", $"-D \"{DataDirectory}\" -l \"{Path.Combine(_root, "server.log")}\" -w -t 60 -o \"{options}\" start");
        IsRunning = true;
    }

    public async Task StopAsync()
    {
        await RunPgAsync("pg_ctl", $"-D \"{DataDirectory}\" -m immediate -w -t 60 stop");
        NpgsqlConnection.ClearAllPools();
        IsRunning = false;
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=10";

    /// <summary>A new empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    private Task RunPgAsync(string tool, string arguments) => RunAsync(Path.Combine(_bin, tool), arguments, IsRoot());

    private static async Task RunAsync(string file, string arguments, bool asPostgres)
    {
        var info = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- \"{file}\" {arguments}")
            : new ProcessStartInfo(file, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = "/";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Bound);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {arguments} failed ({process.ExitCode}): {await stdout}{await stderr}");
        }
    }

    private static string? FindBin()
    {
        if (!Directory.Exists("/usr/lib/postgresql")) return null;
        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    private static bool IsRoot() => Environment.UserName == "root";

    private static bool UserExists(string user) => File.ReadLines("/etc/passwd").Any(l => l.StartsWith(user + ":", StringComparison.Ordinal));

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (IsRunning) await StopAsync();
        }
        finally
        {
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
}
