using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OaiProxy.Testing.OpenAi;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Reliability;

public sealed class CircuitBreakerTests
{
    private const string Body = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""";

    [Fact]
    public async Task RepeatedFailures_EjectPrimary_ProbeAfterCooldown_RestoreOnSuccess()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "breaker_failures = 3\nbreaker_cooldown = 30",
            services: s => s.AddSingleton<TimeProvider>(time));
        u.Primary.Handler = _ => new FakeReply.Error(500, "down", "server_error");
        using var http = u.Http();

        for (var i = 0; i < 3; i++) await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]); // each falls back
        Assert.Equal(3, u.Primary.Requests.Count);

        // Ejected: the next requests go straight to the backup.
        for (var i = 0; i < 5; i++) await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);
        Assert.Equal(3, u.Primary.Requests.Count);
        var ready = JsonNode.Parse(await http.GetStringAsync("/ready"))!;
        Assert.Equal("open", ready["connections"]!["primary"]!["state"]!.GetValue<string>());
        Assert.Equal("closed", ready["connections"]!["backup"]!["state"]!.GetValue<string>());

        // After the cool-down one probe goes through; the primary recovered, so it is restored.
        time.Advance(TimeSpan.FromSeconds(31));
        u.Primary.Handler = _ => FakeReply.Default;
        await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);
        Assert.Equal(4, u.Primary.Requests.Count);
        ready = JsonNode.Parse(await http.GetStringAsync("/ready"))!;
        Assert.Equal("closed", ready["connections"]!["primary"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailedProbe_OpensAgain()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "breaker_failures = 1\nbreaker_cooldown = 10",
            services: s => s.AddSingleton<TimeProvider>(time));
        u.Primary.Handler = _ => new FakeReply.Error(503, "down", "server_error");

        await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);
        time.Advance(TimeSpan.FromSeconds(11));
        await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]); // the probe fails: open again
        await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal(2, u.Primary.Requests.Count);
        Assert.Equal(3, u.Backup.Requests.Count);
    }

    [Fact]
    public async Task EveryTargetEjected_TheLeastRecentlyFailedStillGetsTheRequest_AndReadinessFails()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "breaker_failures = 1\nbreaker_cooldown = 20",
            backupExtra: "breaker_failures = 1\nbreaker_cooldown = 20", services: s => s.AddSingleton<TimeProvider>(time));
        u.Primary.Handler = _ => new FakeReply.Error(500, "down", "server_error");
        u.Backup.Handler = _ => new FakeReply.Error(500, "down", "server_error");
        using var http = u.Http();
        await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Body)); // primary fails, then backup: both open
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/ready")).StatusCode);

        // Panic mode: the primary failed longest ago, so it gets the next request rather than a refusal; it has
        // recovered, and its breaker closes.
        u.Primary.Handler = _ => FakeReply.Default;
        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, u.Primary.Requests.Count);
        Assert.Single(u.Backup.Requests);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ready")).StatusCode);
    }

    [Fact]
    public async Task FailingModel_LeavesTheConnectionsOtherModelsInRotation_EvenOnASingleTargetRoute()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "breaker_failures = 2\nbreaker_cooldown = 30", routing: "\"gpt*\" = \"primary.*\"");
        u.Primary.Handler = r => r.Body.Contains("\"gpt-broken\"", StringComparison.Ordinal) ? new FakeReply.Error(500, "down", "server_error") : FakeReply.Default;
        using var http = u.Http();

        for (var i = 0; i < 4; i++) await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Body.Replace("gpt-4o", "gpt-broken", StringComparison.Ordinal)));
        using var healthy = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Body));

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(5, u.Primary.Requests.Count); // the broken model kept its only target too (panic mode), never a 503
        Assert.Equal("closed", JsonNode.Parse(await http.GetStringAsync("/ready"))!["connections"]!["primary"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConnectionScope_OneModelsFailuresEjectTheWholeConnection()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "breaker_failures = 2\nbreaker_cooldown = 30\nbreaker_scope = \"connection\"");
        u.Primary.Handler = r => r.Body.Contains("\"gpt-broken\"", StringComparison.Ordinal) ? new FakeReply.Error(500, "down", "server_error") : FakeReply.Default;
        using var http = u.Http();

        for (var i = 0; i < 2; i++) await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Body.Replace("gpt-4o", "gpt-broken", StringComparison.Ordinal)));
        using var healthy = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Body));

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(2, u.Primary.Requests.Count);
        Assert.Equal(3, u.Backup.Requests.Count);
    }

    [Fact]
    public async Task RateLimits_DoNotEjectAConnection()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "breaker_failures = 1");
        u.Primary.Handler = _ => new FakeReply.Error(429, "slow", "requests", "rate_limit_exceeded", new Dictionary<string, string> { ["retry-after"] = "60" });
        await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);
        await u.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);
        Assert.Equal(2, u.Primary.Requests.Count);
    }

    [Fact]
    public async Task RetryBudget_BoundsRetriesOfAFailingUpstream()
    {
        await using var u = await TwoUpstreams.StartAsync(primaryExtra: "max_retries = 3\nbreaker_failures = 0\nretry_budget = 0.2", routing: "\"gpt*\" = \"primary.*\"");
        u.Primary.Handler = _ => new FakeReply.Error(500, "down", "server_error");
        using var http = u.Http();

        for (var i = 0; i < 40; i++) await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(Body));

        // 40 requests; retries capped by the allowance of 10 plus 20% of requests (not 3 x 40 = 120).
        Assert.InRange(u.Primary.Requests.Count, 40, 40 + 10 + 8 + 1);
    }
}
