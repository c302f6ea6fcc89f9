using Microsoft.Extensions.Time.Testing;
using OaiProxy.Providers.Gemini;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Gemini;

public sealed class GeminiVertexTests
{
    [Fact]
    public async Task Vertex_Request_UsesSignedJwtTokenAndVertexPath()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var f = await GeminiFixture.StartVertexAsync(time);

        ChatCompletion completion = await f.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello from gemini-2.5-flash!", completion.Content[0].Text);
        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal("/v1/projects/test-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent", sent.Path);
        Assert.Equal("Bearer ya29.fake-token-1", sent.Headers["authorization"]);
        Assert.False(sent.Headers.ContainsKey("x-goog-api-key"));
        Assert.Empty(f.Tokens!.Rejections);
    }

    [Fact]
    public async Task Vertex_TokenInRefreshWindow_IsRefreshedInBackgroundWhileTrafficContinues()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var f = await GeminiFixture.StartVertexAsync(time, tokenLifetimeSeconds: 600);
        var chat = f.Chat();
        await chat.CompleteChatAsync([new UserChatMessage("first")]);

        // Inside the refresh window (the last five minutes), with the exchange held open by the fake.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Tokens!.Gate = release.Task;
        time.Advance(TimeSpan.FromSeconds(600 - 290));
        var during = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => chat.CompleteChatAsync([new UserChatMessage($"during {i}")])));
        release.SetResult();
        await f.Tokens.Issued(2);
        await TokenSource(f).PendingRefresh;
        await chat.CompleteChatAsync([new UserChatMessage("after")]);

        Assert.All(during, c => Assert.Equal(ChatFinishReason.Stop, c.Value.FinishReason));
        Assert.Equal(2, f.Tokens.IssuedCount);
        var auth = f.Upstream.Requests.Select(r => r.Headers["authorization"]).ToList();
        Assert.Equal(10, auth.Count);
        Assert.All(auth.Take(9), a => Assert.Equal("Bearer ya29.fake-token-1", a));
        Assert.Equal("Bearer ya29.fake-token-2", auth[^1]);
    }

    [Fact]
    public async Task Vertex_ExpiredToken_IsReplacedBeforeTheRequestIsSent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var f = await GeminiFixture.StartVertexAsync(time, tokenLifetimeSeconds: 60);
        var chat = f.Chat();
        await chat.CompleteChatAsync([new UserChatMessage("first")]);
        f.Tokens!.Revoke("ya29.fake-token-1");

        time.Advance(TimeSpan.FromMinutes(2));
        ChatCompletion after = await chat.CompleteChatAsync([new UserChatMessage("after expiry")]);

        Assert.Equal(ChatFinishReason.Stop, after.FinishReason);
        Assert.Equal("Bearer ya29.fake-token-2", f.Upstream.Requests.Last().Headers["authorization"]);
    }

    [Fact]
    public async Task Vertex_TokenEndpointRefuses_Is502NamingTheServiceAccount()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var f = await GeminiFixture.StartVertexAsync(time);
        f.Tokens!.Refuse = true;

        var e = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => f.Chat().CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(502, e.Status);
        Assert.Contains("service account", e.Message, StringComparison.Ordinal);
        Assert.Empty(f.Upstream.Requests);
    }

    private static GoogleAccessTokenSource TokenSource(GeminiFixture f) =>
        ((GeminiProvider)f.Proxy.Runtime.Current.Provider("vertex")).Tokens!;
}
