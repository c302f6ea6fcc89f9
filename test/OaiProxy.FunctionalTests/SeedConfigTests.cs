using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Configuration;
using OaiProxy.Hosting;
using OaiProxy.Providers;
using OaiProxy.Routing;

namespace OaiProxy.FunctionalTests;

/// <summary>The config examples of lm-proxy's README and of examples/ load and route as described.</summary>
public sealed class SeedConfigTests
{
    private static ProviderRegistry Registry()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOaiProxy(_ => { });
        OaiProxy.Local.LocalModelsServiceCollectionExtensions.AddOaiProxyLocalModels(services);
        return services.BuildServiceProvider().GetRequiredService<ProviderRegistry>();
    }

    private static ProxyConfig Load(string toml)
    {
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", "sk-openai-test");
        Environment.SetEnvironmentVariable("ANTHROPIC_API_KEY", "sk-ant-test");
        Environment.SetEnvironmentVariable("GOOGLE_API_KEY", "g-test");
        return ConfigLoader.LoadDocument(ConfigDocumentReader.Parse(toml, ".toml"), Registry());
    }

    private static string Route(ProxyConfig config, string model)
    {
        var route = new Router(config).Match(model)!;
        var target = route.Resolve(0, model);
        return $"{target.Connection.Name}.{target.UpstreamModel}";
    }

    private const string QuickStart = """
        host = "0.0.0.0"
        port = 8000

        [connections]
        [connections.openai]
        api_type = "open_ai"
        api_base = "https://api.openai.com/v1/"
        api_key = "env:OPENAI_API_KEY"

        [connections.anthropic]
        api_type = "anthropic"
        api_key = "env:ANTHROPIC_API_KEY"

        [routing]
        "gpt*" = "openai.*"
        "claude*" = "anthropic.*"
        "*" = "openai.gpt-3.5-turbo"

        [groups.default]
        api_keys = ["YOUR_API_KEY_HERE"]
        """;

    private const string BasicStructure = """
        host = "0.0.0.0"  # Interface to bind to
        port = 8000       # Port to listen on
        dev_autoreload = false  # Enable for development

        # API key validation function (optional)
        check_api_key = "lm_proxy.core.check_api_key"

        # LLM Provider Connections
        [connections]

        [connections.openai]
        api_type = "open_ai"
        api_base = "https://api.openai.com/v1/"
        api_key = "env:OPENAI_API_KEY"

        [connections.google]
        api_type = "google_ai_studio"
        api_key = "env:GOOGLE_API_KEY"

        [connections.anthropic]
        api_type = "anthropic"
        api_key  = "env:ANTHROPIC_API_KEY"

        # Routing rules (model_pattern = "connection.model")
        [routing]
        "gpt*" = "openai.*"     # Route all GPT models to OpenAI
        "claude*" = "anthropic.*"  # Route all Claude models to Anthropic
        "gemini*" = "google.*"  # Route all Gemini models to Google
        "*" = "openai.gpt-3.5-turbo"  # Default fallback

        # Access control groups
        [groups.default]
        api_keys = [
            "KEY1",
            "KEY2"
        ]

        # optional
        [[loggers]]
        class = 'lm_proxy.loggers.BaseLogger'
        [loggers.log_writer]
        class = 'lm_proxy.loggers.log_writers.JsonLogWriter'
        file_name = 'storage/json.log'
        [loggers.entry_transformer]
        class = 'lm_proxy.loggers.LogEntryTransformer'
        completion_tokens = "response.usage.completion_tokens"
        prompt_tokens = "response.usage.prompt_tokens"
        prompt = "request.messages"
        response = "response"
        group = "group"
        connection = "connection"
        api_key_id = "api_key_id"
        remote_addr = "remote_addr"
        created_at = "created_at"
        duration = "duration"
        """;

    private const string ModelList = """
        [routing]
        "gpt-4" = "my_openai_connection.*"
        "gpt-5" = "my_openai_connection.*"
        "gpt-8"= "my_openai_connection.gpt-3.5-turbo"
        "claude-4.5-sonnet" = "my_anthropic_connection.claude-sonnet-4-5-20250929"
        "claude-4.1-opus" = "my_anthropic_connection.claude-opus-4-1-20250805"
        [connections]
        [connections.my_openai_connection]
        api_type = "open_ai"
        api_base = "https://api.openai.com/v1/"
        api_key  = "env:OPENAI_API_KEY"
        [connections.my_anthropic_connection]
        api_type = "anthropic"
        api_key  = "env:ANTHROPIC_API_KEY"
        """;

    private const string Groups = """
        [connections.openai]
        api_type = "open_ai"
        api_key = "env:OPENAI_API_KEY"
        [connections.anthropic]
        api_type = "anthropic"
        api_key = "env:ANTHROPIC_API_KEY"
        [routing]
        "*" = "openai.*"
        # Admin group with full access
        [groups.admin]
        api_keys = ["ADMIN_KEY_1", "ADMIN_KEY_2"]
        allowed_connections = "*"  # Access to all connections

        # Regular users with limited access
        [groups.users]
        api_keys = ["USER_KEY_1", "USER_KEY_2"]
        allowed_connections = "openai,anthropic"  # Only allowed to use specific connections

        # Free tier with minimal access
        [groups.free]
        api_keys = ["FREE_KEY_1", "FREE_KEY_2"]
        allowed_connections = "openai"  # Only allowed to use OpenAI connection
        """;

    [Fact]
    public void QuickStart_RoutesAsDescribed()
    {
        var config = Load(QuickStart);
        Assert.Equal("openai.gpt-5", Route(config, "gpt-5"));
        Assert.Equal("anthropic.claude-opus-4-1-20250805", Route(config, "claude-opus-4-1-20250805"));
        Assert.Equal("openai.gpt-3.5-turbo", Route(config, "llama-3"));
        Assert.Equal("sk-ant-test", config.FindConnection("anthropic")!.ApiKey);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void BasicStructure_RoutesAsDescribedWithLogger()
    {
        var config = Load(BasicStructure);
        Assert.Equal("google.gemini-2.5-pro", Route(config, "gemini-2.5-pro"));
        Assert.Equal("anthropic.claude-x", Route(config, "claude-x"));
        Assert.Single(config.Loggers);
        Assert.Equal(["KEY1", "KEY2"], config.Groups[0].ApiKeys);
    }

    [Fact]
    public void ModelListExample_RenamesAsDescribed()
    {
        var config = Load(ModelList);
        Assert.Equal("my_openai_connection.gpt-3.5-turbo", Route(config, "gpt-8"));
        Assert.Equal("my_anthropic_connection.claude-sonnet-4-5-20250929", Route(config, "claude-4.5-sonnet"));
        Assert.Equal("my_openai_connection.gpt-4", Route(config, "gpt-4"));
        Assert.Null(new Router(config).Match("gpt-4o"));
    }

    [Fact]
    public void GroupsExample_RestrictsConnections()
    {
        var config = Load(Groups);
        Assert.True(config.Groups.Single(g => g.Name == "admin").Allows("anything"));
        Assert.True(config.Groups.Single(g => g.Name == "users").Allows("anthropic"));
        Assert.False(config.Groups.Single(g => g.Name == "free").Allows("anthropic"));
    }

    [Theory]
    [InlineData("config.toml")]
    [InlineData("minimal.toml")]
    [InlineData("lm-proxy-compatible.toml")]
    [InlineData("multi-provider.yaml")]
    public void ExamplesFolder_EveryConfigLoads(string file)
    {
        var config = ConfigLoader.LoadFile(ExamplePath(file), Registry());
        Assert.NotEmpty(config.Routing);
    }

    [Theory]
    [InlineData("gemini.toml", "connections.vertex.google_cloud_service_account")]
    [InlineData("local-model.toml", "model_path")]
    public void ExamplesNeedingLocalFiles_NameTheMissingFile(string file, string path)
    {
        // These examples point at a service-account key and a GGUF file that only exist on a real deployment.
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(ExamplePath(file), Registry()));
        Assert.Contains(e.Errors, error => error.Path.Contains(path, StringComparison.Ordinal));
    }

    private static string ExamplePath(string file)
    {
        var here = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        return Path.Combine(here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName, "examples", file);
    }
}
