using System.Diagnostics;
using System.Globalization;

namespace OaiProxy.LoadDriver;

/// <summary>Resident memory of a process from <c>/proc/PID/status</c>, and a sampler that keeps the peak.</summary>
internal static class ProcessMemory
{
    public static long Rss(int pid) => Field(pid, "VmRSS:");

    /// <summary>Anonymous (heap, stacks) and file-backed (mapped code) resident memory, and the thread count.</summary>
    public static string Breakdown(int pid) =>
        $"RssAnon {Field(pid, "RssAnon:") / (1024 * 1024)} MB, RssFile {Field(pid, "RssFile:") / (1024 * 1024)} MB, threads {Field(pid, "Threads:") / 1024}";

    /// <summary>The kernel's high-water mark of the resident set since the process started.</summary>
    public static long PeakRss(int pid) => Field(pid, "VmHWM:");

    /// <summary>User + system CPU time the process used so far (from <c>/proc/PID/stat</c>, in clock ticks of 10 ms).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static long Field(int pid, string name)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
            var value = line[name.Length..].Trim();
            var kb = value.EndsWith(" kB", StringComparison.Ordinal) ? value[..^3] : value;
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    /// <summary>Samples RSS every 50 ms until disposed (at most 10 minutes); <see cref="Peak"/> is the largest seen.</summary>
    public sealed class Sampler : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _peak;

        public Sampler(int pid) => _loop = RunAsync(pid);

        public long Peak => Interlocked.Read(ref _peak);

        private async Task RunAsync(int pid)
        {
            var clock = Stopwatch.StartNew();
            while (!_stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                var rss = Rss(pid);
                if (rss > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, rss);
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}
