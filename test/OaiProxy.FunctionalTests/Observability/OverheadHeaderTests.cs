using System.Globalization;
using System.Net;
using System.Text;
using OaiProxy.FunctionalTests.Anthropic;
using OaiProxy.Observability;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Observability;

/// <summary>The <c>x-oaiproxy-overhead-ms</c> header on every response, and the upstream request id passed back.</summary>
public sealed class OverheadHeaderTests
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static double Overhead(HttpResponseMessage response) =>
        double.Parse(Assert.Single(response.Headers.GetValues(ProxyTelemetry.OverheadHeader)), CultureInfo.InvariantCulture);

    private static string? UpstreamId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-upstream-request-id", out var values) ? values.Single() : null;

    [Fact]
    public async Task EveryResponse_CarriesTheOverheadHeader()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http();
        using var anonymous = f.Http(key: null);

        using var json = await http.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));
        using var stream = await http.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));
        using var denied = await anonymous.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""));
        using var unknown = await http.PostAsync("/v1/chat/completions", Json("""{"model":"nope","messages":[{"role":"user","content":"Hi"}]}"""));
        using var models = await http.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        foreach (var response in new[] { json, stream, denied, unknown, models }) Assert.InRange(Overhead(response), 0, 10_000);
        Assert.Equal("req_upstream_123", UpstreamId(json));
        Assert.Equal("req_upstream_stream", UpstreamId(stream));
    }

    [Fact]
    public async Task Overhead_ExcludesTheUpstreamWait()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http();
        // Warm up first, so JIT time on a cold host does not count against the margin.
        using (var warm = await http.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }
        var wait = TimeSpan.FromMilliseconds(600);
        f.Upstream.Handler = r => new FakeReply.Stream(OpenAiWire.TextStream("chatcmpl-slow", r.Model!, "Hello", includeUsage: false), Delay: wait);
        var started = DateTime.UtcNow;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        // The client waited at least the upstream's first-event delay; the header counts none of it.
        Assert.True(DateTime.UtcNow - started >= wait - TimeSpan.FromMilliseconds(50));
        Assert.InRange(Overhead(response), 0, wait.TotalMilliseconds / 2);
    }

    [Fact]
    public async Task Anthropic_UpstreamRequestIdIsPassedBack()
    {
        await using var f = await AnthropicFixture.StartAsync();
        using var http = f.Http();

        using var json = await http.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{AnthropicFixture.Model}}","messages":[{"role":"user","content":"Hi"}]}"""));
        using var stream = await http.PostAsync("/v1/chat/completions", Json($$"""{"model":"{{AnthropicFixture.Model}}","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Equal("req_fake_123", UpstreamId(json));
        Assert.Equal("req_fake_stream", UpstreamId(stream));
        Assert.InRange(Overhead(stream), 0, 10_000);
    }
}
