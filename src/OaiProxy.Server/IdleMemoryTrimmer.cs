using Microsoft.Extensions.Hosting;

namespace OaiProxy.Server;

/// <summary>
/// Gives memory back after a burst. The GC only runs when something allocates, so a server that falls quiet after a
/// peak keeps the peak's heap (and the peak's buffers) resident indefinitely. Every few seconds this checks whether
/// the process has gone quiet after real traffic and, if so, runs one aggressive (decommitting) collection.
/// "Real traffic" is either much allocation since the last trim, or a heap that grew since then: many long
/// streams allocate little but hold their buffers until they end. An idle proxy pays nothing.
/// </summary>
internal sealed class IdleMemoryTrimmer(TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Allocation in one interval (2 s) below which the process counts as quiet.</summary>
    private const long QuietBytes = 1L * 1024 * 1024;

    /// <summary>Allocation since the last trim that makes another trim worth its pause.</summary>
    private const long TrafficBytes = 64L * 1024 * 1024;

    /// <summary>Growth of the GC's committed memory since the last trim that makes another trim worth its pause.</summary>
    private const long GrowthBytes = 16L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCheck = GC.GetTotalAllocatedBytes();
        var lastTrim = lastCheck;
        var committedAfterTrim = GC.GetGCMemoryInfo().TotalCommittedBytes;
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var grown = GC.GetGCMemoryInfo().TotalCommittedBytes - committedAfterTrim;
            if (allocated - lastCheck < QuietBytes && (allocated - lastTrim > TrafficBytes || grown > GrowthBytes))
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                lastTrim = GC.GetTotalAllocatedBytes();
                committedAfterTrim = GC.GetGCMemoryInfo().TotalCommittedBytes;
            }
            lastCheck = GC.GetTotalAllocatedBytes();
        }
    }
}
