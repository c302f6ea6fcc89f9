using System.Net;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>
/// Security finding 9: a model with no price is not free under a budget, and a variant is not priced as its base
/// model. Before the fix the unpriced model was served at $0 and o1-pro was reserved at o1's price.
/// </summary>
public sealed class BudgetPricingTests
{
    private static string Config(FakeOpenAiServer upstream, string budget, string top = "") => top + $$"""
        [connections.openai]
        api_type = "open_ai"
        api_base = "{{upstream.ApiBase}}"
        api_key = "{{upstream.ApiKey}}"
        max_retries = 0

        [routing]
        "*" = "openai.*"

        [groups.default]
        api_keys = ["{{ProxyFixture.ClientKey}}"]
        {{budget}}
        """;

    private static string Body(string model) => $$"""{"model":"{{model}}","max_tokens":1000,"messages":[{"role":"user","content":"hi"}]}""";

    private const string Budget = "budget = { amount = 0.5, period = \"total\" }";

    [Theory]
    [InlineData("gpt-4-bigusage")]
    [InlineData("o1-pro-bigusage")]
    [InlineData("my-local-model")]
    public async Task GroupBudget_ModelWithoutPrice_Refused403WithoutReachingTheUpstream(string model)
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, Budget));
        using var http = new HttpClient();

        var (status, _, body) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, Body(model));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("model_not_priced", LimitCalls.ErrorCode(body));
        Assert.Contains($"\"{model}\"", LimitCalls.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Contains("the group \"default\"", LimitCalls.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Empty(fixture.Upstream.Requests);
    }

    [Fact]
    public async Task GroupBudget_UnpricedModelsAllowed_ServedAtNoCost()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, Budget, "unpriced_models = \"allow\"\n"));
        using var http = new HttpClient();

        var (status, _, _) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, Body("my-local-model"));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task NoBudget_ModelWithoutPrice_Served()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, "rpm = 100"));
        using var http = new HttpClient();

        var (status, _, _) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, Body("my-local-model"));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task GroupBudget_O1Pro_ReservedAtItsOwnPriceNotO1s()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, Budget));
        using var http = new HttpClient();

        // 1000 completion tokens cost $0.60 at o1-pro's $600 per million (o1's $60 would be $0.06, within $0.50).
        var (status, _, body) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, Body("o1-pro"));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("insufficient_quota", LimitCalls.ErrorCode(body));
        Assert.Empty(fixture.Upstream.Requests);
    }
}
