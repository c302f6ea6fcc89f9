using OaiProxy.Testing.OpenAi;
using OaiProxy.Testing.Postgres;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>The usage API's buckets, filters, latency and key spend, on the default SQLite database.</summary>
public sealed class UsageApiTests
{
    [Fact]
    public async Task UsageApi_IntervalsFiltersLatencyAndKeySpend_OnSqlite()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);
        await UsageApiScenario.RunAsync(sut);
    }
}

/// <summary>The same on PostgreSQL: the SQL must mean the same on both.</summary>
[Collection("postgres")]
public sealed class PostgresUsageApiTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server!;

    [PostgresFact]
    public async Task UsageApi_IntervalsFiltersLatencyAndKeySpend_OnPostgres()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream, await Server.CreateDatabaseAsync());
        await UsageApiScenario.RunAsync(sut);
    }
}
