using OaiProxy.Configuration;
using OaiProxy.Providers;
using OaiProxy.Providers.OpenAi;

namespace OaiProxy.Tests.Configuration;

public sealed class ConfigBinderTests
{
    private static readonly ProviderRegistry Registry = new([new OpenAiProviderFactory()]);

    private static ProxyConfig Bind(string text, string extension = ".toml", Dictionary<string, string>? env = null) =>
        ConfigBinder.Bind(ConfigDocumentReader.Parse(text, extension), Registry,
            name => env is not null && env.TryGetValue(name, out var v) ? v : null, "/tmp");

    private const string Minimal = """
        [connections.openai]
        api_type = "open_ai"
        api_key = "env:OPENAI_API_KEY"

        [routing]
        "gpt*" = "openai.*"
        "*" = "openai.gpt-3.5-turbo"
        """;

    [Fact]
    public void Bind_Minimal_AppliesDefaultsAndEnv()
    {
        var sut = Bind(Minimal, env: new() { ["OPENAI_API_KEY"] = "sk-real" });
        Assert.True(sut.Enabled);
        Assert.Equal("127.0.0.1", sut.Host);
        Assert.Equal(8000, sut.Port);
        Assert.Equal("/v1", sut.ApiPrefix);
        Assert.Equal("sk-real", sut.Connections[0].ApiKey);
        Assert.Equal("https://api.openai.com/v1", sut.Connections[0].ApiBase);
        Assert.Equal(["gpt*", "*"], sut.Routing.Select(r => r.Pattern));
        Assert.Equal("gpt-3.5-turbo", sut.Routing[1].Targets[0].Model);
        Assert.Equal("default", Assert.Single(sut.Groups).Name);
        Assert.Equal(ModelListingMode.AsIs, sut.ModelListingMode);
    }

