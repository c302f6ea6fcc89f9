namespace OaiProxy.LoadDriver;

/// <summary>
/// Section 6: what the governed path (auth over 100 keys, a JSON request log, limits counted in Redis when a URL is
/// given) adds on top of the plain hop. One pair of proxies says little: two fresh processes differ by tens of
/// microseconds in where the JIT and the scheduler leave them. So several fresh pairs are started, each warmed until
/// its CPU time per request is steady, measured interleaved with the direct baseline, and the median pair is judged.
/// </summary>
internal sealed class GovernedComparison(DriverOptions options, LeanUpstream upstream, string serverDll, bool pinned, Report report)
{
    private sealed record PairResult(double PlainAdded50, double GovernedAdded50, double PlainAdded99, double GovernedAdded99,
        double PlainCpu, double GovernedCpu, TimeSpan Warmup)
    {
        public double Extra50 => PlainAdded50 > 0 ? GovernedAdded50 / PlainAdded50 - 1 : double.NaN;

        public double Extra99 => PlainAdded99 > 0 ? GovernedAdded99 / PlainAdded99 - 1 : double.NaN;
    }

    public async Task RunAsync(BenchClient direct)
    {
        var pairs = new List<PairResult>();
        for (var round = 0; round < options.GovernedPairs; round++)
        {
            pairs.Add(await MeasurePairAsync(direct));
            var last = pairs[^1];
            Console.WriteLine($"  pair {round + 1}/{options.GovernedPairs}: warm {last.Warmup.TotalSeconds:0} s, plain {Report.Added(last.PlainAdded50)}, governed {Report.Added(last.GovernedAdded50)} ({Report.SignedPercent(last.Extra50)})");
        }
        var label = $"median of {pairs.Count} fresh pairs, each warmed until steady";
        AddRow($"6. governed (auth 100 keys + JSON log{(options.RedisUrl is null ? "" : " + Redis limits")}) added p50, {label}",
            Median(pairs, p => p.GovernedAdded50), Median(pairs, p => p.PlainAdded50), Median(pairs, p => p.Extra50), judged: true);
        AddRow("6. governed added p99", Median(pairs, p => p.GovernedAdded99), Median(pairs, p => p.PlainAdded99), Median(pairs, p => p.Extra99), judged: false);
        var plainCpu = Median(pairs, p => p.PlainCpu);
        var governedCpu = Median(pairs, p => p.GovernedCpu);
        report.Add(new ResultRow("6. proxy CPU time per request (c=1), governed vs plain", Report.Us(plainCpu), Report.Us(governedCpu),
            $"{Report.Added(governedCpu - plainCpu)} ({Report.SignedPercent(governedCpu / plainCpu - 1)})", "", null));
        report.Note("Governed vs plain per pair (p50 extra over the plain added latency): " +
            string.Join("; ", pairs.Select(p => $"{Report.SignedPercent(p.Extra50)} (plain {Report.Added(p.PlainAdded50)}, governed {Report.Added(p.GovernedAdded50)}, warm-up {p.Warmup.TotalSeconds:0} s)")) + ".");
    }

    private async Task<PairResult> MeasurePairAsync(BenchClient direct)
    {
        var env = options.ProxyEnv;
        await using var plain = await ProxyProcess.StartPlainAsync("plain", serverDll, upstream.ApiBase, pinned, env);
        await using var governed = await ProxyProcess.StartAsync("governed", serverDll,
            (port, dir) => ProxyProcess.GovernedConfig(port, upstream.ApiBase, Path.Combine(dir, "requests.jsonl"), options.RedisUrl), pinned, env);
        using var plainClient = new BenchClient(plain.ChatUri, 1);
        using var governedClient = new BenchClient(governed.ChatUri, 1);
        var json = BenchClient.JsonBody("bench-json");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var took = await SteadyWarmup.RunAsync([(plainClient, plain), (governedClient, governed)], json,
            options.SteadyWarmupLeast, options.SteadyWarmupMost, timeout.Token);

        var cpuBefore = (Plain: ProcessMemory.CpuTime(plain.Pid), Governed: ProcessMemory.CpuTime(governed.Pid));
        var (samples, errors) = await LatencyBench.RunAsync([direct, plainClient, governedClient], json, options.LatencyRequests, options.LatencyBlocks);
        var plainCpu = (ProcessMemory.CpuTime(plain.Pid) - cpuBefore.Plain).TotalMicroseconds / samples[1].Count;
        var governedCpu = (ProcessMemory.CpuTime(governed.Pid) - cpuBefore.Governed).TotalMicroseconds / samples[2].Count;
        if (errors > 0) report.Note($"Governed comparison: {errors} failed requests in one pair.");
        var (d, p, g) = (samples[0], samples[1], samples[2]);
        return new PairResult(p.Percentile(50) - d.Percentile(50), g.Percentile(50) - d.Percentile(50),
            p.Percentile(99) - d.Percentile(99), g.Percentile(99) - d.Percentile(99), plainCpu, governedCpu, took);
    }

    private void AddRow(string measure, double governedAdded, double plainAdded, double extra, bool judged) =>
        report.Add(new ResultRow(measure, "", Report.Added(governedAdded), $"plain {Report.Added(plainAdded)}, {Report.SignedPercent(extra)}",
            "≤ +25 % of plain added", judged ? extra <= 0.25 : null));

    private static double Median(List<PairResult> pairs, Func<PairResult, double> value)
    {
        var sorted = pairs.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
