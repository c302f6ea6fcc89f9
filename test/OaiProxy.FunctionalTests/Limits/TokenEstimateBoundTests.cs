using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>
/// Security finding 1: the prompt token estimate costs bounded work. Before the fix a 1 MB run of one letter took
/// more than five minutes of CPU; a 10 MB one never finished. The bound on the client's wait here is generous (two
/// minutes, for a request that takes well under a second) so that it cannot be flaky: what it catches is the
/// quadratic case, which needs hours.
/// </summary>
public sealed class TokenEstimateBoundTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    private static readonly string Run = new('a', 10 * 1024 * 1024);

    private static string Config(Testing.OpenAi.FakeOpenAiServer upstream, string group) =>
        "max_request_size_mb = 16\n" + ProxyFixture.DefaultConfig(upstream, group);

    [Fact]
    public async Task CountTokens_TenMegabyteRunOfOneLetter_AnsweredWithAnEstimateThatCoversIt()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, ""));
        using var http = new HttpClient { Timeout = Generous };
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Proxy.BaseUrl + "/messages/count_tokens")
        {
            Content = new StringContent($$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"{{Run}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", ProxyFixture.ClientKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["input_tokens"]!.GetValue<long>();
        Assert.True(tokens >= Run.Length / 4 - 128 * 1024, $"{tokens} tokens for {Run.Length} characters");
    }

    [Fact]
    public async Task Chat_GroupTpm_TenMegabyteRunOfOneLetter_RefusedAsTooLargeWithoutReachingTheUpstream()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => Config(u, "tpm = 100000"));
        using var http = new HttpClient { Timeout = Generous };

        var (status, _, body) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey,
            $$"""{"model":"gpt-4o-mini","max_tokens":10,"messages":[{"role":"user","content":"{{Run}}"}]}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Contains("Request too large", LimitCalls.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Empty(fixture.Upstream.Requests);
    }
}
