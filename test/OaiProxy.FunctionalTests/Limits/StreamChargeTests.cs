using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OaiProxy.Runtime;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>
/// Security findings 3 and 11: streams are charged what the upstream reports, hidden reasoning included, also when
/// the client did not ask for usage; attempts that time out are charged. Before the fix a stream without
/// <c>stream_options.include_usage</c> was charged one token per chunk and a timed-out attempt nothing.
/// </summary>
public sealed class StreamChargeTests
{
    private const string Model = "gpt-4o-mini";
    private const int Reasoning = 29_990;

    private static string StreamBody(bool includeUsage = false) =>
        $$"""{"model":"{{Model}}","stream":true,{{(includeUsage ? "\"stream_options\":{\"include_usage\":true}," : "")}}"max_completion_tokens":1000,"messages":[{"role":"user","content":"hi"}]}""";

    /// <summary>Like OpenAI's o-series: four visible chunks, and 30,010 billed tokens reported only when usage is asked for.</summary>
    private static FakeReply.Stream HiddenReasoning(RecordedRequest request)
    {
        var asked = request.Json["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        var payloads = OpenAiWire.TextStream("chatcmpl-hidden", Model, "Four words of answer", asked);
        if (asked) payloads[^1] = OpenAiWire.UsageChunk("chatcmpl-hidden", Model, 20, Reasoning).ToJsonString();
        return new FakeReply.Stream(payloads);
    }

    private static async Task<string> StreamAsync(HttpClient http, ProxyFixture fixture, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Proxy.BaseUrl + "/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProxyFixture.ClientKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        await fixture.Proxy.Service<RequestTracker>().WhenIdleAsync(); // settled
        return response.StatusCode == HttpStatusCode.OK ? text : $"{(int)response.StatusCode}: {text}";
    }

    [Fact]
    public async Task Stream_ClientDidNotAskForUsage_UpstreamIsAskedAndTheClientGetsExactlyItsOwnStream()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "tpm = 1000000"));
        fixture.Upstream.Handler = HiddenReasoning;
        using var http = new HttpClient();

        var received = await StreamAsync(http, fixture, StreamBody());

        var expected = string.Concat(OpenAiWire.TextStream("chatcmpl-hidden", Model, "Four words of answer", includeUsage: false).Select(p => $"data: {p}\n\n")) + "data: [DONE]\n\n";
        Assert.Equal(expected, received);
        var sent = Assert.Single(fixture.Upstream.Requests);
        Assert.True(sent.Json["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Stream_ClientAskedForUsage_StreamRelayedAsTheUpstreamSentIt()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "tpm = 1000000"));
        fixture.Upstream.Handler = HiddenReasoning;
        using var http = new HttpClient();

        var received = await StreamAsync(http, fixture, StreamBody(includeUsage: true));

        var payloads = OpenAiWire.TextStream("chatcmpl-hidden", Model, "Four words of answer", includeUsage: true);
        payloads[^1] = OpenAiWire.UsageChunk("chatcmpl-hidden", Model, 20, Reasoning).ToJsonString();
        Assert.Equal(string.Concat(payloads.Select(p => $"data: {p}\n\n")) + "data: [DONE]\n\n", received);
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_GroupTpmChargedTheReportedReasoningTokens()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "tpm = 50000"));
        fixture.Upstream.Handler = HiddenReasoning;
        using var http = new HttpClient();

        var outcomes = new List<string>();
        for (var i = 0; i < 10; i++) outcomes.Add(await StreamAsync(http, fixture, StreamBody()));

        // 30,010 tokens each: the second fits (30,010 + 1,008 reserved), the third does not.
        Assert.Equal(2, outcomes.Count(o => o.StartsWith("data:", StringComparison.Ordinal)));
        Assert.All(outcomes.Skip(2), o => Assert.StartsWith("429:", o, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_KeyBudgetChargedTheReportedCost()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "budget = { amount = 5.0, period = \"total\" }") + $$"""

            [prices."{{Model}}"]
            input = 100
            output = 100
            """);
        fixture.Upstream.Handler = HiddenReasoning;
        using var http = new HttpClient();

        var outcomes = new List<string>();
        for (var i = 0; i < 10; i++) outcomes.Add(await StreamAsync(http, fixture, StreamBody()));

        // $3.001 each at $100 per million: the second fits ($3.001 spent + $0.1008 reserved), the third does not.
        Assert.Equal(2, outcomes.Count(o => o.StartsWith("data:", StringComparison.Ordinal)));
        Assert.Contains("insufficient_quota", outcomes[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamUsageOff_StreamWithoutUsage_ChargedItsReservationNotItsChunks()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "tpm = 2500", "max_retries = 0\nstream_usage = false"));
        fixture.Upstream.Handler = HiddenReasoning;
        using var http = new HttpClient();

        var outcomes = new List<string>();
        for (var i = 0; i < 3; i++) outcomes.Add(await StreamAsync(http, fixture, StreamBody()));

        // Nothing reported: each is charged prompt + the 1000 tokens it may write (8 + 1000), so the third is refused.
        Assert.Null(fixture.Upstream.Requests.First().Json["stream_options"]);
        Assert.Equal(2, outcomes.Count(o => o.StartsWith("data:", StringComparison.Ordinal)));
        Assert.StartsWith("429:", outcomes[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicTranslatedStream_ClientDidNotAskForUsage_ChargedTheReportedUsage()
    {
        await using var fixture = await Anthropic.AnthropicFixture.StartAsync(u => Anthropic.AnthropicFixture.Config(u) + "\ntpm = 100000\n");
        fixture.Upstream.Handler = _ => new Testing.Anthropic.AnthropicReply.Content([Testing.Anthropic.AnthropicWire.Text("short")],
            Usage: Testing.Anthropic.AnthropicWire.Usage(input: 12, output: 60_000));
        using var http = new HttpClient();
        var body = $$"""{"model":"{{Anthropic.AnthropicFixture.Model}}","stream":true,"max_tokens":1000,"messages":[{"role":"user","content":"hi"}]}""";

        var outcomes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var (status, _, _) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, body);
            await fixture.Proxy.Service<RequestTracker>().WhenIdleAsync();
            outcomes.Add(status);
        }

        // 60,012 tokens each as Anthropic reports them: the second fits (60,012 + 1,008 reserved), the third does not.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], outcomes);
    }

    [Fact]
    public async Task TimedOutAttempts_EachChargedItsReservation()
    {
        await using var fixture = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, "tpm = 3500", "max_retries = 2\nfirst_byte_timeout = 0.3"));
        fixture.Upstream.Handler = _ => new FakeReply.Hang();
        using var http = new HttpClient();
        var body = LimitCalls.Body(maxTokens: 1000);

        var (timedOut, _, _) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, body);
        await fixture.Proxy.Service<RequestTracker>().WhenIdleAsync();
        var attempts = fixture.Upstream.Requests.Count;
        fixture.Upstream.Handler = _ => FakeReply.Default;
        var (next, response, _) = await LimitCalls.CallAsync(http, fixture.Proxy.BaseUrl, ProxyFixture.ClientKey, body);

        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut);
        Assert.Equal(3, attempts);
        // Three generations the upstream was asked for, 1,008 tokens reserved each: 3,024 of 3,500 used.
        Assert.Equal(HttpStatusCode.TooManyRequests, next);
        Assert.Equal("476", LimitCalls.Header(response, "x-ratelimit-remaining-tokens"));
    }
}
