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

    [Theory]
    [InlineData("o1-pro", 150, 600)]
    [InlineData("o1-pro-2025-03-19", 150, 600)]
    [InlineData("o3-pro", 20, 80)]
    [InlineData("gpt-5-pro", 15, 120)]
    [InlineData("o1", 15, 60)]
    [InlineData("o1-2024-12-17", 15, 60)]
    [InlineData("o3", 2, 8)]
    [InlineData("gpt-4", 30, 60)]
    [InlineData("gpt-4-turbo", 10, 30)]
    [InlineData("gpt-3.5-turbo", 0.5, 1.5)]
    [InlineData("chatgpt-4o-latest", 5, 15)]
    [InlineData("gpt-4o-2024-05-13", 5, 15)]
    [InlineData("gpt-4o-2024-11-20", 2.5, 10)]
    [InlineData("claude-3-opus-20240229", 15, 75)]
    [InlineData("claude-opus-4-5-20251101", 5, 25)]
    [InlineData("claude-opus-4-1-20250805", 15, 75)]
    [InlineData("claude-sonnet-4-5", 3, 15)]
    [InlineData("gemini-1.5-pro-002", 1.25, 5)]
    [InlineData("gemini-2.5-flash-preview-09-2025", 0.3, 2.5)]
    [InlineData("text-embedding-3-small", 0.02, 0)]
    public void BuiltIn_VariantsAreNotPricedAsTheirBaseModel_AndOldModelsHavePrices(string model, double input, double output)
    {
        var price = PriceTable.BuiltIn.Find(model);
        Assert.NotNull(price);
        Assert.Equal((decimal)input, price.Input);
        Assert.Equal((decimal)output, price.Output);
    }

    [Theory]
    [InlineData("o1-pro-bigusage")]
    [InlineData("gpt-4-bigusage")]
    [InlineData("gpt-5.9-ultra")]
    [InlineData("claude-opus-4-9")]
    [InlineData("gemini-2.5-flash-image")]
    public void BuiltIn_UnknownVariantsOfKnownFamilies_HaveNoPrice(string model) => Assert.Null(PriceTable.BuiltIn.Find(model));

    [Fact]
    public void Config_UnpricedModels_RefuseByDefault_AllowWhenSet()
    {
        Assert.Equal(UnpricedModelPolicy.Refuse, Bind("").UnpricedModels);
        Assert.Equal(UnpricedModelPolicy.Allow, Bind("unpriced_models = \"allow\"\n").UnpricedModels);
        Assert.Contains("unpriced_models", Assert.Throws<ConfigException>(() => Bind("unpriced_models = \"free\"\n")).Message, StringComparison.Ordinal);
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
