using System.ClientModel;
using System.Security.Cryptography;
using System.Text;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests.Storage;

/// <summary>Stored keys end to end on the default SQLite database, through the admin API and the OpenAI SDK.</summary>
public sealed class KeyLifecycleTests
{
    [Fact]
    public async Task StoredKey_CreateUseRotateRevoke_WorksAndTheSecretIsNeverSeenAgain()
    {
        var logs = new CapturingLoggerProvider();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream, logs: logs);

        var created = await sut.AdminAsync(HttpMethod.Post, "/admin/keys",
            """{"name":"ci","group":"default","rpm":60,"budget":{"amount":5,"period":"monthly"},"metadata":{"team":"search"}}""", 201);
        var id = created["id"]!.GetValue<string>();
        var first = created["key"]!.GetValue<string>();
        Assert.StartsWith("sk-oai-", first, StringComparison.Ordinal);
        Assert.Equal(60, created["rpm"]!.GetValue<long>());
        Assert.Equal("monthly", created["budget"]!["period"]!.GetValue<string>());

        var reply = await sut.Chat("gpt-4o-mini", first).CompleteChatAsync("hello");
        Assert.False(string.IsNullOrEmpty(reply.Value.Content[0].Text));

        var rotated = await sut.AdminAsync(HttpMethod.Post, $"/admin/keys/{id}/rotate", """{"grace_period":3600}""");
        var second = rotated["key"]!.GetValue<string>();
        Assert.Equal(id, rotated["id"]!.GetValue<string>());
        Assert.NotEqual(first, second);
        // No wait anywhere: the admin API answers once the change is in force on this instance.
        await sut.Chat("gpt-4o-mini", first).CompleteChatAsync("the old secret works during the grace period");
        await sut.Chat("gpt-4o-mini", second).CompleteChatAsync("the new one too");

        await sut.AdminAsync(HttpMethod.Delete, $"/admin/keys/{id}");
        foreach (var secret in new[] { first, second })
        {
            var e = await Assert.ThrowsAsync<ClientResultException>(() => sut.Chat("gpt-4o-mini", secret).CompleteChatAsync("revoked"));
            Assert.Equal(401, e.Status);
        }

