using System.Diagnostics;

namespace OaiProxy.FunctionalTests;

/// <summary>
/// Starts the real oai-proxy executable built next to the tests, or the Native AOT binary named by
/// <c>OAIPROXY_SERVER_BINARY</c> (scripts/test.sh runs the process tests once more against it).
/// </summary>
internal static class ServerProcess
{
    public const string BinaryVariable = "OAIPROXY_SERVER_BINARY";

    /// <summary>The trait of the tests that start the server as a process (the ones worth repeating on the native binary).</summary>
    public const string Category = "ServerProcess";

    private static string Dll()
    {
        // The tests run from test/OaiProxy.FunctionalTests/bin/<Configuration>/net10.0/.
        var here = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = here.Parent!.Name;
        var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "src", "OaiProxy.Server", "bin", configuration, "net10.0", "oai-proxy.dll");
    }

    /// <summary>The server with these arguments, output redirected: on the dotnet host, or the native binary when one is set.</summary>
    public static ProcessStartInfo StartInfo(string arguments)
    {
        var native = Environment.GetEnvironmentVariable(BinaryVariable);
        var (file, allArguments) = string.IsNullOrEmpty(native) ? ("dotnet", $"\"{Dll()}\" {arguments}") : (native, arguments);
        return new ProcessStartInfo(file, allArguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
    }

    public static Process Start(string arguments) => Process.Start(StartInfo(arguments))!;

    /// <summary>Waits for the host's own "listening" line instead of polling the port.</summary>
    public static async Task WaitUntilListeningAsync(Process process, CancellationToken cancellationToken)
    {
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(cancellationToken)) is not null)
        {
            if (line.Contains("Now listening on", StringComparison.Ordinal))
            {
                // Keep draining output so a chatty server never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return;
            }
        }
        throw new InvalidOperationException("The server exited before listening: " + await process.StandardError.ReadToEndAsync(cancellationToken));
    }
}
