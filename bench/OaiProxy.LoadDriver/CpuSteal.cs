using System.Globalization;

namespace OaiProxy.LoadDriver;

/// <summary>
/// Time the hypervisor took away from each vCPU (the <c>steal</c> column of <c>/proc/stat</c>). A vCPU that is
/// descheduled for milliseconds shows up as latency tails that no program on it can avoid.
/// </summary>
internal sealed class CpuSteal
{
    private readonly Dictionary<string, (long Steal, long Total)> _start = Read();

    public string Describe()
    {
        var now = Read();
        var parts = new List<string>();
        foreach (var (cpu, (steal, total)) in now)
        {
            if (!_start.TryGetValue(cpu, out var before) || total == before.Total) continue;
            var share = (double)(steal - before.Steal) / (total - before.Total);
            parts.Add($"{cpu} {share.ToString("0.0 %", CultureInfo.InvariantCulture)}");
        }
        return parts.Count == 0 ? "not available" : string.Join(", ", parts);
    }

    private static Dictionary<string, (long Steal, long Total)> Read()
    {
        var result = new Dictionary<string, (long, long)>();
        if (!File.Exists("/proc/stat")) return result;
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.StartsWith("cpu ", StringComparison.Ordinal)) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9) continue;
            var values = fields.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            result[fields[0]] = (values[7], values.Sum());
        }
        return result;
    }
}
