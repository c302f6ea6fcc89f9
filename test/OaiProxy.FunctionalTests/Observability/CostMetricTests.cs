using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Pipeline;
using OaiProxy.Logging;
using OaiProxy.Observability;
using OaiProxy.Runtime;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Observability;

/// <summary>The cost metric reports what a registered <see cref="ICostCalculator"/> prices, and nothing it cannot price.</summary>
public sealed class CostMetricTests
{
    private sealed class PerTokenPrice : ICostCalculator
    {
        public double? CostUsd(RequestLogEntry entry) =>
            entry.Usage is { } usage && entry.UpstreamModel == "gpt-4o" ? usage.PromptTokens * 0.01 + usage.CompletionTokens * 0.1 : null;
    }

    [Fact]
    public async Task RegisteredCalculator_CostIsCountedForPricedModelsOnly()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var proxy = await ProxyTestServer.StartAsync(ProxyFixture.DefaultConfig(upstream),
            configureServices: s => s.AddSingleton<ICostCalculator, PerTokenPrice>());
        using var http = new HttpClient { BaseAddress = proxy.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ProxyFixture.ClientKey);

        foreach (var model in new[] { "gpt-4o", "gpt-4o", "gpt-5" })
        {
            using var response = await http.PostAsync("/v1/chat/completions", new StringContent(
                $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await proxy.Service<RequestTracker>().WhenIdleAsync();
        await proxy.Service<LogDispatcher>().FlushAsync();
        var samples = PrometheusSample.Parse(await http.GetStringAsync("/metrics")).Where(s => s.Name == "oaiproxy_cost_usd_total").ToList();

        var cost = Assert.Single(samples); // gpt-5 has no price: no sample for it
        Assert.Equal("gpt-4o", cost.Labels["gen_ai_request_model"]);
        Assert.Equal(2 * (7 * 0.01 + 3 * 0.1), cost.Value, precision: 9);
    }
}
