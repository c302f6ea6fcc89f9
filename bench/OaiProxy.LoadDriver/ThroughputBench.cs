using System.Diagnostics;

namespace OaiProxy.LoadDriver;

/// <summary>Closed-loop throughput at a fixed concurrency, and latency at a fixed open-loop arrival rate.</summary>
internal static class ThroughputBench
{
    /// <summary>
    /// Closed-loop windows at <paramref name="concurrency"/>, alternating between the targets round after round. The
    /// machine's speed drifts (the direct rate alone moved from 40,000 to 77,000 req/s between runs), so one long
    /// window per target compares two different machines; alternating short windows lets the drift hit both alike,
    /// and each round gives one ratio. Each target's CPU clock is read around its own windows only.
    /// </summary>
    public static async Task<List<ThroughputWindow>[]> InterleavedAsync(IReadOnlyList<(BenchClient Client, Func<TimeSpan> Cpu)> targets,
        byte[] body, int concurrency, int rounds, TimeSpan window)
    {
        foreach (var (client, _) in targets) await RunWorkersAsync(client, body, concurrency, TimeSpan.FromSeconds(1)); // connections and JIT
        var windows = targets.Select(_ => new List<ThroughputWindow>(rounds)).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                var cpuBefore = targets[t].Cpu();
                var clock = Stopwatch.StartNew();
                var (completed, errors) = await RunWorkersAsync(targets[t].Client, body, concurrency, window);
                windows[t].Add(new ThroughputWindow(completed, errors, clock.Elapsed, targets[t].Cpu() - cpuBefore));
            }
        }
        return windows;
    }

    private static async Task<(long Completed, int Errors)> RunWorkersAsync(BenchClient client, byte[] body, int concurrency, TimeSpan duration)
    {
        long completed = 0;
        var errors = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            // Bounded by time and by a count no machine reaches in the window.
            for (var i = 0; i < 10_000_000 && Stopwatch.GetTimestamp() < deadline; i++)
            {
                try
                {
                    if (await client.SendAsync(body, timeout.Token)) Interlocked.Increment(ref completed);
                    else Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        await Task.WhenAll(workers);
        return (completed, errors);
    }

    /// <summary>
    /// Sends at <paramref name="rate"/> requests per second whatever the answers do, so a slow period is not hidden by
    /// sending less (no coordinated omission). Latency counts from the actual send: the scheduler wakes about once a
    /// millisecond, and that lateness is the driver's, not the target's.
    /// </summary>
    public static async Task<(Samples Latency, int Errors, int Shed)> OpenLoopAsync(BenchClient client, byte[] body, int rate, TimeSpan duration)
    {
        const int MaxInFlight = 2_048;
        var total = (int)(rate * duration.TotalSeconds);
        var samples = new Samples(total);
        var errors = 0;
        var shed = 0;
        var inFlight = 0;
        var tasks = new List<Task>(total);
        using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));
        var start = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / (double)rate;
        var sent = 0;
        while (sent < total && !timeout.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            while (sent < total && start + (long)(sent * interval) <= now)
            {
                sent++;
                if (Volatile.Read(ref inFlight) >= MaxInFlight)
                {
                    shed++;
                    continue;
                }
                Interlocked.Increment(ref inFlight);
                tasks.Add(SendOneAsync());
            }
            await Task.Delay(1);
        }
        await Task.WhenAll(tasks);
        return (samples, errors, shed);

        async Task SendOneAsync()
        {
            var sentAt = Stopwatch.GetTimestamp();
            try
            {
                var ok = await client.SendAsync(body, timeout.Token);
                var elapsed = Stopwatch.GetTimestamp() - sentAt;
                lock (samples) samples.Add(elapsed);
                if (!ok) Interlocked.Increment(ref errors);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                Interlocked.Increment(ref errors);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }
}

/// <summary>One closed-loop window on one target: requests answered, failures, wall time, and the CPU time of the
/// process the target's clock reads.</summary>
internal sealed record ThroughputWindow(long Completed, int Errors, TimeSpan Elapsed, TimeSpan Cpu)
{
    public double Rate => Completed / Elapsed.TotalSeconds;

    public double CpuMicrosecondsPerRequest => Completed == 0 ? 0 : Cpu.TotalMicroseconds / Completed;
}
