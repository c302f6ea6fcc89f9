using System.Net;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;
using StackExchange.Redis;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>Local permit blocks for request windows with room to spare, against a real Redis server.</summary>
[Collection("redis")]
public sealed class PermitPoolRedisTests(RedisFixture redis)
{
    // rpm 1280: blocks of 20 permits while the shared window is at most half full.
    private const int Rpm = 1280;

    private string Config(FakeOpenAiServer upstream, string prefix) =>
        $"redis_url = \"{redis.Server!.Url}\"\nredis_key_prefix = \"{prefix}\"\n" + ProxyFixture.DefaultConfig(upstream, $"rpm = {Rpm}");

    private async Task<long> SharedWindowTotalAsync(string prefix)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Server!.Port}");
        var sum = await connection.GetDatabase().HashGetAsync($"{prefix}lim:{{rpm:g:default}}:h", "_sum");
        return sum.IsNull ? 0 : (long)sum;
    }

    [RedisFact]
    public async Task Requests_TakeLocalPermits_UnusedOnesGoBackAtShutdown()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var prefix = redis.NewPrefix();
        var proxy = await ProxyTestServer.StartAsync(Config(upstream, prefix));
        using var http = new HttpClient();
        for (var i = 0; i < 30; i++) Assert.Equal(HttpStatusCode.OK, (await LimitCalls.CallAsync(http, proxy.BaseUrl, ProxyFixture.ClientKey)).Status);

        // Whole blocks are counted in Redis while the proxy holds them ...
        Assert.InRange(await SharedWindowTotalAsync(prefix), 31, 30 + 2 * 20);
        await proxy.DisposeAsync();
        // ... and after a graceful stop the window holds exactly the requests that were served.
        Assert.Equal(30, await SharedWindowTotalAsync(prefix));
    }

    [RedisFact]
    public async Task TwoProxies_ConcurrentBurstPastTheLimit_NeverMoreThanTheLimit_EveryAdmissionCountedOnce()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var prefix = redis.NewPrefix();
        var a = await ProxyTestServer.StartAsync(Config(upstream, prefix));
        var b = await ProxyTestServer.StartAsync(Config(upstream, prefix));
        using var http = new HttpClient();
        using var gate = new SemaphoreSlim(32);
        var calls = Enumerable.Range(0, 1500).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return (await LimitCalls.CallAsync(http, (i % 2 == 0 ? a : b).BaseUrl, ProxyFixture.ClientKey)).Status;
            }
            finally
            {
                gate.Release();
            }
        });
        var statuses = await Task.WhenAll(calls);
        var ok = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.Equal(1500, ok + statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        // Permits still held in a block when the burst ended are the only ones that can go unused.
        Assert.InRange(ok, Rpm - 2 * 2 * 20, Rpm);
        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.Equal(ok, await SharedWindowTotalAsync(prefix));
    }
}
