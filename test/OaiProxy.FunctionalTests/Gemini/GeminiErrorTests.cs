using System.Net;
using System.Text.Json.Nodes;
using OaiProxy.Testing.Gemini;

namespace OaiProxy.FunctionalTests.Gemini;

public sealed class GeminiErrorTests
{
    private const string Body = """{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"Hi"}]}""";

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT", 400, "invalid_request_error")]
    [InlineData(400, "FAILED_PRECONDITION", 400, "invalid_request_error")]
    [InlineData(403, "PERMISSION_DENIED", 502, "upstream_error")]
    [InlineData(401, "UNAUTHENTICATED", 502, "upstream_error")]
    [InlineData(404, "NOT_FOUND", 404, "invalid_request_error")]
    [InlineData(429, "RESOURCE_EXHAUSTED", 429, "rate_limit_error")]
    [InlineData(500, "INTERNAL", 502, "upstream_error")]
    [InlineData(503, "UNAVAILABLE", 503, "server_error")]
    [InlineData(504, "DEADLINE_EXCEEDED", 504, "timeout_error")]
    public async Task Error_GoogleStatus_IsMappedToOpenAiShape(int httpStatus, string googleStatus, int expectedStatus, string expectedType)
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Error(httpStatus, googleStatus, $"Upstream says {googleStatus}.");
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", GeminiChatTests.Json(Body));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal(expectedType, error["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Error_ResourceExhausted_CarriesRetryDelayAsRetryAfter()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for metric generate_content_free_tier_requests.",
            new JsonArray(GeminiWire.RetryInfo("37s")));
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", GeminiChatTests.Json(Body));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("37", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("Quota exceeded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_InvalidProviderKey_Is502WithoutTheKey()
    {
        await using var f = await GeminiFixture.StartAsync();
        await using var wrong = await Testing.ProxyTestServer.StartAsync($$"""
            [connections.gemini]
            api_type = "google"
            api_base = "{{f.Upstream.ApiBase}}"
            api_key = "AIzaSy-wrong-key-9876543210"
            max_retries = 0

            [routing]
            "*" = "gemini.*"

            [groups.default]
            api_keys = ["{{GeminiFixture.ClientKey}}"]
            """);
        using var http = new HttpClient { BaseAddress = wrong.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", GeminiFixture.ClientKey);

        using var response = await http.PostAsync("/v1/chat/completions", GeminiChatTests.Json(Body));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.DoesNotContain("AIzaSy-wrong-key", text, StringComparison.Ordinal);
        Assert.Contains("upstream_authentication_failed", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_UnknownModel_Is404ModelNotFound()
    {
        await using var f = await GeminiFixture.StartAsync();

        var e = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            f.Chat("does-not-exist").CompleteChatAsync([new OpenAI.Chat.UserChatMessage("Hi")]));

        Assert.Equal(404, e.Status);
        Assert.Contains("model_not_found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_ArrayWrappedErrorBody_IsUnderstood()
    {
        await using var f = await GeminiFixture.StartAsync();
        f.Upstream.Handler = _ => new GeminiReply.Raw(400, "[" + GeminiWire.ErrorBody(400, "INVALID_ARGUMENT", "Bad schema.").ToJsonString() + "]");
        using var http = f.Http();

        using var response = await http.PostAsync("/v1/chat/completions", GeminiChatTests.Json(Body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bad schema.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
