using OaiProxy.Configuration;
using OaiProxy.Providers;
using OaiProxy.Providers.OpenAi;

namespace OaiProxy.Tests.Configuration;

public sealed class ConfiguredSecretsTests
{
    private static readonly ProviderRegistry Registry = new([new OpenAiProviderFactory()]);

    private static List<string> SecretsOf(string toml) =>
        ConfiguredSecrets.Of(ConfigBinder.Bind(ConfigDocumentReader.Parse(toml, ".toml"), Registry, _ => null, "/tmp"),
            name => name == "CHECK_KEY" ? "check-env-key-123456" : null).ToList();

    [Fact]
    public void Of_EverySecretOfTheConfig()
    {
        var sut = SecretsOf("""
            master_key = "mk-master-0123456789abcdef"
            state_key = "st-state-0123456789abcdef"
            redis_url = "redis://:redis-pass-123456@127.0.0.1:6379/0"
            database_url = "Host=127.0.0.1;Username=proxy;Password='db-pass-123456';Database=p"
            [connections.openai]
            api_type = "open_ai"
            api_base = "https://user:base-pass-123456@llm.example.com/v1"
            api_key = "sk-openai-123456"
            http_headers = { "api-key" = "azure-key-123456", "Authorization" = "Bearer header-token-123456", "anthropic-beta" = "not-a-secret-2024" }
            [routing]
            "*" = "openai.*"
            [groups.default]
            api_keys = ["sk-virtual-123456"]
            [[before]]
            class = "lm_proxy.handlers.HTTPHeadersForwarder"
            white_list_headers = ["x-trace-id"]
            [api_key_check]
            class = "lm_proxy.api_key_check.CheckAPIKeyWithRequest"
            url = "https://auth.example.com/check"
            headers = { "Authorization" = "Bearer check-token-123456", "x-check-key" = "env:CHECK_KEY" }
            """);

        foreach (var secret in new[]
                 {
                     "mk-master-0123456789abcdef", "st-state-0123456789abcdef", "redis-pass-123456", "db-pass-123456", "base-pass-123456",
                     "sk-openai-123456", "azure-key-123456", "header-token-123456", "sk-virtual-123456", "check-token-123456", "check-env-key-123456",
                 })
        {
            Assert.Contains(secret, sut);
        }
        Assert.DoesNotContain("not-a-secret-2024", sut);
        Assert.DoesNotContain("x-trace-id", sut);
        Assert.DoesNotContain("https://auth.example.com/check", sut);
    }

    [Theory]
    [InlineData("postgres://u:pg-pass-1234@h/db", "pg-pass-1234")]
    [InlineData("127.0.0.1:6379,password=se-redis-1234,ssl=false", "se-redis-1234")]
    [InlineData("Server=h;Pwd=my-pwd-1234", "my-pwd-1234")]
    public void Passwords_OfUrlsAndConnectionStrings(string text, string password)
    {
        Assert.Contains(password, ConfiguredSecrets.Passwords(text));
    }
}
