using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OaiProxy.Endpoints;
using OaiProxy.Runtime;

namespace OaiProxy.Hosting;

/// <summary>
/// The standalone server: Kestrel bound to the config's host and port (HTTPS with its PEM files), the proxy's
/// endpoints, SIGHUP to reload. The <c>oai-proxy</c> executable and the functional tests both start it this way.
/// </summary>
public static class OaiProxyHost
{
    public static WebApplication Build(OaiProxyOptions options, Action<IServiceCollection>? configureServices = null)
    {
        // The proxy reads no appsettings.json, and reloading it would watch the working directory recursively: every
        // usage-record or log write below it then woke a watcher thread, a context switch per request.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.Debug ? LogLevel.Debug : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.Debug ? LogLevel.Information : LogLevel.Warning);
        builder.Services.AddOaiProxy(o =>
        {
            o.ConfigPath = options.ConfigPath;
            o.ConfigDocument = options.ConfigDocument;
            o.EnvFile = options.EnvFile;
            o.WatchConfig = options.WatchConfig;
            o.Debug = options.Debug;
        });
        configureServices?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(ConfigureKestrel);
        builder.Services.AddOptions<Microsoft.Extensions.Hosting.HostOptions>()
            .Configure<ProxyRuntime>((host, runtime) => host.ShutdownTimeout = runtime.Current.Config.ShutdownTimeout);

        var app = builder.Build();
        var runtime = app.Services.GetRequiredService<ProxyRuntime>(); // loads and validates the config now
        app.MapOaiProxy();
        RegisterReloadSignal(app, runtime);
        return app;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        var config = kestrel.ApplicationServices.GetRequiredService<ProxyRuntime>().Current.Config;
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = null; // the endpoint enforces max_request_size_mb with an OpenAI-shaped 413
        kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(10));
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(130);
        var address = config.Host switch
        {
            "0.0.0.0" or "*" or "" => IPAddress.Any,
            "::" => IPAddress.IPv6Any,
            "localhost" => IPAddress.Loopback,
            var host => IPAddress.TryParse(host, out var parsed) ? parsed : IPAddress.Any,
        };
        kestrel.Listen(address, config.Port, listen =>
        {
            if (config.SslCertFile is not null && config.SslKeyFile is not null)
            {
                listen.UseHttps(X509Certificate2.CreateFromPemFile(config.SslCertFile, config.SslKeyFile));
            }
        });
    }

    private static void RegisterReloadSignal(WebApplication app, ProxyRuntime runtime)
    {
        if (OperatingSystem.IsWindows()) return;
        var registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // SIGHUP reloads; it does not stop the process
            _ = runtime.ReloadAsync();
        });
        app.Lifetime.ApplicationStopped.Register(registration.Dispose);
    }
}
