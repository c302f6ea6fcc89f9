using System.Diagnostics;
using System.Globalization;

namespace OaiProxy.LoadDriver;

/// <summary>Resident memory of a process from <c>/proc/PID/status</c>, and a sampler that keeps the peak.</summary>
internal static class ProcessMemory
{
    public static long Rss(int pid) => Field(pid, "VmRSS:");

    /// <summary>The kernel's high-water mark of the resident set since the process started.</summary>
    public static long PeakRss(int pid) => Field(pid, "VmHWM:");

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
