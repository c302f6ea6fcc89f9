using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OaiProxy.Configuration;
using OaiProxy.FunctionalTests.Storage;
using OaiProxy.Testing;
using OaiProxy.Testing.OpenAi;

namespace OaiProxy.FunctionalTests;

/// <summary>
/// Security finding 2: a group name the config does not define never means "no restrictions". Before the fix each
/// of these callers got every connection and no limits.
/// </summary>
public sealed class UnknownGroupTests
{
    private const string ChatBody = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";

    private static async Task AssertRefusedAsync(HttpClient http, Uri baseUrl, string key, string group)
    {
        var (status, _, body) = await Limits.LimitCalls.CallAsync(http, baseUrl, key, ChatBody);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("group_not_configured", Limits.LimitCalls.ErrorCode(body));
        Assert.Contains($"\"{group}\"", Limits.LimitCalls.ErrorMessage(body), StringComparison.Ordinal);
        using var models = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/models");
        models.Headers.Authorization = new("Bearer", key);
        using var listed = await http.SendAsync(models);
        Assert.Equal(HttpStatusCode.Forbidden, listed.StatusCode);
    }

    [Fact]
    public async Task StoredKey_ItsGroupRenamedInTheConfig_Refused403NamingTheGroup()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var config = StorageProxy.Config(upstream, null) + "\n[groups.interns]\napi_keys = []\nallowed_connections = \"openai\"\nrpm = 1\n";
        await using var proxy = await ProxyTestServer.StartAsync(config, configureServices: s => OaiProxy.Storage.Hosting.StorageServiceCollectionExtensions.AddOaiProxyStorage(s));
        using var http = new HttpClient { BaseAddress = proxy.Address };
        using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/keys") { Content = new StringContent("""{"name":"intern","group":"interns"}""", System.Text.Encoding.UTF8, "application/json") };
        create.Headers.Authorization = new("Bearer", StorageProxy.MasterKey);
        using var created = await http.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
        var cache = proxy.Service<OaiProxy.Storage.StorageService>();
        await cache.Cache.AppliedVersion.WaitForAsync(await cache.Keys!.VersionAsync(CancellationToken.None), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var (first, _, _) = await Limits.LimitCalls.CallAsync(http, proxy.BaseUrl, key, ChatBody);
        Assert.Equal(HttpStatusCode.OK, first);

        await File.WriteAllTextAsync(proxy.ConfigPath, config.Replace("[groups.interns]", "[groups.trainees]", StringComparison.Ordinal));
        Assert.True(await proxy.Runtime.ReloadAsync());

        for (var i = 0; i < 3; i++) await AssertRefusedAsync(http, proxy.BaseUrl, key, "interns");
        Assert.Single(upstream.Requests);
    }

    [Fact]
    public async Task HttpValidator_AnswersAGroupThatIsNotConfigured_Refused403NamingTheGroup()
    {
        var (service, address) = await LoopbackServer.StartAsync(app => app.MapGet("/userinfo", (HttpContext _) => Results.Json(new { team = "no-such-team" })));
        await using var _ = service;
        await using var f = await ProxyFixture.StartAsync(u => $$"""
            [api_key_check]
            class = "lm_proxy.api_key_check.CheckAPIKeyWithRequest"
            url = "{{address}}userinfo"
            response_as_user_info = true
            group_field = "team"
            """ + "\n" + ProxyFixture.DefaultConfig(u));
        using var http = new HttpClient();

        await AssertRefusedAsync(http, f.Proxy.BaseUrl, "any-user-token", "no-such-team");
        Assert.Empty(f.Upstream.Requests);
    }

    [Fact]
    public async Task CustomValidator_ReturnsAGroupThatIsNotConfigured_Refused403()
    {
        var type = typeof(PrefixValidator).AssemblyQualifiedName;
        await using var f = await ProxyFixture.StartAsync(u => $"[api_key_check]\nclass = \"{type}\"\n" + ProxyFixture.DefaultConfig(u));
        using var http = new HttpClient();

        await AssertRefusedAsync(http, f.Proxy.BaseUrl, "team-1", "teams");
        Assert.Empty(f.Upstream.Requests);
    }

    [Theory]
    [InlineData("group = \"typo-restricted\"\n", "typo-restricted")]
    [InlineData("", "default")]
    public async Task AllowAll_ItsGroupIsNotConfigured_TheConfigIsRefusedNamingTheGroup(string setting, string group)
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        var config = $"[api_key_check]\nclass = \"lm_proxy.api_key_check.AllowAll\"\n{setting}" + ProxyFixture.DefaultConfig(upstream)
            .Replace("[groups.default]", "[groups.restricted]", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<ConfigException>(() => ProxyTestServer.StartAsync(config));

        Assert.Contains($"The group \"{group}\" is not configured", e.Message, StringComparison.Ordinal);
    }
}
