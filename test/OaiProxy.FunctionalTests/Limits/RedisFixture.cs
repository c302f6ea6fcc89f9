using OaiProxy.Testing.Redis;

namespace OaiProxy.FunctionalTests.Limits;

/// <summary>One Redis server for the whole "redis" collection; each test uses its own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private int _prefixes;

    public RedisServer? Server { get; private set; }

    public string NewPrefix() => $"t{Environment.ProcessId}-{Interlocked.Increment(ref _prefixes)}:";

    public async Task InitializeAsync()
    {
        if (RedisServer.UnavailableReason is null) Server = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}

[CollectionDefinition("redis")]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>;

/// <summary>A test that needs Redis: skipped, saying why, only when it cannot be installed here.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.UnavailableReason is { } reason) Skip = reason;
    }
}
