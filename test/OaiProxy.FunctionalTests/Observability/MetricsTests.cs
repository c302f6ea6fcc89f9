using System.Net;
using System.Text;
using OaiProxy.Pipeline;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Observability;

/// <summary>Known traffic, then a scrape of <c>/metrics</c>: exact counters, exact label sets, no key anywhere.</summary>
public sealed class MetricsTests
{
    private const string Fail = "please fail";

    private static StringContent Body(string content, bool stream = false) => new(
        $$"""{"model":"gpt-4o","stream":{{(stream ? "true" : "false")}}{{(stream ? ",\"stream_options\":{\"include_usage\":true}" : "")}},"messages":[{"role":"user","content":"{{content}}"}]}""",
        Encoding.UTF8, "application/json");

    private static async Task<string> RunKnownTrafficAsync(ProxyFixture f)
    {
        f.Upstream.Handler = r => r.Body.Contains(Fail, StringComparison.Ordinal)
            ? new FakeReply.Error(500, "The server had an error.", "server_error")
            : FakeReply.Default;
        using var http = f.Http();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.PostAsync("/v1/chat/completions", Body("Hi"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var failed = await http.PostAsync("/v1/chat/completions", Body(Fail))) Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        using (var bad = f.Http("sk-wrong-client-key"))
        using (var denied = await bad.PostAsync("/v1/chat/completions", Body("Hi"))) Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        using (var stream = await http.PostAsync("/v1/chat/completions", Body("Hi", stream: true)))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            Assert.EndsWith("data: [DONE]\n\n", await stream.Content.ReadAsStringAsync());
        }
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await f.Proxy.Service<LogDispatcher>().FlushAsync();
        return await http.GetStringAsync("/metrics");
    }

    private static List<PrometheusSample> Samples(string text, string name) =>
        PrometheusSample.Parse(text).Where(s => s.Name == name).ToList();

