using System.Diagnostics;
using System.Net;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Reliability;

/// <summary>Long runs that prove nothing leaks and nothing is lost: bounded counts, bounded time.</summary>
[Collection(SerialCollection.Name)]
public sealed class SoakTests
{
    private const string Body = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""";

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    [Fact]
    public async Task TenThousandFailingRequests_DoNotGrowSocketsThreadsOrMemory()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "breaker_failures = 0", routing: "\"gpt*\" = \"primary.*\"");
        u.Primary.Handler = _ => new FakeReply.Error(500, "down", "server_error");
        using var http = u.Http();
        async Task RunAsync(int count)
        {
            var next = 0;
            var workers = Enumerable.Range(0, 16).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) <= count)
                {
                    using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Body));
                    Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
                }
            });
            await Task.WhenAll(workers);
        }

        await RunAsync(500); // warm-up: pools, JIT, connection sets
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var fdBefore = OpenDescriptors();
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        await RunAsync(10_000);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var fdAfter = OpenDescriptors();
        var threadsAfter = Process.GetCurrentProcess().Threads.Count;
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.InRange(fdAfter - fdBefore, int.MinValue, 40);
        Assert.InRange(threadsAfter - threadsBefore, int.MinValue, 20);
        Assert.InRange(memoryAfter - memoryBefore, long.MinValue, 32L * 1024 * 1024);
        Assert.Equal(10_500, u.Primary.Requests.Count);
    }

    [Fact]
    public async Task ThousandRequestsAcrossTwentyReloads_SomeInvalid_NoneFail()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var good = ProxyFixture.DefaultConfig(upstream);
        await using var proxy = await ProxyTestServer.StartAsync(good);
        using var http = new HttpClient { BaseAddress = proxy.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ProxyFixture.ClientKey);
        var failures = 0;
        var done = 0;
        using var progress = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var traffic = Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref done) <= 1000 && !stop.IsCancellationRequested)
            {
                var stream = done % 2 == 0;
                var body = stream ? """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""" : Body;
                using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(body), stop.Token);
                var text = await response.Content.ReadAsStringAsync(stop.Token);
                if (response.StatusCode != HttpStatusCode.OK || (stream && !text.EndsWith("data: [DONE]\n\n", StringComparison.Ordinal)))
                {
                    Interlocked.Increment(ref failures);
                }
                progress.Release(); // lets the reloads interleave with the traffic
            }
        }).ToList();
        var applied = 0;
        var rejected = 0;
        for (var i = 0; i < 20; i++)
        {
            for (var n = 0; n < 40; n++) await progress.WaitAsync(stop.Token);
            var invalid = i % 4 == 3;
            await File.WriteAllTextAsync(proxy.ConfigPath, invalid ? good.Replace("openai.*", "opena.*", StringComparison.Ordinal)
                : "host = \"127.0.0.1\"\nport = 0\n" + good.Replace("gpt-4o-mini", $"gpt-4o-mini-{i}", StringComparison.Ordinal));
            if (await proxy.Runtime.ReloadAsync()) applied++;
            else rejected++;
        }
        await Task.WhenAll(traffic);

        Assert.Equal(0, failures);
        Assert.Equal(15, applied);
        Assert.Equal(5, rejected);
    }
}
