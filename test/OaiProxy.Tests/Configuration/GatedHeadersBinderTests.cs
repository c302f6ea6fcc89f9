using OaiProxy.Configuration;
using OaiProxy.Providers;
using OaiProxy.Providers.OpenAi;

namespace OaiProxy.Tests.Configuration;

public sealed class GatedHeadersBinderTests
{
    private static readonly ProviderRegistry Registry = new([new OpenAiProviderFactory()]);

    private static ProxyConfig Bind(string connectionExtra = "", string groupExtra = "") => ConfigBinder.Bind(ConfigDocumentReader.Parse($"""
        [connections.openai]
        api_type = "open_ai"
        {connectionExtra}
        [routing]
        "*" = "openai.*"
        [groups.default]
        api_keys = ["k"]
        {groupExtra}
        """, ".toml"), Registry, _ => null, "/tmp");

    [Fact]
    public void Defaults_ClaudeCodeBetasOnTheConnection_NothingElse()
    {
        var sut = Bind();

        Assert.Equal(["claude-code-20250219", "interleaved-thinking-2025-05-14", "fine-grained-tool-streaming-2025-05-14", "context-management-2025-06-27"],
            sut.Connections[0].AllowedAnthropicBetas);
        Assert.Empty(sut.Connections[0].AllowedClientHeaders);
        Assert.Empty(sut.Groups[0].AllowedAnthropicBetas);
        Assert.Empty(sut.Groups[0].AllowedClientHeaders);
    }

    [Fact]
    public void Lists_AreBound_HeaderNamesLowerCased()
    {
        var sut = Bind("allowed_client_headers = [\"OpenAI-Organization\"]\nallowed_anthropic_betas = []",
            "allowed_client_headers = \"x-goog-user-project, openai-project\"\nallowed_anthropic_betas = [\"*\"]");

        Assert.Equal(["openai-organization"], sut.Connections[0].AllowedClientHeaders);
        Assert.Empty(sut.Connections[0].AllowedAnthropicBetas);
        Assert.Equal(["x-goog-user-project", "openai-project"], sut.Groups[0].AllowedClientHeaders);
        Assert.Equal(["*"], sut.Groups[0].AllowedAnthropicBetas);
    }

    [Fact]
    public void UngatedOrBetaHeaderNames_AreErrorsThatSayWhatToWrite()
    {
        var e = Assert.Throws<ConfigException>(() => Bind("allowed_client_headers = [\"x-trace-id\"]", "allowed_client_headers = [\"anthropic-beta\"]"));

        var messages = e.Errors.Select(x => x.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("connections.openai.allowed_client_headers:", StringComparison.Ordinal) && m.Contains("\"x-trace-id\"", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("groups.default.allowed_client_headers:", StringComparison.Ordinal) && m.Contains("allowed_anthropic_betas", StringComparison.Ordinal));
    }
}
