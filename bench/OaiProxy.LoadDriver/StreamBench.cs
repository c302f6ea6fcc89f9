using System.Diagnostics;

namespace OaiProxy.LoadDriver;

/// <summary>Streams one at a time: time to first token and the gaps between events, targets taking turns stream by stream.</summary>
internal static class StreamBench
{
    public sealed class Result
    {
        public Samples FirstToken { get; } = new();

        public Samples Gaps { get; } = new();

        /// <summary>Time from the first to the last event of each stream, divided by the gaps in it.</summary>
        public Samples PerEvent { get; } = new();

        public int Errors { get; set; }
    }

    public static async Task<Result[]> RunAsync(IReadOnlyList<BenchClient> clients, byte[] body, int streams, int warmup)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var results = clients.Select(_ => new Result()).ToArray();
        for (var i = 0; i < warmup + streams; i++)
        {
            for (var k = 0; k < clients.Count; k++)
            {
                var trace = await clients[k].StreamAsync(body, timeout.Token);
                if (i < warmup) continue;
                var result = results[k];
                if (!trace.Ok || trace.Arrivals.Count < 2)
                {
                    result.Errors++;
                    continue;
                }
                result.FirstToken.Add(trace.Arrivals[0]);
                for (var e = 1; e < trace.Arrivals.Count; e++) result.Gaps.Add(trace.Arrivals[e] - trace.Arrivals[e - 1]);
                result.PerEvent.Add((trace.Arrivals[^1] - trace.Arrivals[0]) / (trace.Arrivals.Count - 1));
            }
        }
        return results;
    }
}
