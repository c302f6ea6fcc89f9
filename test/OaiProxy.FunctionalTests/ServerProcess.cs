using System.Diagnostics;

namespace OaiProxy.FunctionalTests;

/// <summary>Starts the real oai-proxy executable built next to the tests.</summary>
internal static class ServerProcess
{
    public static string Dll()
    {
        // The tests run from test/OaiProxy.FunctionalTests/bin/<Configuration>/net10.0/.
        var here = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = here.Parent!.Name;
        var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "src", "OaiProxy.Server", "bin", configuration, "net10.0", "oai-proxy.dll");
    }

    public static Process Start(string arguments) => Process.Start(new ProcessStartInfo("dotnet", $"\"{Dll()}\" {arguments}")
    {
        RedirectStandardError = true,
        RedirectStandardOutput = true,
        UseShellExecute = false,
    })!;

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
