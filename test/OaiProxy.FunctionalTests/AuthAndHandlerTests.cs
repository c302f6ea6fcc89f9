using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OaiProxy.Auth;
using OaiProxy.Testing;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests;

/// <summary>A custom validator loaded by assembly-qualified name: keys starting with "team-" join group "teams".</summary>
public sealed class PrefixValidator(JsonObject settings) : IApiKeyValidator
{
    private readonly string _prefix = settings["prefix"]?.GetValue<string>() ?? "team-";

    public ValueTask<AuthResult?> ValidateAsync(string apiKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(apiKey.StartsWith(_prefix, StringComparison.Ordinal) ? new AuthResult("teams") : null);
}

public sealed class AuthAndHandlerTests
{
    private static string WithoutGroups(string config) => config[..config.IndexOf("[groups.default]", StringComparison.Ordinal)];

    [Fact]
    public async Task AllowAll_AcceptsAnyKeyIntoItsGroup()
    {
        await using var f = await ProxyFixture.StartAsync(u => "[api_key_check]\nclass = \"lm_proxy.api_key_check.AllowAll\"\n" + WithoutGroups(ProxyFixture.DefaultConfig(u)));
        ChatCompletion completion = await f.Chat("gpt-4o", key: "anything-goes").CompleteChatAsync([new UserChatMessage("Hi")]);
        Assert.Equal("Hello from gpt-4o!", completion.Content[0].Text);
    }

    [Fact]
    public async Task CustomValidatorType_IsLoadedWithItsSettings()
    {
        var type = typeof(PrefixValidator).AssemblyQualifiedName;
        await using var f = await ProxyFixture.StartAsync(u => $"[api_key_check]\nclass = \"{type}\"\nprefix = \"crew-\"\n" + WithoutGroups(ProxyFixture.DefaultConfig(u)) + "[groups.teams]\n");
        await f.Chat("gpt-4o", key: "crew-1").CompleteChatAsync([new UserChatMessage("Hi")]);
        var e = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat("gpt-4o", key: "team-1").CompleteChatAsync([new UserChatMessage("Hi")]));
        Assert.Equal(401, e.Status);
    }

    [Fact]
    public async Task HttpValidator_UsesUserInfoGroupAndCaches()
    {
        var calls = 0;
        var (userinfo, address) = await LoopbackServer.StartAsync(app => app.MapGet("/userinfo", (HttpContext context) =>
        {
            Interlocked.Increment(ref calls);
            return context.Request.Headers.Authorization == "Bearer good-token"
                ? Results.Json(new { sub = "u1", role = "limited" })
                : Results.StatusCode(401);
        }));
        await using var _ = userinfo;
        await using var f = await ProxyFixture.StartAsync(u => $$"""
            [api_key_check]
            class = "lm_proxy.api_key_check.CheckAPIKeyWithRequest"
            url = "{{address}}userinfo"
            headers = { Authorization = "Bearer {api_key}" }
            response_as_user_info = true
            group_field = "role"
            use_cache = true
            cache_ttl = 60
            """ + "\n" + WithoutGroups(ProxyFixture.DefaultConfig(u)) + """
            [connections.other]
            api_base = "http://127.0.0.1:9/v1"
            [groups.limited]
            allowed_connections = "other"
            [groups.default]
            """);

        // The userinfo group "limited" may only use "other": the request is authenticated, then refused.
        var e1 = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat("gpt-4o", key: "good-token").CompleteChatAsync([new UserChatMessage("Hi")]));
        var e2 = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat("gpt-4o", key: "good-token").CompleteChatAsync([new UserChatMessage("Hi")]));
        var bad = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat("gpt-4o", key: "bad-token").CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(403, e1.Status);
        Assert.Equal(403, e2.Status);
        Assert.Equal(401, bad.Status);
        Assert.Equal(2, calls); // one per distinct key: the second good call came from the cache
    }

    [Fact]
    public async Task HeadersForwarder_ForwardsWhitelistedHeadersButNeverCredentials()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + """

            [[before]]
            class = "lm_proxy.handlers.HTTPHeadersForwarder"
            white_list_headers = ["x-trace-id", "authorization"]
            """);
        using var http = f.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"""),
        };
        request.Headers.Add("x-trace-id", "trace-42");
        request.Headers.Add("x-other", "nope");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal("trace-42", sent.Headers["x-trace-id"]);
        Assert.False(sent.Headers.ContainsKey("x-other"));
        Assert.Equal($"Bearer {f.Upstream.ApiKey}", sent.Headers["authorization"]);
    }

    [Fact]
    public async Task RateLimiterHandler_Answers429WithRetryAfter()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + """

            [[before]]
            class = "lm_proxy.handlers.RateLimiter"
            max_requests = 2
            window_seconds = 60
            per = "api_key"
            """);
        await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("1")]);
        await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("2")]);
        using var http = f.Http();
        using var response = await http.PostAsync("/v1/chat/completions", ChatCompletionTests.Json("""{"model":"gpt-4o","messages":[{"role":"user","content":"3"}]}"""));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(2, f.Upstream.Requests.Count);
    }

    [Fact]
    public async Task DefaultArgsAndStaticHeaders_ApplyUpstream()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u, connectionExtra: """
            max_retries = 0
            http_headers = { "OpenAI-Organization" = "org-1" }
            default_args = { temperature = 0.1, max_tokens = 50 }
            """));
        await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { Temperature = 0.9f });
        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal("org-1", sent.Headers["openai-organization"]);
        Assert.Equal(0.9, sent.Json["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(50, sent.Json["max_tokens"]!.GetValue<int>());
    }
}
