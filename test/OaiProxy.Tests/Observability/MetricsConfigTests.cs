using OaiProxy.Configuration;
using OaiProxy.Providers;
using OaiProxy.Providers.OpenAi;

namespace OaiProxy.Tests.Observability;

public sealed class MetricsConfigTests
{
    private static readonly ProviderRegistry Registry = new([new OpenAiProviderFactory()]);

    private static ProxyConfig Bind(string top) => ConfigBinder.Bind(ConfigDocumentReader.Parse(top + """

        [connections.openai]
        api_key = "sk-x"

        [routing]
        "*" = "openai.*"
        """, ".toml"), Registry, _ => null, "/tmp");

    [Fact]
    public void Metrics_DefaultsToOn() => Assert.True(Bind("").Metrics);

    [Fact]
    public void Metrics_False_TurnsItOff() => Assert.False(Bind("metrics = false").Metrics);
}
