using System.Net;
using OaiProxy.FunctionalTests.Anthropic;
using OaiProxy.Testing.Anthropic;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>
/// Security findings 4 and 12: a burst cannot overshoot a budget when the upstream writes no more than it is asked
/// for, because each request reserves exactly that. Before the fix the reservation assumed 4096 output tokens while
/// the Anthropic translation asked for 64000: 32 of 40 parallel requests were admitted on a $2 budget and $28.80 spent.
/// </summary>
public sealed class BudgetBurstTests
{
    private const decimal Budget = 2m;

    [Fact]
    public async Task AnthropicTranslation_ParallelBurstWithoutMaxTokens_SpendStaysWithinTheBudget()
    {
        await using var fixture = await AnthropicFixture.StartAsync(u => AnthropicFixture.Config(u) + $"\nbudget = {{ amount = {Budget}, period = \"total\" }}\n");
        // Within the 64000 the translation asks for Sonnet 4.5: the upstream honours max_tokens.
        fixture.Upstream.Handler = _ => new AnthropicReply.Content([AnthropicWire.Text("long")], Usage: AnthropicWire.Usage(input: 12, output: 60_000));
        using var http = new HttpClient();
        const string body = """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"write a lot"}]}""";

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, body)));

        var admitted = results.Count(r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal("insufficient_quota", LimitCalls.ErrorCode(r.Body)));
        // Claude Sonnet 4.5: $3 per million input tokens, $15 per million output tokens.
        var spent = admitted * (12 * 3m + 60_000 * 15m) / 1_000_000m;
        Assert.InRange(admitted, 1, 2);
        Assert.True(spent <= Budget, $"{admitted} admitted, ${spent} spent on a ${Budget} budget");
        Assert.Equal(admitted, fixture.Upstream.Requests.Count);
    }
}
