using System.Net;
using System.Text.Json.Nodes;

namespace OaiProxy.FunctionalTests;

public sealed class ModelsTests
{
    private static string Config(Testing.OpenAi.FakeOpenAiServer u, string mode) => $"model_listing_mode = \"{mode}\"\n" + ProxyFixture.DefaultConfig(u) + """

        [model_info."alias-model"]
        context_window = 128000
        """;

    private static async Task<List<string>> ListAsync(ProxyFixture f)
    {
        var result = await f.Client().GetOpenAIModelClient().GetModelsAsync();
        return result.Value.Select(m => m.Id).ToList();
    }

    [Fact]
    public async Task AsIs_ListsRoutingKeysIncludingPatterns()
    {
        await using var f = await ProxyFixture.StartAsync(u => Config(u, "as_is"));
        Assert.Equal(["gpt*", "alias-model"], await ListAsync(f));
    }

    [Fact]
    public async Task IgnoreWildcards_ListsOnlyExactNames()
    {
        await using var f = await ProxyFixture.StartAsync(u => Config(u, "ignore_wildcards"));
        Assert.Equal(["alias-model"], await ListAsync(f));
    }

    [Fact]
    public async Task ExpandWildcards_ListsUpstreamModelsMatchingThePattern()
    {
        await using var f = await ProxyFixture.StartAsync(u => Config(u, "expand_wildcards"));
        Assert.Equal(["gpt-4o", "gpt-4o-mini", "gpt-5", "alias-model"], await ListAsync(f));
    }

    [Fact]
    public async Task ExpandWildcards_UpstreamDown_StillAnswersWithTheRest()
    {
        await using var f = await ProxyFixture.StartAsync(u => Config(u, "expand_wildcards"));
        f.Upstream.ModelsDown = true;
        Assert.Equal(["alias-model"], await ListAsync(f));
    }

    [Fact]
    public async Task ExpandWildcards_CachesUpstreamList()
    {
        await using var f = await ProxyFixture.StartAsync(u => Config(u, "expand_wildcards"));
        await ListAsync(f);
        f.Upstream.ModelsDown = true; // a cached list keeps serving while the upstream is down
        Assert.Contains("gpt-5", await ListAsync(f));
    }

    [Fact]
    public async Task GetModel_KnownAndUnknown()
    {
        await using var f = await ProxyFixture.StartAsync(u => Config(u, "as_is"));
        using var http = f.Http();
        var known = JsonNode.Parse(await http.GetStringAsync("/v1/models/alias-model"))!;
        Assert.Equal("alias-model", known["id"]!.GetValue<string>());
        Assert.Equal("model", known["object"]!.GetValue<string>());
        Assert.Equal(128000, known["context_window"]!.GetValue<int>());
        var viaPattern = JsonNode.Parse(await http.GetStringAsync("/v1/models/gpt-4.1"))!;
        Assert.Equal("openai", viaPattern["owned_by"]!.GetValue<string>());
        using var missing = await http.GetAsync("/v1/models/claude-3");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task CodexRefresh_GetsItsCatalogBesideData_OtherClientsTheOpenAiListOnly()
    {
        await using var f = await ProxyFixture.StartAsync(u => Config(u, "as_is") + """

            [model_info."alias-model".codex]
            context_window = 200000
            shell_type = "shell_command"
            """);
        using var http = f.Http();

        var codex = JsonNode.Parse(await http.GetStringAsync("/v1/models?client_version=0.171.0"))!;
        var entry = Assert.Single(codex["models"]!.AsArray())!;
        Assert.Equal("alias-model", entry["slug"]!.GetValue<string>());
        Assert.Equal("alias-model", entry["display_name"]!.GetValue<string>());
        Assert.Equal(200000, entry["context_window"]!.GetValue<int>());
        Assert.Equal(["gpt*", "alias-model"], codex["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));

        var openAi = JsonNode.Parse(await http.GetStringAsync("/v1/models"))!.AsObject();
        Assert.False(openAi.ContainsKey("models"));
        var alias = openAi["data"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "alias-model")!.AsObject();
        Assert.Equal(128000, alias["context_window"]!.GetValue<int>());
        Assert.False(alias.ContainsKey("codex"));
        Assert.Equal(["gpt*", "alias-model"], await ListAsync(f));
    }

    [Fact]
    public async Task Models_RequiresKey()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http(key: null);
        using var response = await http.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Health_NeedsNoKey()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var http = f.Http(key: null);
        Assert.Equal("""{"status":"ok"}""", await http.GetStringAsync("/health"));
    }
}
