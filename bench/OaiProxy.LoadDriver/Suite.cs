using System.Diagnostics;

namespace OaiProxy.LoadDriver;

/// <summary>
/// One full pass: a fresh plain proxy in front of the shared upstream (and fresh plain + governed pairs for section 6),
/// every measurement taken direct and through the proxy in the same pass, each figure compared with its direct baseline.
/// </summary>
internal sealed class Suite(DriverOptions options, LeanUpstream upstream, string serverDll, bool pinned)
{
    private readonly Report _report = new(pinned ? "Pinned: proxy on CPU 1, driver + upstream on CPU 0" : "Unpinned: all processes share all CPUs");

    public async Task<Report> RunAsync()
    {
        var env = options.ProxyEnv;
        var steal = new CpuSteal();
        await using var plain = await ProxyProcess.StartPlainAsync("plain", serverDll, upstream.ApiBase, pinned, env);
        var startRss = plain.RssBytes();
        using var direct1 = new BenchClient(upstream.ChatUri, 1);
        using var plain1 = new BenchClient(plain.ChatUri, 1);
        var json = BenchClient.JsonBody("bench-json");

        // 5a. Idle memory: after a little traffic (so the hot path is loaded and compiled) and a settle.
        for (var i = 0; i < 200; i++) await plain1.SendAsync(json, CancellationToken.None);
        for (var i = 0; i < 10; i++) await plain1.StreamAsync(BenchClient.StreamBody(10, 0), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idleRss = plain.RssBytes();
        var idleBreakdown = ProcessMemory.Breakdown(plain.Pid);

        // Steady state is what a gateway in service runs at; a fresh process is still tiering up its hot path (the first
        // throughput round of an unwarmed proxy measured 20 % of direct, the third 33 to 41 %).
        if (options.Runs("latency") || options.Runs("throughput"))
        {
            using var warmupTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var took = await SteadyWarmup.RunAsync([(plain1, plain)], json, options.SteadyWarmupLeast, options.SteadyWarmupMost, warmupTimeout.Token);
            _report.Note($"Latency at c=1 and throughput measured after {took.TotalSeconds:0} s of warm-up traffic (until the proxy's CPU time per request was steady).");
        }
        Console.WriteLine($"[{_report.Title}] 1. latency at concurrency 1 ...");
        if (options.Runs("latency"))
        {
            var cpuBefore = ProcessMemory.CpuTime(plain.Pid);
            await LatencyAsync(direct1, plain1, json);
            var cpuPerRequest = (ProcessMemory.CpuTime(plain.Pid) - cpuBefore).TotalMicroseconds / options.LatencyRequests;
            _report.Add(new ResultRow("1. proxy CPU time per request (c=1)", "", Report.Us(cpuPerRequest), "", "", null));
        }
        if (options.Runs("governed") && !options.Reference)
        {
            Console.WriteLine("6. governed vs plain, fresh warmed pairs ...");
            await new GovernedComparison(options, upstream, serverDll, pinned, _report).RunAsync(direct1);
        }
        Console.WriteLine("3. streaming ...");
        if (options.Runs("streaming")) await StreamingAsync(direct1, plain1);
        Console.WriteLine("2. throughput and open-loop latency ...");
        var loadRss = options.Runs("throughput") ? await ThroughputAsync(plain, json) : 0;
        Console.WriteLine("4. many concurrent streams ...");
        var streamsRss = options.Runs("streams") ? await ManyStreamsAsync(plain) : 0;
        Console.WriteLine("7. CPU per request on the pass-through and translated paths ...");
        if (options.Runs("translated") && !options.Reference) await new TranslatedBench(options, upstream, serverDll, pinned, _report).RunAsync();
        _report.Note($"Host steal time during the measurements (vCPU time the hypervisor took away): {steal.Describe()}.");
        if (!options.Runs("memory")) return _report;

        // 5b. Memory after load: give the GC a quiet moment, as a real gateway gets between peaks.
        await Task.Delay(options.SettleTime);
        var afterRss = plain.RssBytes();
        _report.Note($"Proxy memory when idle: {idleBreakdown}; after load: {ProcessMemory.Breakdown(plain.Pid)}.");
        _report.Add(new ResultRow("idle RSS (after warm-up)", "", Report.Mb(idleRss), $"at start {Report.Mb(startRss)}", "≤ 80 MB", idleRss <= 80L * 1024 * 1024));
        _report.Add(new ResultRow("RSS under load (c=64 peak)", "", Report.Mb(loadRss), "", "", null));
        _report.Add(new ResultRow($"RSS after load (+{options.SettleTime.TotalSeconds:0} s)", "", Report.Mb(afterRss),
            $"{Report.Percent((double)afterRss / idleRss - 1)} vs idle", "≤ +20 % vs idle", afterRss <= idleRss * 1.2));
        if (options.PoolExpirySettle is { } expiry)
        {
            await Task.Delay(expiry - options.SettleTime);
            var expiredRss = plain.RssBytes();
            _report.Add(new ResultRow($"RSS after load (+{expiry.TotalSeconds:0} s, idle upstream connections closed)", "", Report.Mb(expiredRss),
                $"{Report.Percent((double)expiredRss / idleRss - 1)} vs idle", "≤ +20 % vs idle", expiredRss <= idleRss * 1.2));
            _report.Note($"Proxy memory {expiry.TotalSeconds:0} s after load: {ProcessMemory.Breakdown(plain.Pid)}.");
        }
        _report.Add(new ResultRow("peak RSS (kernel high-water mark)", "", Report.Mb(ProcessMemory.PeakRss(plain.Pid)), $"1,000 streams peak {Report.Mb(streamsRss)}", "", null));
        return _report;
    }

    private async Task LatencyAsync(BenchClient direct, BenchClient plain, byte[] json)
    {
        var (samples, errors) = await LatencyBench.RunAsync([direct, plain], json, options.LatencyRequests, options.LatencyBlocks);
        var (d, p) = (samples[0], samples[1]);
        var n = $"{d.Count:#,0} req";
        AddAdded($"1. added latency c=1 p50 ({n})", d.Percentile(50), p.Percentile(50), 100);
        AddAdded("1. added latency c=1 p99", d.Percentile(99), p.Percentile(99), 400);
        AddAdded("1. added latency c=1 p99.9", d.Percentile(99.9), p.Percentile(99.9), null);
        if (errors > 0) _report.Note($"Latency runs: {errors} failed requests.");
    }

    private async Task StreamingAsync(BenchClient direct, BenchClient plain)
    {
        // The JSON warm-up leaves the SSE relay cold (tier 0): warm it, or the first streams' JIT work is the p99. Paced
        // streams too: an unpaced stream's reads mostly complete at once, so the relay's waiting paths stayed cold
        // (first-token p99 +2.3 to +2.9 ms after an unpaced-only warm-up, +0.6 ms after the full run's other sections).
        var warmup = System.Diagnostics.Stopwatch.StartNew();
        var (unpaced, paced) = (0, 0);
        while (warmup.Elapsed < options.StreamWarmup)
        {
            await StreamBench.RunAsync([direct, plain], BenchClient.StreamBody(20, 0), 50, 0);
            await StreamBench.RunAsync([direct, plain], BenchClient.StreamBody(10, 500), 20, 0);
            (unpaced, paced) = (unpaced + 50, paced + 20);
        }
        _report.Note($"Streaming measured after {warmup.Elapsed.TotalSeconds:0} s of warm-up streams per target: {unpaced:#,0} unpaced of 20 events, {paced:#,0} of 10 events 0.5 ms apart.");
        var measured = await StreamBench.RunAsync([direct, plain], BenchClient.StreamBody(options.PacedEvents, options.PacedGapMicros), options.PacedStreams, 3);
        var (d, p) = (measured[0], measured[1]);
        var shape = $"{options.PacedStreams} streams × {options.PacedEvents} events, {options.PacedGapMicros / 1000.0:0.#} ms apart";
        AddAdded($"3. added first-token time p50 ({shape})", d.FirstToken.Percentile(50), p.FirstToken.Percentile(50), null);
        AddAdded("3. added first-token time p99", d.FirstToken.Percentile(99), p.FirstToken.Percentile(99), 1000);
        AddAdded("3. added gap per event (mean)", d.PerEvent.Mean, p.PerEvent.Mean, 10);
        AddAdded("3. added gap per event p99", d.Gaps.Percentile(99), p.Gaps.Percentile(99), null);
        var burst = await StreamBench.RunAsync([direct, plain], BenchClient.StreamBody(options.BurstEvents, 0), options.BurstStreams, 3);
        AddAdded($"3. unpaced stream: time per event ({options.BurstStreams} × {options.BurstEvents} events, no gap)", burst[0].PerEvent.Mean, burst[1].PerEvent.Mean, null);
        var errors = d.Errors + p.Errors + burst[0].Errors + burst[1].Errors;
        if (errors > 0) _report.Note($"Streaming runs: {errors} failed streams.");
    }

    private async Task<long> ThroughputAsync(ProxyProcess proxy, byte[] json)
    {
        var c = options.ThroughputConcurrency;
        using var directN = new BenchClient(upstream.ChatUri, c);
        using var proxyN = new BenchClient(proxy.ChatUri, c);
        List<ThroughputWindow>[] windows;
        long peak;
        await using (var sampler = new ProcessMemory.Sampler(proxy.Pid))
        {
            // The lean upstream runs inside this process, so its clock is the driver's and the upstream's CPU together.
            windows = await ThroughputBench.InterleavedAsync(
                [(directN, () => Process.GetCurrentProcess().TotalProcessorTime), (proxyN, () => ProcessMemory.CpuTime(proxy.Pid))],
                json, c, options.ThroughputRounds, options.ThroughputWindow);
            peak = sampler.Peak;
        }
        var (direct, proxied) = (windows[0], windows[1]);
        var ratios = direct.Zip(proxied, (d, p) => p.Rate / d.Rate).ToArray();
        var ratio = ratios.Order().ElementAt(ratios.Length / 2);
        _report.Add(new ResultRow($"2. throughput c={c}, {options.ThroughputRounds} alternating rounds of {options.ThroughputWindow.TotalSeconds:0} s",
            Report.Rate(direct.Average(w => w.Rate)), Report.Rate(proxied.Average(w => w.Rate)),
            $"{Report.Percent(ratio)} of direct (median round)", "≥ 45 % of direct", ratio >= 0.45));
        _report.Note($"Throughput per round, proxy share of direct: {string.Join(", ", ratios.Select(Report.Percent))}.");
        var driverCpu = direct.Sum(w => w.Cpu.TotalMicroseconds) / direct.Sum(w => w.Completed);
        var proxyCpu = proxied.Sum(w => w.Cpu.TotalMicroseconds) / proxied.Sum(w => w.Completed);
        // A CPU-bound hop costing P per request next to a driver and upstream costing D can reach at most D / (D + P) of
        // the direct rate when all share two vCPUs, and D / P when it has a vCPU of its own (pinned); this row says how
        // far the target is a question of CPU.
        var ceiling = pinned ? Math.Min(1, driverCpu / proxyCpu) : driverCpu / (driverCpu + proxyCpu);
        _report.Add(new ResultRow($"2. CPU time per request (c={c}): driver + upstream (direct), proxy", Report.Us(driverCpu), Report.Us(proxyCpu),
            $"{proxyCpu / driverCpu:0.00}× (CPU-bound ceiling {Report.Percent(ceiling)})", "", null));
        var directErrors = direct.Sum(w => w.Errors);
        var proxyErrors = proxied.Sum(w => w.Errors);
        if (directErrors + proxyErrors > 0) _report.Note($"Throughput runs: {directErrors} direct and {proxyErrors} proxied failures.");

        var rate = options.OpenLoopRate;
        var (dl, de, ds) = await ThroughputBench.OpenLoopAsync(directN, json, rate, options.OpenLoopDuration);
        var (pl, pe, ps) = await ThroughputBench.OpenLoopAsync(proxyN, json, rate, options.OpenLoopDuration);
        AddAdded($"2. open loop {rate:#,0} req/s, {options.OpenLoopDuration.TotalSeconds:0} s: added p50", dl.Percentile(50), pl.Percentile(50), null);
        AddAdded("2. open loop: added p99", dl.Percentile(99), pl.Percentile(99), null);
        if (de + pe + ds + ps > 0) _report.Note($"Open loop: errors {de} direct / {pe} proxied, shed (over 2,048 in flight) {ds} / {ps}.");
        return peak;
    }

    private async Task<long> ManyStreamsAsync(ProxyProcess proxy)
    {
        var n = options.ManyStreams;
        using var directMany = new BenchClient(upstream.ChatUri, int.MaxValue);
        using var proxyMany = new BenchClient(proxy.ChatUri, int.MaxValue);
        var body = BenchClient.StreamBody(options.ManyStreamEvents, options.ManyStreamGapMicros);
        var d = await ManyStreamsBench.RunAsync(directMany, body, n, options.ManyStreamRamp, options.StallGap, null);
        var p = await ManyStreamsBench.RunAsync(proxyMany, body, n, options.ManyStreamRamp, options.StallGap, proxy.Pid);
        var shape = $"{n:#,0} streams × {options.ManyStreamEvents} events {options.ManyStreamGapMicros / 1000} ms apart, {options.ManyStreamRamp.TotalSeconds:0.#} s ramp";
        _report.Add(new ResultRow($"4. errors ({shape})", d.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture), "", "0", p.Errors == 0));
        _report.Add(new ResultRow($"4. stalls (a wait > {options.StallGap.TotalSeconds:0.#} s, first token included)", d.Stalls.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Stalls.ToString(System.Globalization.CultureInfo.InvariantCulture), "", "0", p.Stalls == 0));
        AddAdded("4. longest wait between events", d.MaxGapMicros, p.MaxGapMicros, null);
        AddAdded("4. first-token time p99", d.FirstTokenP99Micros, p.FirstTokenP99Micros, null);
        _report.Add(new ResultRow("4. peak proxy RSS during the streams", "", Report.Mb(p.PeakRss), "", "≤ 300 MB", p.PeakRss <= 300L * 1024 * 1024));
        if (d.FirstError is not null || p.FirstError is not null) _report.Note($"First stream errors: direct \"{d.FirstError}\", proxied \"{p.FirstError}\".");
        return p.PeakRss;
    }

    private void AddAdded(string measure, double direct, double proxy, double? maxAddedMicros)
    {
        var added = proxy - direct;
        _report.Add(new ResultRow(measure, Report.Us(direct), Report.Us(proxy), Report.Added(added),
            maxAddedMicros is { } max ? $"≤ +{max:0} µs" : "", maxAddedMicros is { } m ? added <= m : null));
    }
}
