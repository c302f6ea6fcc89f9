using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Anthropic;

public sealed class AnthropicConnectionConfigTests
{
    [Fact]
    public async Task Config_AnthropicVersionDefaultMaxTokensAndV1Base_AreHonoured()
    {
        await using var f = await AnthropicFixture.StartAsync(u => AnthropicFixture.Config(u)
            .Replace($"api_base = \"{u.ApiBase}\"", $"api_base = \"{u.ApiBase}/v1/\"\nanthropic_version = \"2099-01-01\"\ndefault_max_tokens = 777", StringComparison.Ordinal));

        await f.Chat().CompleteChatAsync([new UserChatMessage("Hi")]);

        var sent = Assert.Single(f.Upstream.Requests);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal("2099-01-01", sent.Headers["anthropic-version"]);
        Assert.Equal(777, sent.Json["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Config_UnknownAnthropicKey_RefusesToStartNamingIt()
    {
        await using var upstream = await Testing.Anthropic.FakeAnthropicServer.StartAsync();

        var e = await Assert.ThrowsAnyAsync<Exception>(() => Testing.ProxyTestServer.StartAsync(
            AnthropicFixture.Config(upstream).Replace("max_retries = 0", "max_retries = 0\nanthropic_versoin = \"x\"", StringComparison.Ordinal)));

        Assert.Contains("anthropic_versoin", e.Message, StringComparison.Ordinal);
    }
}