    [Theory]
    [InlineData("", 2_592_000)]
    [InlineData("responses_retention = 2592000\n", 2_592_000)]
    [InlineData("responses_retention = 31536000\n", 31_536_000)]
    public void Bind_ResponsesRetention_TakesItsDefaultAndLongerValues(string line, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Bind(line + Minimal, env: new() { ["OPENAI_API_KEY"] = "k" }).ResponsesRetention);
    }

    [Fact]
    public void Bind_ResponsesRetention_OfZero_IsRefused()
    {
        var e = Assert.Throws<ConfigException>(() => Bind("responses_retention = 0\n" + Minimal, env: new() { ["OPENAI_API_KEY"] = "k" }));
        Assert.Contains("responses_retention", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my host")]
    [InlineData("127.0.0.1:8000")]
    [InlineData("http://localhost")]
    public void Bind_HostNeitherAnAddressNorAName_IsAnError(string host)
    {
        var e = Assert.Throws<ConfigException>(() => Bind($"host = \"{host}\"\n" + Minimal, env: new() { ["OPENAI_API_KEY"] = "k" }));

        var error = Assert.Single(e.Errors);
        Assert.Equal("host", error.Path);
        Assert.Contains("0.0.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_EveryError_ReportedAtOnceWithPathsAndFixes()
    {
        const string text = """
            prot = 8000
            model_listing_mode = "expand"
            [connections.openai]
            api_type = "open_ai"
            api_key = "env:NOT_SET_ANYWHERE"
            tiemout = 5
            [routing]
            "gpt*" = "opena.*"
            [groups.users]
            api_keys = ["k"]
            allowed_connections = "openai,anthropc"
            """;
        var e = Assert.Throws<ConfigException>(() => Bind(text));
        var messages = e.Errors.Select(x => x.ToString()).ToList();
        Assert.Contains(messages, m => m.StartsWith("prot:", StringComparison.Ordinal) && m.Contains("Did you mean \"port\"", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("model_listing_mode:", StringComparison.Ordinal) && m.Contains("expand_wildcards", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("connections.openai.tiemout:", StringComparison.Ordinal) && m.Contains("Did you mean \"timeout\"", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("routing.\"gpt*\":", StringComparison.Ordinal) && m.Contains("did you mean \"openai\"", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(messages, m => m.StartsWith("groups.users.allowed_connections:", StringComparison.Ordinal) && m.Contains("anthropc", StringComparison.Ordinal));
        Assert.Equal(5, messages.Count);
    }

    [Fact]
    public void Bind_UnsetEnvironmentVariable_IsAWarningAndEmpty()
    {
        var sut = Bind(Minimal);
        Assert.Null(sut.Connections[0].ApiKey);
        var warning = Assert.Single(sut.Warnings);
        Assert.Equal("connections.openai.api_key", warning.Path);
        Assert.Contains("OPENAI_API_KEY", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownApiType_SuggestsClosest()
    {
        var e = Assert.Throws<ConfigException>(() => Bind("[connections.x]\napi_type = \"opn_ai\"\n"));
        Assert.Contains("Did you mean \"open_ai\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_OldAndNewKeyCheckNames_BothAccepted()
    {
        Assert.Equal("lm_proxy.core.check_api_key", Bind("check_api_key = \"lm_proxy.core.check_api_key\"\n" + Minimal, env: new() { ["OPENAI_API_KEY"] = "k" }).ApiKeyCheck.ClassName);
        var config = Bind("[api_key_check]\nclass = \"lm_proxy.api_key_check.AllowAll\"\n" + Minimal, env: new() { ["OPENAI_API_KEY"] = "k" });
        Assert.Equal("lm_proxy.api_key_check.AllowAll", config.ApiKeyCheck.ClassName);
    }

    [Fact]
    public void Bind_RouteForms_StringListAndTable()
    {
        const string text = """
            [connections.a]
            api_base = "http://127.0.0.1:1/v1"
            [connections.b]
            api_base = "http://127.0.0.1:2/v1"
            [routing]
            "one" = "a.x"
            "two" = ["a.*", "b.y"]
            "three" = { targets = ["a.*", "b.*"], strategy = "weighted", weights = [3, 1] }
            """;
        var sut = Bind(text);
        Assert.Equal("x", sut.Routing[0].Targets[0].Model);
        Assert.Equal(["a", "b"], sut.Routing[1].Targets.Select(t => t.Connection));
        Assert.Equal(RouteStrategy.Weighted, sut.Routing[2].Strategy);
        Assert.Equal([3.0, 1.0], sut.Routing[2].Weights!);
    }

    [Fact]
    public void Parse_JsonAndYaml_BindLikeToml()
    {
        const string json = """{"connections":{"openai":{"api_type":"open_ai","api_key":"k"}},"routing":{"gpt*":"openai.*"},"port":9000}""";
        const string yaml = "connections:\n  openai:\n    api_type: open_ai\n    api_key: 'k'\nrouting:\n  'gpt*': openai.*\nport: 9000\n";
        var fromJson = Bind(json, ".json");
        var fromYaml = Bind(yaml, ".yaml");
        Assert.Equal(9000, fromJson.Port);
        Assert.Equal(9000, fromYaml.Port);
        Assert.Equal(fromJson.Routing[0].Pattern, fromYaml.Routing[0].Pattern);
        Assert.Equal(fromJson.Routing[0].Targets[0], fromYaml.Routing[0].Targets[0]);
    }

    [Fact]
    public void Bind_GroupAllowedConnections_CommaListOrStar()
    {
        const string text = Minimal + """

            [groups.admin]
            api_keys = ["a"]
            allowed_connections = "*"
            [groups.users]
            api_keys = ["u"]
            allowed_connections = "openai"
            """;
        var sut = Bind(text, env: new() { ["OPENAI_API_KEY"] = "k" });
        Assert.True(sut.Groups[0].Allows("anything"));
        Assert.True(sut.Groups[1].Allows("openai"));
        Assert.False(sut.Groups[1].Allows("other"));
    }

    [Fact]
    public void Parse_BadToml_IsConfigErrorWithPosition()
    {
        var e = Assert.Throws<ConfigException>(() => Bind("a = = 1"));
        Assert.Contains("not valid TOML", e.Message, StringComparison.Ordinal);
    }
}
