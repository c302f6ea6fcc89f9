using System.Diagnostics;

namespace OaiProxy.LoadDriver;

/// <summary>
/// Closed loop, one request at a time on one connection per target. Targets take turns in blocks, so drift in the
/// machine (frequency, noisy neighbours) lands on all of them alike.
/// </summary>
internal static class LatencyBench
{
    public static async Task<(Samples[] Latency, int Errors)> RunAsync(IReadOnlyList<BenchClient> clients, byte[] body, int requests, int blocks)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var errors = 0;
        var samples = clients.Select(_ => new Samples(requests)).ToArray();
        var perBlock = Math.Max(1, requests / blocks);
        for (var block = 0; block < blocks; block++)
        {
            for (var k = 0; k < clients.Count; k++)
            {
                for (var i = 0; i < perBlock; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var ok = await clients[k].SendAsync(body, timeout.Token);
                    samples[k].Add(Stopwatch.GetTimestamp() - started);
                    if (!ok) errors++;
                }
            }
        }
        return (samples, errors);
    }
}
