using System.ClientModel;
using OaiProxy.Testing.OpenAi;
using OaiProxy.Testing.Postgres;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>Stored keys and usage on a real PostgreSQL server shared by the collection.</summary>
[Collection("postgres")]
public sealed class PostgresStorageTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server!;

    [PostgresFact]
    public async Task Revoke_OnOneInstance_IsRejectedByAnotherWithinOneSecond()
    {
        var database = await Server.CreateDatabaseAsync();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var a = await StorageProxy.StartAsync(upstream, database);
        await using var b = await StorageProxy.StartAsync(upstream, database);
        var created = await a.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"shared"}""", 201);
        var secret = created["key"]!.GetValue<string>();
        await b.WaitForKeyChangesAsync(TimeSpan.FromSeconds(1));
        await b.Chat("gpt-4o-mini", secret).CompleteChatAsync("known on b");

        await a.AdminAsync(HttpMethod.Delete, $"/admin/keys/{created["id"]!.GetValue<string>()}");
        await b.WaitForKeyChangesAsync(TimeSpan.FromSeconds(1)); // the cache's invalidation, bounded by the promise
        var e = await Assert.ThrowsAsync<ClientResultException>(() => b.Chat("gpt-4o-mini", secret).CompleteChatAsync("revoked on a"));
        Assert.Equal(401, e.Status);
    }

    [PostgresFact]
    public async Task Secrets_AreNeverStoredInClear()
    {
        var database = await Server.CreateDatabaseAsync();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream, database);
        var created = await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"clear-check"}""", 201);
        var id = created["id"]!.GetValue<string>();
        var rotated = await sut.AdminAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate");
        await sut.WaitForKeyChangesAsync(TimeSpan.FromSeconds(1));
        await sut.Chat("gpt-4o-mini", rotated["key"]!.GetValue<string>()).CompleteChatAsync("leaves a usage record");

        // Every row of every table, as text.
        var dump = new System.Text.StringBuilder();
        await using (var connection = new Npgsql.NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new Npgsql.NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
            }
            foreach (var table in tables)
            {
                await using var rows = new Npgsql.NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t", connection);
                await using var reader = await rows.ExecuteReaderAsync();
                while (await reader.ReadAsync()) dump.AppendLine(reader.GetString(0));
            }
        }

        Assert.Contains("clear-check", dump.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(created["key"]!.GetValue<string>(), dump.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(rotated["key"]!.GetValue<string>(), dump.ToString(), StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task DatabaseStopped_DuringTraffic_RecordsAreSpooledAndReplayed()
    {
        const int n = 6;
        var database = await Server.CreateDatabaseAsync();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream, database);
        var key = await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"outage"}""", 201);
        await sut.WaitForKeyChangesAsync(TimeSpan.FromSeconds(1));
        UsageTests.ScriptUpstream(upstream);
        var chat = sut.Chat("gpt-4o-mini", key["key"]!.GetValue<string>());
        var usage = sut.Storage.Usage;
        try
        {
            await Server.StopAsync();
            for (var i = 0; i < n; i++) await SendAsync(chat, i);
            await usage.Acknowledged.WaitForAsync(n, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, usage.Committed.Value);
            Assert.Equal(n, usage.Spool!.Records);
        }
        finally
        {
            await Server.StartAgainAsync();
        }
        await usage.Committed.WaitForAsync(n, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, usage.Spool!.Records);
        var totals = await sut.AdminAsync(HttpMethod.Get, "/admin/usage");
        UsageTests.AssertTotals(Assert.Single(totals["data"]!.AsArray())!, n);
    }

    private static Task SendAsync(OpenAI.Chat.ChatClient chat, int i) => UsageTests.SendAsync(chat, i);
}
