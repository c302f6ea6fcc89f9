using System.Reflection;
using OaiProxy.Testing.Postgres;
using Xunit.Sdk;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>One PostgreSQL server for the whole "postgres" collection (its tests run one after another).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer? Server { get; private set; }

    public async Task InitializeAsync()
    {
        if (PostgresServer.UnavailableReason is null) Server = await PostgresServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

/// <summary>A test that needs PostgreSQL: skipped, saying why, only when it cannot be installed here.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.UnavailableReason is { } reason) Skip = reason;
    }
}

/// <summary>A theory row <c>"postgres"</c> beside <c>[InlineData("sqlite")]</c>: skipped, saying why, only when PostgreSQL cannot be installed here.</summary>
public sealed class PostgresDataAttribute : DataAttribute
{
    public PostgresDataAttribute()
    {
        if (PostgresServer.UnavailableReason is { } reason) Skip = reason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["postgres"]];
}
