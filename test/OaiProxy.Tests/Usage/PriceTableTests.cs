using OaiProxy.Configuration;
using OaiProxy.Providers;
using OaiProxy.Providers.OpenAi;
using OaiProxy.Usage;

namespace OaiProxy.Tests.Usage;

public sealed class PriceTableTests
{
    private static readonly ProviderRegistry Registry = new([new OpenAiProviderFactory()]);

    private static ProxyConfig Bind(string extra) =>
        ConfigBinder.Bind(ConfigDocumentReader.Parse(extra + """

            [connections.openai]
            api_type = "open_ai"
            api_key = "k"

            [routing]
            "*" = "openai.*"
            """, ".toml"), Registry, _ => null, "/tmp");

    [Fact]
    public void BuiltIn_KnowsWellKnownModels_MostSpecificFirst()
    {
        Assert.Equal(0.15m, PriceTable.BuiltIn.Find("gpt-4o-mini-2024-07-18")!.Input);
        Assert.Equal(2.50m, PriceTable.BuiltIn.Find("gpt-4o")!.Input);
        Assert.Null(PriceTable.BuiltIn.Find("my-local-model"));
    }

    [Fact]
    public void CostNanos_PricesCachedPromptTokensApart_AndAddsUpExactly()
    {
        var sut = new ModelPrice(2.5m, 10m, 1.25m);
        var cost = sut.CostNanos(new UsageInfo(1000, 200, 1200) { CachedTokens = 400, ReasoningTokens = 50 });
        Assert.Equal((600 * 2.5m + 400 * 1.25m + 200 * 10m) * 1000m, cost);
    }

    [Fact]
    public void Config_Prices_OverrideBuiltInsAndAllowPatterns()
    {
        var sut = Bind("""
            [prices."gpt-4o"]
            input = 1
            output = 2
            [prices."acme-*"]
            input = 0.5
            output = 0.5
            cached_input = 0.1
            """).Prices;
        Assert.Equal(new ModelPrice(1, 2, 1), sut.Find("gpt-4o"));
        Assert.Equal(0.1m, sut.Find("acme-large")!.CachedInput);
        Assert.Equal(0.15m, sut.Find("gpt-4o-mini")!.Input);
        Assert.Equal(3000, sut.CostNanos(new UsageInfo(1, 1, 2), "gpt-4o", "alias"));
        Assert.Equal(0, sut.CostNanos(new UsageInfo(1, 1, 2), "unknown", "unknown-too"));
    }

    [Fact]
    public void Config_StorageKeys_AreReadAndChecked()
    {
        var sut = Bind("database_url = \"postgres://u:p@db/oai\"\nmaster_key = \"0123456789abcdef\"\n");
        Assert.Equal("postgres://u:p@db/oai", sut.DatabaseUrl);
        Assert.Equal("0123456789abcdef", sut.MasterKey);
        var error = Assert.Throws<ConfigException>(() => Bind("master_key = \"short\"\n[prices.x]\ninput = 1\nouput = 2\n"));
        Assert.Contains("master_key", error.Message, StringComparison.Ordinal);
        Assert.Contains("ouput", error.Message, StringComparison.Ordinal);
    }
}
