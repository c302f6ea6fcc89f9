using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Pipeline;
using OaiProxy.Observability;
using OaiProxy.Runtime;
using OaiProxy.Testing.OpenAi;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace OaiProxy.FunctionalTests.Observability;

/// <summary>Spans through the in-memory exporter: the request, routing and each attempt, with traceparent in and out.</summary>
public sealed class TracingTests
{
    private static void InMemoryTracing(IServiceCollection services, List<Activity> spans) =>
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddInMemoryExporter(spans));

    private static HttpRequestMessage Post(string body, ActivityTraceId traceId, ActivitySpanId parent) => new(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
        Headers = { { "traceparent", $"00-{traceId}-{parent}-01" } },
    };

    private static ActivityTraceId TraceIdOf(string traceparent) => ActivityTraceId.CreateFromString(traceparent.Split('-')[1]);

    [Fact]
    public async Task Fallback_YieldsRequestRouteAndTwoAttemptSpans_AndPropagatesTraceparent()
    {
        var spans = new List<Activity>();
        await using var u = await Reliability.TwoUpstreams.StartAsync(services: s => InMemoryTracing(s, spans));
        u.Primary.Handler = _ => new FakeReply.Error(500, "The server had an error.", "server_error");
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var http = u.Http();

        using (var response = await http.SendAsync(Post("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""", traceId, callerSpan)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await u.Proxy.Service<RequestTracker>().WhenIdleAsync();
        // The server span ends after the response is written; the provider flushes spans on dispose.
        await u.Proxy.DisposeAsync();

        List<Activity> mine;
        lock (spans) mine = spans.Where(s => s.TraceId == traceId).ToList();
        // The proxy's server span continues the caller's trace (the fake upstreams' server spans share the trace too).
        var server = Assert.Single(mine, s => s.Source.Name == "Microsoft.AspNetCore" && s.ParentSpanId == callerSpan);
        var request = Assert.Single(mine, s => s.OperationName == "oaiproxy.request");
        Assert.Equal(server.SpanId, request.ParentSpanId);
        Assert.Equal("chat gpt-4o", request.DisplayName);
        Assert.Equal("backup", request.GetTagItem(ProxyTelemetry.Connection));
        var route = Assert.Single(mine, s => s.OperationName == "oaiproxy.route");
        Assert.Equal(request.SpanId, route.ParentSpanId);
        Assert.Equal("primary,backup", route.GetTagItem(ProxyTelemetry.Targets));

        var attempts = mine.Where(s => s.OperationName == "oaiproxy.attempt").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(request.SpanId, a.ParentSpanId));
        Assert.All(attempts, a => Assert.Equal(ActivityKind.Client, a.Kind));
        Assert.Equal("primary", attempts[0].GetTagItem(ProxyTelemetry.Connection));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal("upstream_error", attempts[0].GetTagItem(ProxyTelemetry.ErrorType));
        Assert.Equal(502, attempts[0].GetTagItem(ProxyTelemetry.StatusCode));
        Assert.Equal(0, attempts[0].GetTagItem(ProxyTelemetry.Attempt));
        Assert.Equal("backup", attempts[1].GetTagItem(ProxyTelemetry.Connection));
        Assert.Equal(ActivityStatusCode.Unset, attempts[1].Status);
        Assert.Equal(200, attempts[1].GetTagItem(ProxyTelemetry.StatusCode));
        Assert.Equal("gpt-4o", attempts[1].GetTagItem(ProxyTelemetry.RequestModel));

        // Each upstream saw the caller's trace, with HttpClient's span (child of the attempt) as its parent.
        var primarySeen = Assert.Single(u.Primary.Requests).Headers["traceparent"];
        var backupSeen = Assert.Single(u.Backup.Requests).Headers["traceparent"];
        Assert.Equal(traceId, TraceIdOf(primarySeen));
        Assert.Equal(traceId, TraceIdOf(backupSeen));
        var backupClient = Assert.Single(mine, s => s.Source.Name == "System.Net.Http" && s.ParentSpanId == attempts[1].SpanId);
        Assert.Equal(backupClient.SpanId.ToHexString(), backupSeen.Split('-')[2]);
    }

    [Fact]
    public async Task Stream_AttemptSpanLastsUntilTheStreamEnds()
    {
        var spans = new List<Activity>();
        await using var u = await Reliability.TwoUpstreams.StartAsync(services: s => InMemoryTracing(s, spans));
        var traceId = ActivityTraceId.CreateRandom();
        using var http = u.Http();

        using (var response = await http.SendAsync(Post("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", traceId, ActivitySpanId.CreateRandom())))
        {
            Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync());
        }
        await u.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await u.Proxy.DisposeAsync();

        List<Activity> mine;
        lock (spans) mine = spans.Where(s => s.TraceId == traceId).ToList();
        var request = Assert.Single(mine, s => s.OperationName == "oaiproxy.request");
        var attempt = Assert.Single(mine, s => s.OperationName == "oaiproxy.attempt");
        Assert.Equal(request.SpanId, attempt.ParentSpanId);
        Assert.True(attempt.StartTimeUtc + attempt.Duration <= request.StartTimeUtc + request.Duration);
        Assert.Equal(true, request.GetTagItem(ProxyTelemetry.Stream));
        Assert.Equal(traceId, TraceIdOf(Assert.Single(u.Primary.Requests).Headers["traceparent"]));
    }

    [Fact]
    public void Otlp_IsOnlyEnabledByTheStandardVariables()
    {
        static Func<string, string?> Env(params (string Name, string Value)[] vars) => name => vars.FirstOrDefault(v => v.Name == name).Value;

        Assert.False(ObservabilityServiceCollectionExtensions.OtlpEnabled(Env(), "TRACES"));
        Assert.True(ObservabilityServiceCollectionExtensions.OtlpEnabled(Env(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")), "TRACES"));
        Assert.True(ObservabilityServiceCollectionExtensions.OtlpEnabled(Env(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")), "TRACES"));
        Assert.False(ObservabilityServiceCollectionExtensions.OtlpEnabled(Env(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")), "METRICS"));
        Assert.False(ObservabilityServiceCollectionExtensions.OtlpEnabled(Env(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), ("OTEL_TRACES_EXPORTER", "none")), "TRACES"));
        Assert.False(ObservabilityServiceCollectionExtensions.OtlpEnabled(Env(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), ("OTEL_SDK_DISABLED", "true")), "TRACES"));
    }
}
