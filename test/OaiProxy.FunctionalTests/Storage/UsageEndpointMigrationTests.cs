using OaiProxy.Logging;
using OaiProxy.Storage.Database;
using OaiProxy.Storage.Usage;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>
/// Migration 4 (the usage records' <c>endpoint</c>) on a database an older proxy made and filled, on SQLite and on
/// PostgreSQL: the old records keep every value and read as "endpoint not recorded"; records written after carry theirs.
/// </summary>
[Collection("postgres")]
public sealed class UsageEndpointMigrationTests(PostgresFixture postgres)
{
    /// <summary>The usage insert of schema 3, as the proxy before migration 4 ran it.</summary>
    private const string Schema3Insert = """
        INSERT INTO usage_records (id, created_at, key_id, key_group, connection, model, upstream_model, status, prompt_tokens,
            completion_tokens, cached_tokens, reasoning_tokens, cost_nanos, latency_ms, ttft_ms, stream, client_aborted)
        VALUES (@id, @at, 'key-1', 'default', 'openai', 'gpt-4o', 'gpt-4o', 200, @prompt, 5, 0, 0, 1000, 40, NULL, 0, 0)
        """;

    [Theory, InlineData("sqlite"), PostgresData]
    public async Task Migration4_OnADatabaseWithRecords_KeepsThemWithoutEndpoint_AndNewRecordsCarryTheirs(string kind)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var cancel = timeout.Token;
        var (database, directory) = await TestDatabases.CreateAsync(kind, postgres, "usage-migration");
        try
        {
            Assert.Equal(3, await MigrationRunner.RunAsync(database, TimeProvider.System, [.. Migrations.All.Where(m => m.Version <= 3)], cancel));
            await using (var connection = await database.OpenAsync(cancel))
            {
                await Sql.ExecuteAsync(connection, null, Schema3Insert, cancel, ("id", "old-1"), ("at", 1_000L), ("prompt", 10L));
                await Sql.ExecuteAsync(connection, null, Schema3Insert, cancel, ("id", "old-2"), ("at", 2_000L), ("prompt", 20L));
            }

            Assert.Equal(1, await MigrationRunner.RunAsync(database, TimeProvider.System, cancel));
            Assert.Equal(0, await MigrationRunner.RunAsync(database, TimeProvider.System, cancel));
            await UsageTable.InsertAsync(database,
            [
                new UsageRecord { Id = "new-1", CreatedAt = 3_000, Status = 200, PromptTokens = 100, Endpoint = OperationNames.Responses },
                new UsageRecord { Id = "new-2", CreatedAt = 4_000, Status = 200, PromptTokens = 200, Endpoint = OperationNames.Messages },
                new UsageRecord { Id = "new-3", CreatedAt = 5_000, Status = 200, PromptTokens = 300, Endpoint = OperationNames.Responses },
            ], cancel);

            var byEndpoint = (await UsageQuery.RunAsync(database, new UsageQuery.Request("endpoint", null, 0, 10_000, new Dictionary<string, string>()), cancel))
                .ToDictionary(r => r.Name ?? "(null)", r => (r.Requests, r.PromptTokens, r.CompletionTokens, r.CostNanos, r.LatencySumMs));
            Assert.Equal(new Dictionary<string, (long, long, long, long, long)>
            {
                ["(null)"] = (2, 30, 10, 2000, 80), // the old records, every value kept
                [OperationNames.Responses] = (2, 400, 0, 0, 0),
                [OperationNames.Messages] = (1, 200, 0, 0, 0),
            }, byEndpoint);
            var responses = Assert.Single(await UsageQuery.RunAsync(database, new UsageQuery.Request(null, null, 0, 10_000,
                new Dictionary<string, string> { ["endpoint"] = OperationNames.Responses }), cancel));
            Assert.Equal((2L, 400L), (responses.Requests, responses.PromptTokens));
        }
        finally
        {
            await database.DisposeAsync();
            if (directory is not null) Directory.Delete(directory, recursive: true);
        }
    }
}
