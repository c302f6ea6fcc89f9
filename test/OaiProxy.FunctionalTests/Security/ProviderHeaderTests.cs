using System.Net;
using System.Text;
using OaiProxy.FunctionalTests.ApiSurface;
using OaiProxy.Testing;
using OaiProxy.Testing.Anthropic;

namespace OaiProxy.FunctionalTests.Security;

/// <summary>
/// Finding 16: client headers that change what the provider bills or enables pass only where the operator allows
/// them; Claude Code's own <c>anthropic-beta</c> values pass by default.
/// </summary>
public sealed class ProviderHeaderTests
{
    private const string ClaudeCodeBetas = "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14,context-management-2025-06-27";
    private const string PaidBeta = "context-1m-2025-08-07";

    private static async Task<string?> SentBetaAsync(ProxyTestServer proxy, FakeAnthropicServer anthropic, string beta)
    {
        using var http = new HttpClient { BaseAddress = proxy.Address };
        http.DefaultRequestHeaders.Add("x-api-key", ProxyFixture.ClientKey);
        http.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        http.DefaultRequestHeaders.Add("anthropic-beta", beta);
        using var response = await http.PostAsync("/v1/messages?beta=true", new StringContent(
            """{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return anthropic.Requests.Last().Headers.TryGetValue("anthropic-beta", out var sent) ? sent : null;
    }

    private static string Config(FakeAnthropicServer anthropic, string connectionExtra = "", string groupExtra = "") => $$"""
        [connections.claude]
        api_type = "anthropic"
        api_base = "{{anthropic.ApiBase}}"
        api_key = "{{anthropic.ApiKey}}"
        max_retries = 0
        {{connectionExtra}}

        [routing]
        "claude*" = "claude.*"

        [groups.default]
        api_keys = ["{{ProxyFixture.ClientKey}}"]
        {{groupExtra}}
        """;

    [Fact]
    public async Task AnthropicBeta_ByDefault_ClaudeCodeBetasPass_OthersAreDropped()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var proxy = await ProxyTestServer.StartAsync(Config(anthropic));

        var sent = await SentBetaAsync(proxy, anthropic, $"{ClaudeCodeBetas}, {PaidBeta},web-search-2025-03-05");

        Assert.Equal(ClaudeCodeBetas, sent);
    }

    [Fact]
    public async Task AnthropicBeta_OnlyUnknownValues_NoHeaderIsSent()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var proxy = await ProxyTestServer.StartAsync(Config(anthropic));

        Assert.Null(await SentBetaAsync(proxy, anthropic, PaidBeta));
    }

    [Fact]
    public async Task AnthropicBeta_ConnectionWildcard_PassesEverything()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var proxy = await ProxyTestServer.StartAsync(Config(anthropic, connectionExtra: "allowed_anthropic_betas = [\"*\"]"));

        Assert.Equal($"{ClaudeCodeBetas},{PaidBeta}", await SentBetaAsync(proxy, anthropic, $"{ClaudeCodeBetas},{PaidBeta}"));
    }

    [Fact]
    public async Task AnthropicBeta_GroupList_AddsToTheConnections()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var proxy = await ProxyTestServer.StartAsync(Config(anthropic, groupExtra: $"allowed_anthropic_betas = [\"{PaidBeta}\"]"));

        Assert.Equal($"claude-code-20250219,{PaidBeta}", await SentBetaAsync(proxy, anthropic, $"claude-code-20250219,{PaidBeta},web-search-2025-03-05"));
    }

    [Fact]
    public async Task AnthropicBeta_EmptyConnectionList_PassesNothing()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var proxy = await ProxyTestServer.StartAsync(Config(anthropic, connectionExtra: "allowed_anthropic_betas = []"));

        Assert.Null(await SentBetaAsync(proxy, anthropic, ClaudeCodeBetas));
    }

    private const string Forwarder = """

        [[before]]
        class = "lm_proxy.handlers.HTTPHeadersForwarder"
        """;

    private static async Task<RecordedRequestHeaders> ForwardedAsync(ProxyFixture f)
    {
        using var http = f.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""),
        };
        request.Headers.Add("OpenAI-Organization", "org-client");
        request.Headers.Add("OpenAI-Project", "proj-client");
        request.Headers.Add("x-goog-user-project", "gcp-client");
        request.Headers.Add("anthropic-beta", PaidBeta);
        request.Headers.Add("x-trace-id", "trace-1");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new RecordedRequestHeaders(f.Upstream.Requests.Last().Headers);
    }

    private sealed record RecordedRequestHeaders(IReadOnlyDictionary<string, string> Headers)
    {
        public string? this[string name] => Headers.TryGetValue(name, out var value) ? value : null;
    }

    [Fact]
    public async Task HeadersForwarder_BillingHeaders_AreNotForwardedByDefault()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + Forwarder);

        var sent = await ForwardedAsync(f);

        Assert.Equal("trace-1", sent["x-trace-id"]);
        Assert.Null(sent["openai-organization"]);
        Assert.Null(sent["openai-project"]);
        Assert.Null(sent["x-goog-user-project"]);
        Assert.Null(sent["anthropic-beta"]);
    }

    [Fact]
    public async Task HeadersForwarder_BillingHeaders_PassWhereTheConnectionOrGroupAllowsThem()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u,
            extra: "allowed_client_headers = [\"openai-project\"]",
            connectionExtra: "max_retries = 0\nallowed_client_headers = [\"OpenAI-Organization\"]") + Forwarder);

        var sent = await ForwardedAsync(f);

        Assert.Equal("org-client", sent["openai-organization"]);
        Assert.Equal("proj-client", sent["openai-project"]);
        Assert.Null(sent["x-goog-user-project"]);
    }
}
