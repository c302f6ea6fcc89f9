using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OaiProxy.Pipeline;
using OaiProxy.Logging;
using OaiProxy.Observability;
using OaiProxy.Runtime;

namespace OaiProxy.FunctionalTests.Observability;

/// <summary>Operations beyond chat get the same header and metrics, labelled with their endpoint and GenAI operation.</summary>
public sealed class OperationMetricsTests
{
    [Fact]
    public async Task Embeddings_CarryOverheadHeaderAndEndpointLabels()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http();

        using var response = await http.PostAsJsonAsync("/v1/embeddings", new JsonObject { ["model"] = "gpt-4o", ["input"] = "hello" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains(ProxyTelemetry.OverheadHeader));
        Assert.Equal("req_upstream_123", response.Headers.GetValues("x-upstream-request-id").Single());
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await f.Proxy.Service<LogDispatcher>().FlushAsync();
        var samples = PrometheusSample.Parse(await http.GetStringAsync("/metrics"));

        var request = Assert.Single(samples, s => s.Name == "oaiproxy_requests_total");
        Assert.Equal("embeddings", request.Labels["oaiproxy_endpoint"]);
        Assert.Equal("embeddings", request.Labels["gen_ai_operation_name"]);
        Assert.Equal("200", request.Labels["http_response_status_code"]);
        Assert.Equal(1, request.Value);
        Assert.Single(samples, s => s.Name == "oaiproxy_overhead_duration_seconds_count" && s.Labels["oaiproxy_endpoint"] == "embeddings");
    }
}
