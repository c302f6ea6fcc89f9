using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OaiProxy.Hosting;
using OaiProxy.Runtime;

namespace OaiProxy.Testing;

/// <summary>
/// The real proxy server (the same host the <c>oai-proxy</c> executable builds) on 127.0.0.1 with an ephemeral
/// port, configured by a config file text written to a temporary folder.
/// </summary>
public sealed class ProxyTestServer : IAsyncDisposable
{
    private ProxyTestServer(WebApplication app, Uri address, string directory, string configPath)
    {
        App = app;
        Address = address;
        Directory = directory;
        ConfigPath = configPath;
    }

    public WebApplication App { get; }

    /// <summary>Scheme, host and port, such as <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The OpenAI base URL to give SDKs: <c>{Address}v1</c>.</summary>
    public Uri BaseUrl => new(Address, "v1");

    /// <summary>The temporary folder holding the config (log files configured relatively land here).</summary>
    public string Directory { get; }

    public string ConfigPath { get; }

    internal ProxyRuntime Runtime => App.Services.GetRequiredService<ProxyRuntime>();

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Starts the proxy; <paramref name="config"/> must set <c>host = "127.0.0.1"</c> and <c>port = 0</c> (added when absent).</summary>
    public static async Task<ProxyTestServer> StartAsync(string config, string extension = ".toml", bool watch = false,
        Action<IServiceCollection>? configureServices = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "oaiproxy-test-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        if (extension == ".toml" && !config.Contains("port =", StringComparison.Ordinal))
        {
            config = "host = \"127.0.0.1\"\nport = 0\n" + config;
        }
        var configPath = Path.Combine(directory, "config" + extension);
        await File.WriteAllTextAsync(configPath, config);
        var app = OaiProxyHost.Build(new OaiProxyOptions { ConfigPath = configPath, WatchConfig = watch, EnvFile = null }, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ProxyTestServer(app, new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)), directory, configPath);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still held open by a slow writer; the temp folder is cleaned by the OS.
        }
    }
}