    private static Dictionary<string, string> Labels(params string[] pairs)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Length; i += 2) labels[pairs[i]] = pairs[i + 1];
        return labels;
    }

    private static Dictionary<string, string> Routed(string status, string stream, string? error = null)
    {
        var labels = Labels("gen_ai_operation_name", "chat", "gen_ai_provider_name", "openai", "gen_ai_request_model", "gpt-4o",
            "oaiproxy_connection", "openai", "oaiproxy_upstream_model", "gpt-4o", "oaiproxy_group", "default",
            "http_response_status_code", status, "oaiproxy_stream", stream, "oaiproxy_endpoint", "chat.completions");
        if (error is not null) labels["error_type"] = error;
        return labels;
    }

    private static void AssertSamples(IEnumerable<(Dictionary<string, string> Labels, double Value)> expected, List<PrometheusSample> actual)
    {
        var want = expected.Select(e => new PrometheusSample("", e.Labels, e.Value).ToString()).Order(StringComparer.Ordinal).ToList();
        var got = actual.Select(a => (a with { Name = "" }).ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(want, got);
    }

    [Fact]
    public async Task Scrape_AfterKnownTraffic_CountsRequestsWithExactLabels()
    {
        await using var f = await ProxyFixture.StartAsync();
        var text = await RunKnownTrafficAsync(f);

        AssertSamples([
            (Routed("200", "false"), 3),
            (Routed("502", "false", "upstream_error"), 1),
            (Routed("200", "true"), 1),
            (Labels("gen_ai_operation_name", "chat", "gen_ai_provider_name", "none", "gen_ai_request_model", "none",
                "oaiproxy_connection", "none", "oaiproxy_upstream_model", "none", "oaiproxy_group", "none",
                "http_response_status_code", "401", "oaiproxy_stream", "false", "error_type", "invalid_api_key",
                "oaiproxy_endpoint", "chat.completions"), 1),
        ], Samples(text, "oaiproxy_requests_total"));
        AssertSamples([
            (Labels("oaiproxy_rejection_reason", "auth", "oaiproxy_group", "none"), 1),
        ], Samples(text, "oaiproxy_rejections_total"));
        AssertSamples([
            (Labels("oaiproxy_connection", "openai", "oaiproxy_upstream_model", "gpt-4o", "http_response_status_code", "200"), 4),
            (Labels("oaiproxy_connection", "openai", "oaiproxy_upstream_model", "gpt-4o", "http_response_status_code", "502", "error_type", "upstream_error"), 1),
        ], Samples(text, "oaiproxy_upstream_attempts_total"));
        Assert.Empty(Samples(text, "oaiproxy_upstream_retries_total"));
        Assert.Empty(Samples(text, "oaiproxy_upstream_fallbacks_total"));

        // The fake reports 7 prompt and 3 completion tokens per answer ("Hello from gpt-4o!"); four answers had usage.
        var tokenLabels = Labels("gen_ai_operation_name", "chat", "gen_ai_provider_name", "openai", "gen_ai_request_model", "gpt-4o",
            "oaiproxy_connection", "openai", "oaiproxy_upstream_model", "gpt-4o", "oaiproxy_group", "default");
        AssertSamples([
            (new(tokenLabels) { ["gen_ai_token_type"] = "input" }, 28),
            (new(tokenLabels) { ["gen_ai_token_type"] = "output" }, 12),
        ], Samples(text, "oaiproxy_tokens_total"));
        AssertSamples([
            (new(tokenLabels) { ["gen_ai_token_type"] = "input" }, 4),
            (new(tokenLabels) { ["gen_ai_token_type"] = "output" }, 4),
        ], Samples(text, "gen_ai_client_token_usage_count"));
        AssertSamples([(tokenLabels, 4)], Samples(text, "gen_ai_server_time_to_first_token_seconds_count"));
        Assert.Equal(6, Samples(text, "gen_ai_client_operation_duration_seconds_count").Sum(s => s.Value));
        AssertSamples([
            (Labels("oaiproxy_endpoint", "chat.completions", "oaiproxy_connection", "openai", "oaiproxy_stream", "false"), 4),
            (Labels("oaiproxy_endpoint", "chat.completions", "oaiproxy_connection", "openai", "oaiproxy_stream", "true"), 1),
            (Labels("oaiproxy_endpoint", "chat.completions", "oaiproxy_connection", "none", "oaiproxy_stream", "false"), 1),
        ], Samples(text, "oaiproxy_overhead_duration_seconds_count"));
        // Priced from the built-in list, like usage records.
        var cost = Usage.UsageCost.CostNanos(Configuration.PriceTable.BuiltIn, new Usage.UsageInfo(7, 3, 10), "gpt-4o", "gpt-4o") * 4 / 1e9;
        Assert.True(cost > 0);
        var costSample = Assert.Single(Samples(text, "oaiproxy_cost_usd_total"));
        Assert.Equal(tokenLabels.OrderBy(l => l.Key), costSample.Labels.OrderBy(l => l.Key));
        Assert.Equal(cost, costSample.Value, precision: 9);

        AssertSamples([(Labels(), 0)], Samples(text, "oaiproxy_requests_in_flight"));
        AssertSamples([(Labels(), 0)], Samples(text, "oaiproxy_streams_in_flight"));
        AssertSamples([(Labels(), 0)], Samples(text, "oaiproxy_log_queue_depth"));
        AssertSamples([
            (Labels("oaiproxy_connection", "openai", "oaiproxy_breaker_state", "closed"), 1),
            (Labels("oaiproxy_connection", "openai", "oaiproxy_breaker_state", "open"), 0),
            (Labels("oaiproxy_connection", "openai", "oaiproxy_breaker_state", "half_open"), 0),
        ], Samples(text, "oaiproxy_connection_breaker_state"));
        AssertSamples([(Labels("oaiproxy_connection", "openai"), 0)], Samples(text, "oaiproxy_connection_consecutive_failures")); // reset by the later successes
        AssertSamples([(Labels("oaiproxy_connection", "openai"), 0)], Samples(text, "oaiproxy_connection_in_flight"));
    }

    [Fact]
    public async Task Scrape_NeverContainsKeyMaterial()
    {
        await using var f = await ProxyFixture.StartAsync();
        var text = await RunKnownTrafficAsync(f);

        var secrets = new[] { ProxyFixture.ClientKey, "sk-wrong-client-key", f.Upstream.ApiKey }
            .SelectMany(k => new[] { k, Auth.ApiKeyId.LmProxyId(k, "Eclipse") })
            .ToList();
        foreach (var secret in secrets) Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-", text, StringComparison.Ordinal);
        Assert.DoesNotContain(PrometheusSample.Parse(text).SelectMany(s => s.Labels.Keys), k => k.Contains("key", StringComparison.Ordinal));
        Assert.NotEmpty(Samples(text, "oaiproxy_requests_total"));
    }

    [Fact]
    public async Task Fallback_CountsFallbackAndBreakerFailures()
    {
        await using var u = await Reliability.TwoUpstreams.StartAsync();
        u.Primary.Handler = _ => new FakeReply.Error(500, "The server had an error.", "server_error");
        using var http = u.Http();

        using (var response = await http.PostAsync("/v1/chat/completions", Body("Hi"))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await u.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await u.Proxy.Service<LogDispatcher>().FlushAsync();
        var text = await http.GetStringAsync("/metrics");

        AssertSamples([(Labels("oaiproxy_connection", "backup", "oaiproxy_fallback_from", "primary"), 1)],
            Samples(text, "oaiproxy_upstream_fallbacks_total"));
        AssertSamples([
            (Labels("oaiproxy_connection", "primary", "oaiproxy_upstream_model", "gpt-4o", "http_response_status_code", "502", "error_type", "upstream_error"), 1),
            (Labels("oaiproxy_connection", "backup", "oaiproxy_upstream_model", "gpt-4o", "http_response_status_code", "200"), 1),
        ], Samples(text, "oaiproxy_upstream_attempts_total"));
        AssertSamples([
            (Labels("oaiproxy_connection", "primary"), 1),
            (Labels("oaiproxy_connection", "backup"), 0),
        ], Samples(text, "oaiproxy_connection_consecutive_failures"));
        var request = Assert.Single(Samples(text, "oaiproxy_requests_total"));
        Assert.Equal("backup", request.Labels["oaiproxy_connection"]);
    }

    [Fact]
    public async Task Retry_CountsRetryOnTheSameConnection()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 1"));
        var calls = 0;
        f.Upstream.Handler = _ => Interlocked.Increment(ref calls) == 1 ? new FakeReply.Error(503, "Overloaded.", "server_error") : FakeReply.Default;
        using var http = f.Http();

        using (var response = await http.PostAsync("/v1/chat/completions", Body("Hi"))) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        var text = await http.GetStringAsync("/metrics");

        AssertSamples([(Labels("oaiproxy_connection", "openai"), 1)], Samples(text, "oaiproxy_upstream_retries_total"));
        Assert.Empty(Samples(text, "oaiproxy_upstream_fallbacks_total"));
    }

    [Fact]
    public async Task RateLimiter_RejectionIsCounted()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + """

            [[before]]
            class = "lm_proxy.handlers.RateLimiter"
            max_requests = 1
            window_seconds = 60
            """);
        using var http = f.Http();
        using (var first = await http.PostAsync("/v1/chat/completions", Body("Hi"))) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var second = await http.PostAsync("/v1/chat/completions", Body("Hi"))) Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await f.Proxy.Service<LogDispatcher>().FlushAsync();
        var text = await http.GetStringAsync("/metrics");

        AssertSamples([(Labels("oaiproxy_rejection_reason", "rate_limit", "oaiproxy_group", "default"), 1)], Samples(text, "oaiproxy_rejections_total"));
    }

    [Fact]
    public async Task MetricsOff_NoScrapeEndpoint()
    {
        await using var f = await ProxyFixture.StartAsync(u => "metrics = false\n" + ProxyFixture.DefaultConfig(u));
        using var http = f.Http();
        using var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StreamInFlight_IsCountedUntilItEnds()
    {
        await using var f = await ProxyFixture.StartAsync();
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Upstream.Handler = r => new FakeReply.Stream(OpenAiWire.TextStream("chatcmpl-held", r.Model!, "Hello there", includeUsage: false),
            HangAfter: 1, Resume: resume.Task);
        using var http = f.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Body("Hi", stream: true) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var during = await http.GetStringAsync("/metrics");
        resume.SetResult();
        Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync());
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        var after = await http.GetStringAsync("/metrics");

        AssertSamples([(Labels(), 1)], Samples(during, "oaiproxy_streams_in_flight"));
        AssertSamples([(Labels(), 1)], Samples(during, "oaiproxy_requests_in_flight"));
        AssertSamples([(Labels("oaiproxy_connection", "openai"), 1)], Samples(during, "oaiproxy_connection_in_flight"));
        AssertSamples([(Labels(), 0)], Samples(after, "oaiproxy_streams_in_flight"));
        AssertSamples([(Labels(), 0)], Samples(after, "oaiproxy_requests_in_flight"));
    }
}