        var shown = await sut.AdminRawAsync(HttpMethod.Get, "/admin/keys") + await sut.AdminRawAsync(HttpMethod.Get, $"/admin/keys/{id}");
        Assert.Contains(id, shown, StringComparison.Ordinal);
        Assert.Contains("\"revoked_at\":", shown, StringComparison.Ordinal);
        var everyLog = string.Join('\n', logs.Lines);
        var storage = Path.Combine(sut.Proxy.Directory, "storage");
        var databaseBytes = Directory.GetFiles(storage).Select(f =>
        {
            using var file = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            file.CopyTo(copy);
            return Encoding.Latin1.GetString(copy.ToArray());
        }).Aggregate("", string.Concat);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(first))), databaseBytes, StringComparison.Ordinal);
        foreach (var secret in new[] { first, second })
        {
            Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, everyLog, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, databaseBytes, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KeyWrittenStraightToTheDatabase_AsTheCliDoes_WorksOnItsFirstRequest()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        // A clock that never moves: the cache's periodic poll never comes, only the catch-up on an unknown key can.
        await using var sut = await StorageProxy.StartAsync(upstream, time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));

        // The CLI writes the database only; the running server's cache has not polled yet.
        var created = await sut.Storage.Keys!.CreateAsync(new OaiProxy.Storage.Keys.KeyFields { Name = "from the cli" }, CancellationToken.None);

        var reply = await sut.Chat("gpt-4o-mini", created.Secret).CompleteChatAsync("hello");
        Assert.False(string.IsNullOrEmpty(reply.Value.Content[0].Text));
        var wrong = await Assert.ThrowsAsync<ClientResultException>(() => sut.Chat("gpt-4o-mini", created.Secret[..^1] + "x").CompleteChatAsync("wrong"));
        Assert.Equal(401, wrong.Status);
    }

    [Fact]
    public async Task StoredKey_ModelsExpiryAndBadFields_AreEnforced()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);
        var limited = (await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"mini only","models":["gpt-4o-mini*"]}""", 201))["key"]!.GetValue<string>();
        var expired = (await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"old","expires_at":"2001-01-01T00:00:00Z"}""", 201))["key"]!.GetValue<string>();
        await sut.WaitForKeyChangesAsync(TimeSpan.FromSeconds(1));

        await sut.Chat("gpt-4o-mini", limited).CompleteChatAsync("allowed");
        var denied = await Assert.ThrowsAsync<ClientResultException>(() => sut.Chat("gpt-4o", limited).CompleteChatAsync("not allowed"));
        Assert.Equal(403, denied.Status);
        var old = await Assert.ThrowsAsync<ClientResultException>(() => sut.Chat("gpt-4o-mini", expired).CompleteChatAsync("expired"));
        Assert.Equal(401, old.Status);

        Assert.Contains("no group \\u0022nope\\u0022", await sut.AdminRawAsync(HttpMethod.Post, "/admin/keys", """{"group":"nope"}""", 400), StringComparison.Ordinal);
        Assert.Contains("Unknown field", await sut.AdminRawAsync(HttpMethod.Post, "/admin/keys", """{"secret":"x"}""", 400), StringComparison.Ordinal);
        await sut.AdminRawAsync(HttpMethod.Patch, "/admin/keys/key_missing", "{}", 404);
        var patched = await sut.AdminAsync(HttpMethod.Get, "/admin/keys");
        Assert.Equal(2, patched["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task StoredKeyModels_LimitWhatTheModelListShows()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);
        var limited = (await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"mini only","models":["gpt-4o-mini*"]}""", 201))["key"]!.GetValue<string>();
        var open = (await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"everything"}""", 201))["key"]!.GetValue<string>();
        await sut.WaitForKeyChangesAsync(TimeSpan.FromSeconds(1));
        var client = new OpenAI.OpenAIClient(new ApiKeyCredential(limited), new OpenAI.OpenAIClientOptions { Endpoint = sut.Proxy.BaseUrl });
        var everything = new OpenAI.OpenAIClient(new ApiKeyCredential(open), new OpenAI.OpenAIClientOptions { Endpoint = sut.Proxy.BaseUrl });

        var listed = (await client.GetOpenAIModelClient().GetModelsAsync()).Value.Select(m => m.Id).ToList();
        Assert.Equal(["gpt-4o-mini*"], listed);
        Assert.Equal(["gpt*", "alias-model"], (await everything.GetOpenAIModelClient().GetModelsAsync()).Value.Select(m => m.Id).ToList());
        Assert.Equal("gpt-4o-mini", (await client.GetOpenAIModelClient().GetModelAsync("gpt-4o-mini")).Value.Id);
        var hidden = await Assert.ThrowsAsync<ClientResultException>(() => client.GetOpenAIModelClient().GetModelAsync("gpt-4o"));
        Assert.Equal(404, hidden.Status);
    }

    [Fact]
    public async Task StoredKeyConnections_LimitWhatTheModelListShows()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        // A second connection that no route uses: a key limited to it may use no model of this config.
        await using var sut = await StorageProxy.StartAsync(upstream, connectionExtra: """
            max_retries = 0
            [connections.other]
            api_type = "open_ai"
            api_base = "http://127.0.0.1:9/v1"
            """);
        var elsewhere = (await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"other only","connections":["other"]}""", 201))["key"]!.GetValue<string>();
        var openai = (await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"openai only","connections":["openai"]}""", 201))["key"]!.GetValue<string>();
        await sut.WaitForKeyChangesAsync(TimeSpan.FromSeconds(1));
        var limited = new OpenAI.OpenAIClient(new ApiKeyCredential(elsewhere), new OpenAI.OpenAIClientOptions { Endpoint = sut.Proxy.BaseUrl }).GetOpenAIModelClient();
        var allowed = new OpenAI.OpenAIClient(new ApiKeyCredential(openai), new OpenAI.OpenAIClientOptions { Endpoint = sut.Proxy.BaseUrl }).GetOpenAIModelClient();

        Assert.Empty((await limited.GetModelsAsync()).Value);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => limited.GetModelAsync("gpt-4o"))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => limited.GetModelAsync("alias-model"))).Status);
        Assert.Equal(["gpt*", "alias-model"], (await allowed.GetModelsAsync()).Value.Select(m => m.Id).ToList());
        Assert.Equal("openai", (await allowed.GetModelAsync("gpt-4o")).Value.OwnedBy);
    }

    [Fact]
    public async Task AdminApi_ChecksTheMasterKey_AndIsAbsentWithoutOne()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using (var sut = await StorageProxy.StartAsync(upstream))
        {
            var missing = await sut.AdminRawAsync(HttpMethod.Get, "/admin/keys", expectStatus: 401, masterKey: null);
            Assert.Contains("\"authentication_error\"", missing, StringComparison.Ordinal);
            await sut.AdminRawAsync(HttpMethod.Get, "/admin/keys", expectStatus: 401, masterKey: StorageProxy.MasterKey + "x");
            await sut.AdminRawAsync(HttpMethod.Get, "/admin/keys", expectStatus: 401, masterKey: ProxyFixture.ClientKey);
        }
        await using var noMaster = await Testing.ProxyTestServer.StartAsync(ProxyFixture.DefaultConfig(upstream),
            configureServices: s => OaiProxy.Storage.Hosting.StorageServiceCollectionExtensions.AddOaiProxyStorage(s));
        using var http = new HttpClient { BaseAddress = noMaster.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", StorageProxy.MasterKey);
        var response = await http.GetAsync("/admin/keys");
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("master_key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
