using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OaiProxy.Dialects.Responses;
using OaiProxy.Storage.Database;
using OaiProxy.Storage.Responses;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>A migrated database of either kind, the response store and its sweep on it, and their fake clock.</summary>
internal sealed class ResponseStoreHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string? _directory;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    private ResponseStoreHarness(StorageDatabase database, string? directory)
    {
        Database = database;
        _directory = directory;
        Store = new DatabaseResponseStore(Time);
        Store.Attach(database);
        Sweep = new ResponseSweep(database, Time, NullLogger<ResponseSweep>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public StorageDatabase Database { get; }

    public DatabaseResponseStore Store { get; }

    public ResponseSweep Sweep { get; }

    /// <summary>Bounds every call of a test.</summary>
    public CancellationToken Cancel => _timeout.Token;

    /// <summary><paramref name="kind"/> is <c>sqlite</c> (a temporary file) or <c>postgres</c> (a new database on the fixture's server).</summary>
    public static async Task<ResponseStoreHarness> OpenAsync(string kind, PostgresFixture postgres)
    {
        var (database, directory) = await TestDatabases.CreateAsync(kind, postgres, "responses");
        await MigrationRunner.RunAsync(database, TimeProvider.System, CancellationToken.None);
        return new ResponseStoreHarness(database, directory);
    }

    /// <summary>A response of <paramref name="owner"/> created now, kept 30 days, with <paramref name="inputs"/> input and <paramref name="outputs"/> output items named after it.</summary>
    public StoredResponse Response(string id, string? previous = null, string owner = "key:a", int inputs = 1, int outputs = 1, TimeSpan? keep = null)
    {
        var now = Time.GetUtcNow();
        return new StoredResponse
        {
            Id = id, Owner = owner, PreviousResponseId = previous, CreatedAt = now, ExpiresAt = now + (keep ?? TimeSpan.FromDays(30)),
            Response = $$"""{"id":"{{id}}","object":"response","status":"completed"}""",
            Input = Items(id, "in", inputs),
            Output = Items(id, "out", outputs),
        };
    }

    public static StoredItem[] Items(string id, string kind, int count) =>
        Enumerable.Range(0, count).Select(i => new StoredItem($"{id}_{kind}{i}", $$"""{"id":"{{id}}_{{kind}}{{i}}","type":"message"}""")).ToArray();

    public Task<long> CountAsync(string table) => CountAsync(table, "1 = 1");

    public async Task<long> CountAsync(string table, string where)
    {
        await using var connection = await Database.OpenAsync(Cancel);
        return await Sql.ScalarInt64Async(connection, null, $"SELECT COUNT(*) FROM {table} WHERE {where}", Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        _timeout.Dispose();
        await Database.DisposeAsync();
        if (_directory is not null) Directory.Delete(_directory, recursive: true);
    }
}
