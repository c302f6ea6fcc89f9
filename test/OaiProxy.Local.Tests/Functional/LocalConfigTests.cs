using OaiProxy.Configuration;
using OaiProxy.Testing.Gguf;

namespace OaiProxy.Local.Tests.Functional;

/// <summary>Local connections in the config: start-up errors with key paths, and models kept across reloads.</summary>
public sealed class LocalConfigTests
{
    private static string Config(string connections) => $$"""
        {{connections}}

        [routing]
        "*" = "a.*"

        {{LocalProxy.Groups}}
        """;

    [Fact]
    public async Task Start_MissingModelFile_ConfigErrorNamesKeyAndPath()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.gguf");

        var e = await Assert.ThrowsAsync<ConfigException>(() => LocalProxy.StartAsync(Config($"""
            [connections.a]
            api_type = "local"
            model_path = '{missing}'
            """)));

        var error = Assert.Single(e.Errors);
        Assert.Equal("connections.a.model_path", error.Path);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FileNotGguf_LoadFailsAsConfigErrorNamingPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.gguf");
        await File.WriteAllTextAsync(path, "not a model");

        var e = await Assert.ThrowsAsync<ConfigException>(() => LocalProxy.StartAsync(Config($"""
            [connections.a]
            api_type = "local"
            model_path = '{path}'
            """)));

        var error = Assert.Single(e.Errors);
        Assert.Equal("connections.a.model_path", error.Path);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a usable GGUF model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadOptions_EveryErrorWithItsKeyPath()
    {
        var e = await Assert.ThrowsAsync<ConfigException>(() => LocalProxy.StartAsync(Config($"""
            [connections.a]
            api_type = "local"
            model_path = '{LocalProxy.RelativeModelPath()}'
            api_base = "http://127.0.0.1:1/v1"
            context_size = 8
            max_concurrency = 0
            load = "lazy"
            gpu_layer = 3
            """)));

        Assert.Equal(
            ["connections.a.api_base", "connections.a.context_size", "connections.a.gpu_layer", "connections.a.load", "connections.a.max_concurrency"],
            e.Errors.Select(x => x.Path).Order(StringComparer.Ordinal));
        Assert.Contains("gpu_layers", e.Errors.Single(x => x.Path.EndsWith("gpu_layer", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_UnchangedSettingsKeepModel_ChangedSettingsReplaceIt()
    {
        var model = LocalProxy.RelativeModelPath();
        string Connections(int contextSize) => $"""
            [connections.a]
            api_type = "local"
            model_path = '{model}'
            threads = 1
            context_size = {contextSize}

            [connections.b]
            api_type = "local"
            model_path = '{model}'
            threads = 1
            """;
        await using var server = await LocalProxy.StartAsync(Config(Connections(512)));
        var factory = LocalProxy.Factory(server);
        var a = LocalProxy.ModelOf(server, "a");
        var b = LocalProxy.ModelOf(server, "b");

        await File.WriteAllTextAsync(server.ConfigPath, "host = \"127.0.0.1\"\nport = 0\n" + Config(Connections(512)).Replace("\"*\" = \"a.*\"", "\"*\" = \"b.*\"", StringComparison.Ordinal));
        Assert.True(await server.Runtime.ReloadAsync());
        var aAfterSameSettings = LocalProxy.ModelOf(server, "a");
        await File.WriteAllTextAsync(server.ConfigPath, "host = \"127.0.0.1\"\nport = 0\n" + Config(Connections(1024)));
        Assert.True(await server.Runtime.ReloadAsync());

        Assert.NotSame(a, b); // each connection has its own model, even on the same file
        Assert.Same(a, aAfterSameSettings);
        Assert.NotSame(a, LocalProxy.ModelOf(server, "a"));
        Assert.Same(b, LocalProxy.ModelOf(server, "b"));
        Assert.Equal(2, factory.LoadedModels); // the replaced model was released with the last snapshot using it
    }

    [Fact]
    public async Task Reload_BrokenModelPath_RejectedAndOldModelKeepsServing()
    {
        await using var server = await LocalProxy.StartAsync(Config($"""
            [connections.a]
            api_type = "local"
            model_path = '{LocalProxy.RelativeModelPath()}'
            threads = 1
            """));
        var before = LocalProxy.ModelOf(server, "a");

        await File.WriteAllTextAsync(server.ConfigPath, "host = \"127.0.0.1\"\nport = 0\n" + Config("""
            [connections.a]
            api_type = "local"
            model_path = 'nowhere.gguf'
            """));

        Assert.False(await server.Runtime.ReloadAsync());
        Assert.Same(before, LocalProxy.ModelOf(server, "a"));
        Assert.Equal(1, LocalProxy.Factory(server).LoadedModels);
    }
}
