using OaiProxy.Storage.Database;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>An empty database of either kind, not migrated yet.</summary>
internal static class TestDatabases
{
    /// <summary>
    /// <paramref name="kind"/> is <c>sqlite</c> (a file in a new temporary folder, returned for deletion) or
    /// <c>postgres</c> (a new database on the fixture's server; no folder).
    /// </summary>
    public static async Task<(StorageDatabase Database, string? Directory)> CreateAsync(string kind, PostgresFixture postgres, string name)
    {
        if (kind != "sqlite") return (new PostgresDatabase(await postgres.Server!.CreateDatabaseAsync()), null);
        var directory = Directory.CreateTempSubdirectory($"oaiproxy-{name}-").FullName;
        return (new SqliteDatabase(Path.Combine(directory, $"{name}.db")), directory);
    }
}
