using OaiProxy.Logging;
using OaiProxy.Storage.Database;
using OaiProxy.Storage.Usage;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>The SQLite usage writer itself: every column kept, nulls kept, a replayed batch ignored.</summary>
public sealed class UsageTableTests
{
    [Fact]
    public async Task InsertAsync_Batch_KeepsEveryColumnAndNulls_AndIgnoresAReplay()
    {
        var full = new UsageRecord
        {
            Id = "req-1", CreatedAt = 1_735_689_600_123, KeyId = "key-1", Group = "team", Connection = "up", Model = "gpt-4o",
            UpstreamModel = "gpt-4o-2024", Endpoint = OperationNames.Responses, Status = 200, PromptTokens = 11, CompletionTokens = 7, CachedTokens = 3,
            ReasoningTokens = 2, CostNanos = 123_456, LatencyMs = 42, TtftMs = 9, Stream = true, ClientAborted = true,
        };
        var sparse = new UsageRecord { Id = "req-2", CreatedAt = 5, Status = 502 };

        await WithDatabaseAsync(async (database, cancel) =>
        {
            await UsageTable.InsertAsync(database, [full, sparse], cancel);
            await UsageTable.InsertAsync(database, [full with { PromptTokens = 999 }, sparse], cancel);

            Assert.Equal([full, sparse], await ReadAllAsync(database, cancel));
        });
    }

    [Fact]
    public async Task InsertAsync_ThousandsOfRows_AllStored()
    {
        var records = Enumerable.Range(0, 5_000).Select(i => new UsageRecord { Id = $"req-{i}", CreatedAt = i, Status = 200, PromptTokens = i }).ToArray();

        await WithDatabaseAsync(async (database, cancel) =>
        {
            await UsageTable.InsertAsync(database, records, cancel);

            var stored = await ReadAllAsync(database, cancel);
            Assert.Equal(5_000, stored.Count);
            Assert.Equal(Enumerable.Range(0, 5_000).Sum(i => (long)i), stored.Sum(r => r.PromptTokens));
        });
    }

    private static async Task WithDatabaseAsync(Func<SqliteDatabase, CancellationToken, Task> test)
    {
        var directory = Directory.CreateTempSubdirectory("oaiproxy-usage-table-").FullName;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var database = new SqliteDatabase(Path.Combine(directory, "usage.db"));
        try
        {
            await MigrationRunner.RunAsync(database, TimeProvider.System, timeout.Token);
            await test(database, timeout.Token);
        }
        finally
        {
            await database.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<List<UsageRecord>> ReadAllAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Sql.Command(connection, null, """
            SELECT id, created_at, key_id, key_group, connection, model, upstream_model, status, prompt_tokens, completion_tokens,
                   cached_tokens, reasoning_tokens, cost_nanos, latency_ms, ttft_ms, stream, client_aborted, endpoint
            FROM usage_records ORDER BY created_at DESC
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<UsageRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new UsageRecord
            {
                Id = reader.GetString(0), CreatedAt = Sql.Int64(reader, 1), KeyId = Sql.StringOrNull(reader, 2),
                Group = Sql.StringOrNull(reader, 3), Connection = Sql.StringOrNull(reader, 4), Model = Sql.StringOrNull(reader, 5),
                UpstreamModel = Sql.StringOrNull(reader, 6), Status = (int)Sql.Int64(reader, 7), PromptTokens = Sql.Int64(reader, 8),
                CompletionTokens = Sql.Int64(reader, 9), CachedTokens = Sql.Int64(reader, 10), ReasoningTokens = Sql.Int64(reader, 11),
                CostNanos = Sql.Int64(reader, 12), LatencyMs = Sql.Int64OrNull(reader, 13), TtftMs = Sql.Int64OrNull(reader, 14),
                Stream = Sql.Int64(reader, 15) == 1, ClientAborted = Sql.Int64(reader, 16) == 1, Endpoint = Sql.StringOrNull(reader, 17),
            });
        }
        return records;
    }
}
