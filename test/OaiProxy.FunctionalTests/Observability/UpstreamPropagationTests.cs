using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OaiProxy.Testing;

namespace OaiProxy.FunctionalTests.Observability;

/// <summary>
/// What a raw <see cref="SocketsHttpHandler"/> behind an <see cref="HttpMessageInvoker"/> (the proxy's upstream
/// client) sends as <c>traceparent</c>, with and without a listener on HttpClient's own <c>System.Net.Http</c> source.
/// </summary>
[Collection(nameof(UpstreamPropagationTests))]
[CollectionDefinition(nameof(UpstreamPropagationTests), DisableParallelization = true)]
public sealed class UpstreamPropagationTests
{
    private static async Task<(string? Header, ActivitySpanId Attempt)> SendWithinAsync(string sourceName, bool listenToHttpClient)
    {
        var seen = new ConcurrentQueue<string?>();
        var (app, address) = await LoopbackServer.StartAsync(a => a.MapGet("/", (HttpContext c) =>
        {
            seen.Enqueue(c.Request.Headers.TryGetValue("traceparent", out var value) ? value.ToString() : null);
            return "ok";
        }));
        await using var _ = app;
        using var source = new ActivitySource(sourceName);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName || (listenToHttpClient && s.Name == "System.Net.Http"),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler(), disposeHandler: true);
        using (var attempt = source.StartActivity("attempt", ActivityKind.Client))
        {
            Assert.NotNull(attempt);
            using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, address), CancellationToken.None);
            response.EnsureSuccessStatusCode();
            var header = Assert.Single(seen);
            if (header is not null) Assert.Equal(attempt.TraceId.ToHexString(), header.Split('-')[1]);
            return (header, attempt.SpanId);
        }
    }

    [Fact]
    public async Task RawInvoker_PropagatesTheTrace_EvenWithoutAnHttpClientListener()
    {
        var (header, attempt) = await SendWithinAsync("OaiProxy.PropagationTest.NoHttpListener", listenToHttpClient: false);
        Assert.NotNull(header);
        // The handler still starts an (unrecorded) HttpRequestOut activity under the current one and sends its id, so
        // the upstream's parent would be a span no backend ever sees: the proxy therefore records System.Net.Http too.
        Assert.NotEqual(attempt.ToHexString(), header.Split('-')[2]);
    }

    [Fact]
    public async Task RawInvoker_WithHttpClientListener_SendsItsOwnSpanAsParent()
    {
        var (header, attempt) = await SendWithinAsync("OaiProxy.PropagationTest.HttpListener", listenToHttpClient: true);
        Assert.NotNull(header);
        Assert.NotEqual(attempt.ToHexString(), header.Split('-')[2]); // HttpClient's child span is the parent
    }
}
