using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Logging;
using OaiProxy.Runtime;
using OaiProxy.Testing.OpenAi;
using OpenAI.Chat;

namespace OaiProxy.FunctionalTests.Security;

/// <summary>
/// Finding 18: the files that hold prompts, usage and keys are the proxy user's alone, and the logged
/// <c>api_key_id</c> cannot be recomputed from a guessed key without a secret.
/// </summary>
public sealed class FileAndKeyIdTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static string Md5(string text) =>
#pragma warning disable CA5351 // lm-proxy's md5-based api_key_id, kept only where the config asks for it.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    private static async Task<string> LoggedKeyIdAsync(ProxyFixture f)
    {
        await f.Chat("gpt-4o").CompleteChatAsync([new UserChatMessage("Hi")]);
        await f.Proxy.Service<RequestTracker>().WhenIdleAsync();
        await f.Proxy.Service<LogDispatcher>().FlushAsync();
        var line = (await File.ReadAllLinesAsync(Path.Combine(f.Proxy.Directory, "storage", "json.log"))).Last();
        return JsonNode.Parse(line)!["api_key_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task RequestLog_IsCreatedOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return; // Unix file modes only.
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + LoggingTests.SeedLoggers);

        await LoggedKeyIdAsync(f);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(f.Proxy.Directory, "storage", "json.log")));
    }

    [Fact]
    public async Task SqliteFiles_AreCreatedOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return; // Unix file modes only.
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var sut = await StorageProxy.StartAsync(upstream);
        await sut.AdminAsync(HttpMethod.Post, "/admin/keys", """{"name":"modes"}""", 201);

        var files = Directory.GetFiles(Path.Combine(sut.Proxy.Directory, "storage"), "oaiproxy.db*");
        Assert.Contains(files, f => f.EndsWith("oaiproxy.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("-wal", StringComparison.Ordinal));
        foreach (var file in files) Assert.True(OwnerOnly == File.GetUnixFileMode(file), $"{file} is {File.GetUnixFileMode(file)}.");
    }

    [Fact]
    public async Task ApiKeyId_IsNotMd5WithThePublicSalt()
    {
        await using var f = await ProxyFixture.StartAsync(u => ProxyFixture.DefaultConfig(u) + LoggingTests.SeedLoggers);

        var id = await LoggedKeyIdAsync(f);

        Assert.NotEqual(Md5(ProxyFixture.ClientKey + "Eclipse"), id);
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public async Task ApiKeyId_WithAnExplicitEncryptionKey_IsLmProxys()
    {
        await using var f = await ProxyFixture.StartAsync(u => "encryption_key = \"Eclipse\"\n" + ProxyFixture.DefaultConfig(u) + LoggingTests.SeedLoggers);

        Assert.Equal(Md5(ProxyFixture.ClientKey + "Eclipse"), await LoggedKeyIdAsync(f));
    }

    [Fact]
    public async Task ApiKeyId_IsTheSameOnInstancesSharingTheMasterKey_AndDiffersWithAnother()
    {
        static string Config(FakeOpenAiServer u, string master) => $"master_key = \"{master}\"\n" + ProxyFixture.DefaultConfig(u) + LoggingTests.SeedLoggers;
        await using var a = await ProxyFixture.StartAsync(u => Config(u, "mk-shared-0123456789abcdef"));
        await using var b = await ProxyFixture.StartAsync(u => Config(u, "mk-shared-0123456789abcdef"));
        await using var c = await ProxyFixture.StartAsync(u => Config(u, "mk-another-0123456789abcdef"));

        var id = await LoggedKeyIdAsync(a);

        Assert.Equal(id, await LoggedKeyIdAsync(b));
        Assert.NotEqual(id, await LoggedKeyIdAsync(c));
    }
}
