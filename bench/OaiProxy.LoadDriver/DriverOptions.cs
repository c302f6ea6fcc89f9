namespace OaiProxy.LoadDriver;

/// <summary>Command-line settings of one driver run, and the sizes of each measurement (quick or full).</summary>
internal sealed record DriverOptions
{
    public bool Quick { get; init; }

    public string OutPath { get; init; } = "bench/results/RESULTS.md";

    public bool Pinned { get; init; }

    public bool Both { get; init; }

    public bool NoBuild { get; init; }

    /// <summary>
    /// <c>--reference</c>: measure bench/OaiProxy.ReferenceForwarder (a bare Kestrel + SocketsHttpHandler hop) in
    /// place of oai-proxy, to see how much of the added latency is the platform's and how much the proxy's.
    /// </summary>
    public bool Reference { get; init; }

    /// <summary>Extra environment of the proxy process (KEY=VALUE), for trying runtime settings without a rebuild.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ProxyEnv { get; init; } = [];

    /// <summary>
    /// <c>--redis-url</c>: the governed proxy keeps its limit counters in this Redis (a group rpm and max_parallel
    /// high enough never to refuse), so the figure includes the admit and settle round trips.
    /// </summary>
    public string? RedisUrl { get; init; }

    /// <summary><c>--server-dll</c>: run this build of the server (a ReadyToRun publish, say) instead of bin/Release; implies --no-build.</summary>
    public string? ServerDll { get; init; }

    /// <summary><c>--baseline-dll</c>: another build of the server that section 7 measures beside this one, turn about.</summary>
    public string? BaselineDll { get; init; }

    public string CommandLine { get; init; } = "";

    /// <summary>Sections to run (latency, governed, streaming, throughput, streams, memory, translated); empty: all. For profiling sessions.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    public bool Runs(string section) => Only.Count == 0 || Only.Contains(section);

    public int LatencyRequests => Quick ? 4_000 : 20_000;

    public int LatencyBlocks => 10;

    /// <summary>Fresh plain + governed proxy pairs measured for section 6; the median pair is judged.</summary>
    public int GovernedPairs => Quick ? 2 : 5;

    /// <summary>Warm-up traffic before a c=1 measurement: at least this long, then until the CPU time per request is steady.</summary>
    public TimeSpan SteadyWarmupLeast => TimeSpan.FromSeconds(Quick ? 8 : 20);

    public TimeSpan SteadyWarmupMost => TimeSpan.FromSeconds(Quick ? 16 : 40);

    public int ThroughputRounds => Quick ? 3 : 5;

    public TimeSpan ThroughputWindow => TimeSpan.FromSeconds(Quick ? 1 : 2);

    public int ThroughputConcurrency => 64;

    public int OpenLoopRate => 2_000;

    public TimeSpan OpenLoopDuration => TimeSpan.FromSeconds(Quick ? 3 : 10);

    /// <summary>Unpaced streams through both targets before the streaming section, so its relay code is compiled at tier 1.</summary>
    public TimeSpan StreamWarmup => TimeSpan.FromSeconds(Quick ? 4 : 10);

    /// <summary>Enough streams that the first-token p99 is not one late wake-up: with 100 it was the second-slowest stream.</summary>
    public int PacedStreams => Quick ? 20 : 300;

    public int PacedEvents => 50;

    public int PacedGapMicros => 2_000;

    public int BurstStreams => Quick ? 20 : 100;

    public int BurstEvents => 1_000;

    public int ManyStreams => 1_000;

    /// <summary>Section 7: requests per path and build in each round, and the rounds (the median round is reported).</summary>
    public int TranslatedRequests => Quick ? 2_000 : 3_000;

    public int TranslatedRounds => Quick ? 5 : 21;

    public int TranslatedWarmup => Quick ? 3_000 : 10_000;

    public int ManyStreamEvents => Quick ? 30 : 60;

    public int ManyStreamGapMicros => 50_000;

    public TimeSpan ManyStreamRamp => TimeSpan.FromSeconds(1);

    public TimeSpan StallGap => TimeSpan.FromSeconds(1);

    /// <summary>Full runs read RSS once more after the upstream pool closed the burst's connections: 90 s idle timeout, plus up to a quarter of it until the pool's cleanup timer runs.</summary>
    public TimeSpan? PoolExpirySettle => Quick ? null : TimeSpan.FromSeconds(125);

    public TimeSpan SettleTime => TimeSpan.FromSeconds(Quick ? 6 : 10);

    public static DriverOptions Parse(string[] args)
    {
        var options = new DriverOptions { CommandLine = "dotnet run -c Release --project bench/OaiProxy.LoadDriver --" + (args.Length == 0 ? "" : " " + string.Join(' ', args)) };
        var env = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": options = options with { Quick = true }; break;
                case "--pinned": options = options with { Pinned = true }; break;
                case "--both": options = options with { Both = true }; break;
                case "--no-build": options = options with { NoBuild = true }; break;
                case "--reference": options = options with { Reference = true }; break;
                case "--only" when i + 1 < args.Length: options = options with { Only = args[++i].Split(',') }; break;
                case "--out" when i + 1 < args.Length: options = options with { OutPath = args[++i] }; break;
                case "--redis-url" when i + 1 < args.Length: options = options with { RedisUrl = args[++i] }; break;
                case "--server-dll" when i + 1 < args.Length: options = options with { ServerDll = Path.GetFullPath(args[++i]), NoBuild = true }; break;
                case "--baseline-dll" when i + 1 < args.Length: options = options with { BaselineDll = Path.GetFullPath(args[++i]) }; break;
                case "--proxy-env" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
                    var pair = args[++i].Split('=', 2);
                    env.Add(new(pair[0], pair[1]));
                    break;
                default:
                    throw new ArgumentException($"Unknown argument \"{args[i]}\". Use --quick, --out FILE, --pinned, --both, --no-build, --reference, --proxy-env KEY=VALUE, --redis-url URL, --server-dll PATH, --baseline-dll PATH, --only latency,governed,streaming,throughput,streams,memory,translated.");
            }
        }
        return options with { ProxyEnv = env };
    }
}
