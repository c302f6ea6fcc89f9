using System.Diagnostics;

namespace OaiProxy.LoadDriver;

/// <summary>
/// Drives traffic through fresh proxies until their CPU time per request stops falling: tiered compilation and
/// dynamic PGO keep recompiling hot methods for tens of seconds after start, and the background JIT burns CPU and
/// shifts latency meanwhile. Comparing two proxies only makes sense once both have settled.
/// </summary>
internal static class SteadyWarmup
{
    // Long enough that /proc's 10 ms CPU ticks resolve a 5 % change at c=1 (each proxy uses ~0.3 s of CPU per window).
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(4);
    private const double SteadyChange = 0.05;

    /// <returns>The time it took.</returns>
    public static async Task<TimeSpan> RunAsync(IReadOnlyList<(BenchClient Client, ProxyProcess Proxy)> targets,
        byte[] body, TimeSpan least, TimeSpan most, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        double[]? previous = null;
        while (true)
        {
            var current = await WindowAsync(targets, body, cancellationToken);
            var steady = previous is not null && current.Zip(previous).All(pair => Math.Abs(pair.First / pair.Second - 1) <= SteadyChange);
            if ((steady && started.Elapsed >= least) || started.Elapsed >= most) return started.Elapsed;
            previous = current;
        }
    }

    private static async Task<double[]> WindowAsync(IReadOnlyList<(BenchClient Client, ProxyProcess Proxy)> targets, byte[] body, CancellationToken cancellationToken)
    {
        var cpuBefore = targets.Select(t => ProcessMemory.CpuTime(t.Proxy.Pid)).ToArray();
        var requests = new long[targets.Count];
        var window = Stopwatch.StartNew();
        // Short alternating blocks: both proxies see the same machine conditions within a window.
        while (window.Elapsed < Window)
        {
            for (var k = 0; k < targets.Count; k++)
            {
                for (var i = 0; i < 200; i++)
                {
                    await targets[k].Client.SendAsync(body, cancellationToken);
                    requests[k]++;
                }
            }
        }
        return targets.Select((t, k) => (ProcessMemory.CpuTime(t.Proxy.Pid) - cpuBefore[k]).TotalMicroseconds / requests[k]).ToArray();
    }
}
