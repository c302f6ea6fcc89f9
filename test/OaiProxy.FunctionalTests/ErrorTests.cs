using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests;

public sealed class ErrorTests
{
    private const string Chat = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""";

    private static async Task<(HttpStatusCode Status, JsonObject Error, HttpResponseMessage Response)> PostAsync(ProxyFixture f, string body, string? key = ProxyFixture.ClientKey)
    {
        using var http = f.Http(key);
        var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonNode.Parse(text)!.AsObject();
        return (response.StatusCode, json["error"]!.AsObject(), response);
    }

    [Fact]
    public async Task MissingKey_Is401InvalidApiKey()
    {
        await using var f = await ProxyFixture.StartAsync();
        var (status, error, _) = await PostAsync(f, Chat, key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
        Assert.Empty(f.Upstream.Requests);
    }

    [Fact]
    public async Task UnknownKey_Is401()
    {
        await using var f = await ProxyFixture.StartAsync();
        var (status, error, _) = await PostAsync(f, Chat, key: "sk-wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_error", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("x-api-key")]
    [InlineData("api-key")]
    public async Task KeyInAlternativeHeaders_IsAccepted(string header)
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http(key: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = ChatCompletionTests.Json(Chat) };
        request.Headers.Add(header, ProxyFixture.ClientKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ConnectionNotAllowedForGroup_Is403()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + """

            [connections.other]
            api_type = "open_ai"
            api_base = "http://127.0.0.1:9/v1"
            [groups.limited]
            api_keys = ["sk-limited"]
            allowed_connections = "other"
            """);
        var (status, error, _) = await PostAsync(f, Chat, key: "sk-limited");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("connection_not_allowed", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoRouteForModel_Is404ModelNotFound()
    {
        await using var f = await ProxyFixture.StartAsync();
        var (status, error, _) = await PostAsync(f, """{"model":"claude-3","messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(422)]
    public async Task UpstreamClientErrors_PassThroughWithUpstreamMessage(int upstreamStatus)
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Error(upstreamStatus, $"upstream says {upstreamStatus}", Code: "some_code");
        var (status, error, _) = await PostAsync(f, Chat);
        Assert.Equal((HttpStatusCode)upstreamStatus, status);
        Assert.Equal($"upstream says {upstreamStatus}", error["message"]!.GetValue<string>());
        Assert.Equal("some_code", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upstream429_PassesThroughWithRetryAfter()
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Error(429, "Rate limit reached for gpt-4o.", "requests", "rate_limit_exceeded",
            new Dictionary<string, string> { ["retry-after"] = "20" });
        var (status, error, response) = await PostAsync(f, Chat);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("20", response.Headers.RetryAfter?.ToString());
        Assert.Contains("Rate limit reached", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpstreamRejectsProviderKey_Is502WithoutLeakingTheKey()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u).Replace(u.ApiKey, "sk-wrong-provider-key-987654321", StringComparison.Ordinal));
        var (status, error, response) = await PostAsync(f, Chat);
        var raw = error.ToJsonString();
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("upstream_authentication_failed", error["code"]!.GetValue<string>());
        Assert.DoesNotContain("sk-wrong-provider-key", raw);
        Assert.DoesNotContain(f.Upstream.ApiKey, raw);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Upstream5xx_Is502(int upstreamStatus)
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Error(upstreamStatus, "The server had an error.", "server_error");
        var (status, error, _) = await PostAsync(f, Chat);
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("upstream_error", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpstreamTimeout_Is504()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: "max_retries = 0\nfirst_byte_timeout = 0.3"));
        f.Upstream.Handler = _ => new FakeReply.Hang();
        var (status, error, _) = await PostAsync(f, Chat);
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("upstream_timeout", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpstreamConnectionRefused_Is502()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u).Replace(u.ApiBase, "http://127.0.0.1:9/v1", StringComparison.Ordinal));
        var (status, error, _) = await PostAsync(f, Chat);
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains("refused", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpstreamGarbageJson_Is502()
    {
        await using var f = await ProxyFixture.StartAsync();
        f.Upstream.Handler = _ => new FakeReply.Raw(200, "{\"id\": \"x\", \"choices\": [");
        var (status, _, _) = await PostAsync(f, Chat);
        Assert.Equal(HttpStatusCode.BadGateway, status);
    }

    [Theory]
    [InlineData("{not json", "invalid_json")]
    [InlineData("[1,2,3]", "invalid_type")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"Hi"}]}""", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","messages":"Hi"}""", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","messages":[]}""", "empty_array")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}]}""", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","messages":[{"content":"Hi"}]}""", "missing_required_parameter")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"stream":"yes"}""", "invalid_type")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]} {}""", "invalid_json")]
    [InlineData("", "invalid_json")]
    public async Task BadBody_Is400WithCode(string body, string code)
    {
        await using var f = await ProxyFixture.StartAsync();
        var (status, error, _) = await PostAsync(f, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Empty(f.Upstream.Requests);
    }

    [Fact]
    public async Task DeeplyNestedJson_Is400()
    {
        await using var f = await ProxyFixture.StartAsync();
        var body = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"x":""" + new string('[', 200) + new string(']', 200) + "}";
        var (status, _, _) = await PostAsync(f, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task TenMegabyteBody_Is413()
    {
        await using var f = await ProxyFixture.StartAsync();
        var body = """{"model":"gpt-4o","messages":[{"role":"user","content":" """ + new string('a', 10_000_000) + "\"}]}";
        var (status, error, _) = await PostAsync(f, body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownPathUnderPrefix_Is404Json()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http();
        using var response = await http.GetAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }

    [Fact]
    public async Task DisabledProxy_Answers503Everywhere()
    {
        await using var f = await ProxyFixture.StartAsync(u => "enabled = false\n" + ProxyFixture.DefaultConfig(u));
        var (status, error, _) = await PostAsync(f, Chat);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("proxy_disabled", error["code"]!.GetValue<string>());
        using var http = f.Http();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health")).StatusCode);
    }
}
