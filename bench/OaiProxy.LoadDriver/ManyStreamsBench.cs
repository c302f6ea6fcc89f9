using System.Diagnostics;

namespace OaiProxy.LoadDriver;

/// <summary>Many long streams open at once (started over a short ramp): stalls, errors, and the proxy's peak memory.</summary>
internal static class ManyStreamsBench
{
    public sealed record Result(int Ok, int Errors, int Stalls, double MaxGapMicros, double FirstTokenP99Micros, long PeakRss, string? FirstError);

    public static async Task<Result> RunAsync(BenchClient client, byte[] body, int streams, TimeSpan ramp, TimeSpan stallGap, int? pid)
    {
        await using var sampler = pid is { } id ? new ProcessMemory.Sampler(id) : null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var tasks = new Task<StreamTrace>[streams];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < streams; i++)
        {
            var due = ramp * i / streams;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            tasks[i] = client.StreamAsync(body, timeout.Token);
        }
        var traces = await Task.WhenAll(tasks);
        var stallTicks = (long)(stallGap.TotalSeconds * Stopwatch.Frequency);
        var firstTokens = new Samples(streams);
        int ok = 0, errors = 0, stalls = 0;
        long maxGap = 0;
        string? firstError = null;
        foreach (var trace in traces)
        {
            if (trace.Ok) ok++;
            else
            {
                errors++;
                firstError ??= trace.Error;
            }
            var gap = trace.MaxGap;
            maxGap = Math.Max(maxGap, gap);
            if (gap > stallTicks) stalls++;
            if (trace.Arrivals.Count > 0) firstTokens.Add(trace.Arrivals[0]);
        }
        return new Result(ok, errors, stalls, Samples.ToMicros(maxGap), firstTokens.Percentile(99), sampler?.Peak ?? 0, firstError);
    }
}
