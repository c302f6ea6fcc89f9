using System.Diagnostics;
using System.Globalization;
using System.Text;
using OaiProxy.LoadDriver;

// The end-to-end load driver: a lean fake upstream in this process, the built proxy as a child process, every
// figure measured direct and through the proxy in the same run. Never part of the test suite or CI.
var options = DriverOptions.Parse(args);
var root = FindRepositoryRoot();
var serverProject = options.Reference ? "bench/OaiProxy.ReferenceForwarder/OaiProxy.ReferenceForwarder.csproj" : "src/OaiProxy.Server/OaiProxy.Server.csproj";
var serverDll = options.ServerDll ?? (options.Reference
    ? Path.Combine(root, "bench/OaiProxy.ReferenceForwarder/bin/Release/net10.0/OaiProxy.ReferenceForwarder.dll")
    : Path.Combine(root, "src/OaiProxy.Server/bin/Release/net10.0/oai-proxy.dll"));
if (!options.NoBuild) Build(root, serverProject);
if (!File.Exists(serverDll)) throw new FileNotFoundException($"Build the server first: {serverDll} is missing.");

var machine = Machine.Describe();
var (sameCpu, crossCpu) = Calibration.WakeRoundTrips();
var wake = $"thread wake-up round trip (blocking pipe ping-pong): same CPU {Report.Us(sameCpu)}, across CPUs {Report.Us(crossCpu)}";
Console.WriteLine($"Machine: {machine}; {wake}");
await using var upstream = await LeanUpstream.StartAsync();
var reports = new List<Report>();
foreach (var pinned in options.Both ? new[] { false, true } : [options.Pinned])
{
    if (pinned) Machine.PinSelf("0");
    try
    {
        reports.Add(await new Suite(options, upstream, serverDll, pinned).RunAsync());
    }
    finally
    {
        if (pinned) Machine.PinSelf(Machine.AllCpus);
    }
}

var text = new StringBuilder();
text.Append(CultureInfo.InvariantCulture, $"## OaiProxy load driver results ({(options.Quick ? "quick" : "full")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)\n\n");
text.Append(CultureInfo.InvariantCulture, $"- Machine: {machine}\n");
text.Append(CultureInfo.InvariantCulture, $"- Calibration: {wake}. A proxied request needs at least two more wake-ups than a direct one.\n");
text.Append(CultureInfo.InvariantCulture, $"- Command: `{options.CommandLine}`\n");
if (options.ProxyEnv.Count > 0) text.Append(CultureInfo.InvariantCulture, $"- Proxy environment: {string.Join(", ", options.ProxyEnv.Select(e => $"{e.Key}={e.Value}"))}\n");
text.Append(CultureInfo.InvariantCulture, $"- Upstream: lean Kestrel fake in the driver (instant JSON, paced SSE). Proxy: `{Path.GetFileName(serverDll)}` (Release) as a separate process{(options.Reference ? ", the bare reference forwarder (no governed rows)" : "")}.\n");
text.Append("- \"proxy vs direct\" is the difference (or ratio) against the direct-to-upstream baseline of the same run.\n\n");
foreach (var report in reports) text.Append(report.ToMarkdown()).Append('\n');
var outPath = Path.GetFullPath(options.OutPath, root);
Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
await File.WriteAllTextAsync(outPath, text.ToString());
Console.WriteLine();
Console.WriteLine(text);
Console.WriteLine($"Written to {outPath}");
return reports.SelectMany(r => r.Rows).Any(r => r.Pass == false) ? 1 : 0;

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "OaiProxy.slnx"))) return dir.FullName;
    }
    throw new InvalidOperationException("Run the driver from inside the OaiProxy repository (OaiProxy.slnx not found).");
}

static void Build(string root, string project)
{
    Console.WriteLine($"Building {project} (Release) ...");
    using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(root, project), "-c", "Release", "--nologo", "-v", "q"])
    {
        UseShellExecute = false,
    })!;
    if (!build.WaitForExit(TimeSpan.FromMinutes(10)) || build.ExitCode != 0) throw new InvalidOperationException("Building the server failed.");
}
