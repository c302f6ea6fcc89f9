using System.ComponentModel;
using System.Diagnostics;

namespace OaiProxy.Testing.Node;

/// <summary>
/// Runs a Node ESM scenario from <c>test/clients/scenarios/</c> with the real npm clients installed in
/// <c>test/clients/node_modules</c> (scripts/test.sh runs <c>npm ci</c> there). A scenario reads its target from
/// <c>OAIPROXY_BASE_URL</c>, <c>OAIPROXY_API_KEY</c> and <c>OAIPROXY_MODEL</c> and prints one JSON line with its result.
/// </summary>
public static class NodeScript
{
    public const string BaseUrlVariable = "OAIPROXY_BASE_URL";
    public const string ApiKeyVariable = "OAIPROXY_API_KEY";
    public const string ModelVariable = "OAIPROXY_MODEL";

    /// <summary>The default limit for one scenario; the process tree is killed when it runs longer.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    // The clients would otherwise pick these up from the developer's shell and reach a real API.
    private static readonly string[] Scrubbed =
    [
        "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_ORGANIZATION", "OPENAI_PROJECT",
        "CODEX_HOME", "CODEX_API_KEY", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NODE_OPTIONS",
    ];

    /// <summary>The repository root: the first folder above the test assembly that holds OaiProxy.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary><c>test/clients</c>: package.json, the lock file, node_modules and the scenarios.</summary>
    public static string ClientsDirectory => Path.Combine(RepositoryRoot, "test", "clients");

    public static string ScenariosDirectory => Path.Combine(ClientsDirectory, "scenarios");

    /// <summary>The environment a scenario reads its target from.</summary>
    public static Dictionary<string, string?> Target(Uri baseUrl, string apiKey, string model) => new()
    {
        [BaseUrlVariable] = baseUrl.ToString().TrimEnd('/'),
        [ApiKeyVariable] = apiKey,
        [ModelVariable] = model,
    };

    /// <summary>
    /// Runs <paramref name="script"/> (a file name in the scenarios folder) with <c>node</c>, in the clients folder,
    /// with these arguments and extra environment variables (a null value removes one); kills the whole process
    /// tree after <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>) or on cancellation.
    /// </summary>
    public static async Task<NodeResult> RunAsync(string script, IReadOnlyDictionary<string, string?> environment,
        IReadOnlyList<string>? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(ScenariosDirectory, script);
        if (!File.Exists(path)) throw new FileNotFoundException($"The scenario '{script}' is not in {ScenariosDirectory}.", path);
        if (!Directory.Exists(Path.Combine(ClientsDirectory, "node_modules")))
        {
            throw new InvalidOperationException($"The npm clients are not installed: run 'npm ci' in {ClientsDirectory} (scripts/test.sh does it before the tests).");
        }
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ClientsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments ?? []) start.ArgumentList.Add(argument);
        foreach (var name in Scrubbed) start.Environment.Remove(name);
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        using var process = StartNode(start);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        return new NodeResult(timedOut ? -1 : process.ExitCode, await stdout, await stderr, timedOut);
    }

    private static Process StartNode(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start 'node' ({e.Message}): install Node.js 20 or newer and npm (on Debian: apt-get install nodejs npm).", e);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OaiProxy.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds OaiProxy.slnx; the tests must run from the repository.");
    }
}
