using System.Diagnostics;
using System.Net;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>Limits shared through a real Redis server by two proxies in this process, and Redis outages.</summary>
[Collection("redis")]
public sealed class RedisLimitTests(RedisFixture redis)
{
    private string Config(FakeOpenAiServer upstream, string prefix, string group, string policy = "fail_open") =>
        $"redis_url = \"{redis.Server!.Url}\"\nredis_key_prefix = \"{prefix}\"\nredis_failure_policy = \"{policy}\"\nredis_timeout = 0.3\n" +
        ProxyFixture.DefaultConfig(upstream, group);

    [RedisFact]
    public async Task GroupRpm_TwoProxiesShareOneWindow_ExactlyTheLimitPasses()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var prefix = redis.NewPrefix();
        await using var a = await ProxyTestServer.StartAsync(Config(upstream, prefix, "rpm = 5"));
        await using var b = await ProxyTestServer.StartAsync(Config(upstream, prefix, "rpm = 5"));
        using var http = new HttpClient();
        var calls = Enumerable.Range(0, 12).Select(i => LimitCalls.CallAsync(http, (i % 2 == 0 ? a : b).BaseUrl, ProxyFixture.ClientKey));
        var results = await Task.WhenAll(calls);
        Assert.Equal(5, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(7, results.Count(r => r.Status == HttpStatusCode.TooManyRequests));
        Assert.All(results.Where(r => r.Status == HttpStatusCode.TooManyRequests), r => Assert.Equal("0", LimitCalls.Header(r.Response, "x-ratelimit-remaining-requests")));
    }

    [RedisFact]
    public async Task RedisDown_FailOpen_LocalLimitsApply_ThenSharedAgainWhenBack()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var prefix = redis.NewPrefix();
        await using var proxy = await ProxyTestServer.StartAsync(Config(upstream, prefix, "rpm = 3"));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await LimitCalls.CallAsync(http, proxy.BaseUrl, ProxyFixture.ClientKey)).Status);
        await redis.Server!.StopAsync();
        try
        {
            // Local limits start empty: three pass, then 429s; no call waits longer than the bound.
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                statuses.Add((await LimitCalls.CallAsync(http, proxy.BaseUrl, ProxyFixture.ClientKey)).Status);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"A call took {watch.Elapsed} while Redis was down.");
            }
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        }
        finally
        {
            await redis.Server.StartAgainAsync();
        }
        await AssertSharedAgainAsync(http, proxy.BaseUrl, limit: 3);
    }

    [RedisFact]
    public async Task RedisDown_FailClosed_RefusedWith503Fast_ThenServedAgainWhenBack()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var prefix = redis.NewPrefix();
        await using var proxy = await ProxyTestServer.StartAsync(Config(upstream, prefix, "rpm = 3", "fail_closed"));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await LimitCalls.CallAsync(http, proxy.BaseUrl, ProxyFixture.ClientKey)).Status);
        await redis.Server!.StopAsync();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var watch = Stopwatch.StartNew();
                var (status, _, body) = await LimitCalls.CallAsync(http, proxy.BaseUrl, ProxyFixture.ClientKey);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
                Assert.Equal("rate_limit_store_unavailable", LimitCalls.ErrorCode(body));
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"A call took {watch.Elapsed} while Redis was down.");
            }
        }
        finally
        {
            await redis.Server.StartAgainAsync();
        }
        await AssertSharedAgainAsync(http, proxy.BaseUrl, limit: 3);
    }

    /// <summary>
    /// After Redis is back (empty), calls reach it again: exactly <paramref name="limit"/> pass in its fresh window.
    /// The local window (fail_open) is full and fail_closed never admits locally, so the first 200 came from Redis.
    /// </summary>
    private static async Task AssertSharedAgainAsync(HttpClient http, Uri baseUrl, int limit)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "Limits never went back to Redis.");
            var (status, response, _) = await LimitCalls.CallAsync(http, baseUrl, ProxyFixture.ClientKey);
            if (status == HttpStatusCode.OK)
            {
                Assert.Equal((limit - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), LimitCalls.Header(response, "x-ratelimit-remaining-requests"));
                break;
            }
            await Task.Delay(100);
        }
        for (var i = 1; i < limit; i++) Assert.Equal(HttpStatusCode.OK, (await LimitCalls.CallAsync(http, baseUrl, ProxyFixture.ClientKey)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LimitCalls.CallAsync(http, baseUrl, ProxyFixture.ClientKey)).Status);
    }
}
