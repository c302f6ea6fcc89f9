using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OaiProxy.LoadDriver;

/// <summary>What the numbers were measured on, and pinning the driver's own threads to a CPU.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        var model = cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var cpus = cpuinfo.Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription;
        var memory = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim() : "unknown";
        return $"nproc {cpus}, CPU \"{model}\", {memory} RAM, Linux {kernel}, {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>Sets the CPU list of every thread of this process (threads created later inherit it).</summary>
    public static void PinSelf(string cpuList)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpuList, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        taskset.StandardOutput.ReadToEnd();
        taskset.WaitForExit(10_000);
        if (taskset.ExitCode != 0) throw new InvalidOperationException($"taskset could not pin the driver to CPU {cpuList}.");
    }

    public static string AllCpus => $"0-{Math.Max(0, File.ReadAllLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)) - 1)}";
}
