namespace OaiProxy.Server;

/// <summary>
/// Gives memory back after a burst. The GC only runs when something allocates, so a server that falls quiet after a
/// peak keeps the peak's heap (and the peak's buffers) resident indefinitely. Every few seconds this checks whether
/// the process has gone quiet after real traffic and, if so, runs one aggressive (decommitting) collection and
/// trims the C heap.
/// "Real traffic" is either much allocation since the last trim, or a working set that grew since then: many long
/// streams allocate too little to start a collection, yet leave tens of MB of young objects behind (and the GC's
/// own numbers only change when it runs, so the process's resident size is the measure). One more trim follows
/// once the upstream pool has closed many of the burst's idle connections, since their buffers only go back then.
/// An idle proxy pays nothing after its first quiet tick.
/// </summary>
internal sealed class IdleMemoryTrimmer(TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Upstream connections closed since the last trim that make another trim worth its pause.</summary>
    private const long ClosedConnections = 64;

    /// <summary>Allocation in one interval (2 s) below which the process counts as quiet.</summary>
    private const long QuietBytes = 1L * 1024 * 1024;

    /// <summary>Allocation since the last trim that makes another trim worth its pause.</summary>
    private const long TrafficBytes = 64L * 1024 * 1024;

    /// <summary>Growth of the resident set since the last trim that makes another trim worth its pause.</summary>
    private const long GrowthBytes = 16L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCheck = GC.GetTotalAllocatedBytes();
        // Start-up (config, DI, the first compilations) counts as a burst: its garbage goes at the first quiet tick.
        var lastTrim = -TrafficBytes - 1;
        var residentAfterTrim = Environment.WorkingSet;
        using var connections = new PooledConnectionCount();
        var connectionsAfterTrim = connections.Open;
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var quiet = allocated - lastCheck < QuietBytes;
            var busyBefore = allocated - lastTrim > TrafficBytes || Environment.WorkingSet - residentAfterTrim > GrowthBytes;
            var connectionsClosed = connectionsAfterTrim - connections.Open > ClosedConnections;
            if (quiet && (busyBefore || connectionsClosed))
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                NativeHeap.Trim();
                lastTrim = GC.GetTotalAllocatedBytes();
                residentAfterTrim = Environment.WorkingSet;
                connectionsAfterTrim = connections.Open;
            }
            lastCheck = GC.GetTotalAllocatedBytes();
        }
    }
}
