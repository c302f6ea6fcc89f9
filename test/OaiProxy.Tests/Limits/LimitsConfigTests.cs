using OaiProxy.Configuration;
using OaiProxy.Limits;
using OaiProxy.Providers;
using OaiProxy.Providers.OpenAi;

namespace OaiProxy.Tests.Limits;

public sealed class LimitsConfigTests
{
    private static readonly ProviderRegistry Registry = new([new OpenAiProviderFactory()]);

    private static ProxyConfig Bind(string text) => ConfigBinder.Bind(ConfigDocumentReader.Parse(text, ".toml"), Registry, _ => null, "/tmp");

    private const string Connection = """
        [connections.openai]
        api_type = "open_ai"
        api_key = "sk"
        """;

    [Fact]
    public void Bind_LimitsEverywhere_ReadIntoTheConfig()
    {
        var sut = Bind("""
            redis_url = "redis://127.0.0.1/2"
            redis_failure_policy = "fail_closed"
            redis_timeout = 0.25
            [limits]
            rpm = 1000
            default_max_tokens = 512
            """ + "\n" + Connection + """

            tpm = 50000
            max_parallel = 4
            [routing]
            "*" = "openai.*"
            [groups.team]
            api_keys = ["k"]
            rpm = 60
            budget = { amount = 12.5, period = "daily" }
            """);
        Assert.Equal(1000, sut.Limits!.Rpm);
        Assert.Equal(512, sut.DefaultMaxTokens);
        Assert.Equal(new RedisConfig("redis://127.0.0.1/2", RedisFailurePolicy.FailClosed, TimeSpan.FromSeconds(0.25), "oaiproxy:"), sut.Redis);
        Assert.Equal(50000, sut.Connections[0].Limits!.Tpm);
        Assert.Equal(4, sut.Connections[0].Limits!.MaxParallel);
        var group = Assert.Single(sut.Groups);
        Assert.Equal(60, group.Limits!.Rpm);
        Assert.Equal(new BudgetConfig(12.5m, "daily"), group.Limits.Budget);
    }

    [Fact]
    public void Bind_BadLimits_EveryErrorReported()
    {
        var e = Assert.Throws<ConfigException>(() => Bind("""
            redis_failure_policy = "fail_sideways"
            [limits]
            rpm = 0
            budget = { amount = 1.0 }
            """ + "\n" + Connection + """

            tpm = 1.5
            budget = { amount = 1.0, period = "daily" }
            [routing]
            "*" = "openai.*"
            [groups.team]
            api_keys = ["k"]
            budget = { amount = 5.0, period = "weekly" }
            """));
        var messages = e.Errors.Select(x => x.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("redis_failure_policy:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("limits.rpm:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("limits.budget:", StringComparison.Ordinal) && m.Contains("keys and groups", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("connections.openai.tpm:", StringComparison.Ordinal) && m.Contains("whole number", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("connections.openai.budget:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("groups.team.budget.period:", StringComparison.Ordinal) && m.Contains("weekly", StringComparison.Ordinal));
        Assert.Equal(6, messages.Count);
    }
}
