using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Dialects.Responses;
using OaiProxy.Hosting;
using OaiProxy.Storage.Hosting;
using OaiProxy.Storage.Responses;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>The storage module's response store replaces the core's memory store, and instances sharing a database share responses.</summary>
[Collection("postgres")]
public sealed class ResponseStoreHostingTests(PostgresFixture postgres)
{
    [Theory, InlineData(true), InlineData(false)]
    public void AddOaiProxyStorage_BeforeOrAfterAddOaiProxy_TheDatabaseStoreWins(bool storageFirst)
    {
        var services = new ServiceCollection().AddLogging();
        if (storageFirst) services.AddOaiProxyStorage();
        services.AddOaiProxy(o => o.ConfigPath = "unused.toml");
        if (!storageFirst) services.AddOaiProxyStorage();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<DatabaseResponseStore>(provider.GetRequiredService<IResponseStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IResponseStore));
    }

    [Fact]
    public async Task Server_WithStorage_SavesAndFindsInItsSqliteFile()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);
        var store = sut.Proxy.Service<IResponseStore>();
        Assert.Same(sut.Storage.Responses, store);

        await store.SaveAsync(Response(), CancellationToken.None);

        Assert.Equal(2, (await store.FindConversationAsync("resp_shared", "key:a", CancellationToken.None))!.Count);
    }

    [PostgresFact]
    public async Task SavedOnOneInstance_IsFoundAndDeletedOnAnotherSharingTheDatabase()
    {
        var database = await postgres.Server!.CreateDatabaseAsync();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var a = await StorageProxy.StartAsync(upstream, database);
        await using var b = await StorageProxy.StartAsync(upstream, database);
        var onA = a.Proxy.Service<IResponseStore>();
        var onB = b.Proxy.Service<IResponseStore>();

        await onA.SaveAsync(Response(), CancellationToken.None); // durable once it returns: no wait before reading on b

        Assert.Equal("{}", (await onB.FindAsync("resp_shared", "key:a", CancellationToken.None))!.Response);
        Assert.True(await onB.DeleteAsync("resp_shared", "key:a", CancellationToken.None));
        Assert.Null(await onA.FindAsync("resp_shared", "key:a", CancellationToken.None));
    }

    private static StoredResponse Response() => new()
    {
        Id = "resp_shared", Owner = "key:a", CreatedAt = DateTimeOffset.UnixEpoch, ExpiresAt = DateTimeOffset.UnixEpoch.AddYears(1000), // the server runs on the real clock
        Response = "{}", Input = [new StoredItem("msg_1", "{}")], Output = [new StoredItem("msg_2", "{}")],
    };
}
