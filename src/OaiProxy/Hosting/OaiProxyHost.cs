using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OaiProxy.Configuration;
using OaiProxy.Endpoints;
using OaiProxy.Runtime;

namespace OaiProxy.Hosting;

/// <summary>
/// The standalone server: Kestrel bound to the config's host and port (HTTPS with its PEM files), the proxy's
/// endpoints, SIGHUP to reload. The <c>oai-proxy</c> executable and the functional tests both start it this way.
/// </summary>
public static partial class OaiProxyHost
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
        _ = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value; // resolves host now: a bad name stops start-up here
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
        // A free port (0) is one address only: each further address would get a port of its own.
        var addresses = ListenAddresses.Resolve(config.Host, Dns.GetHostAddresses).Take(config.Port == 0 ? 1 : int.MaxValue).ToList();
        if (ListenHost.Literal(config.Host) is null && !ListenHost.IsAnyInterface(config.Host))
        {
            LogHostResolved(kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OaiProxyHost).FullName!),
                config.Host, string.Join(", ", addresses));
        }
        void Https(ListenOptions listen)
        {
            if (config.SslCertFile is not null && config.SslKeyFile is not null)
            {
                listen.UseHttps(X509Certificate2.CreateFromPemFile(config.SslCertFile, config.SslKeyFile));
            }
        }
        // localhost: Kestrel's own binding takes IPv6 loopback only where the machine has it.
        if (ListenAddresses.IsLocalhost(config.Host) && config.Port != 0)
        {
            kestrel.ListenLocalhost(config.Port, Https);
            return;
        }
        foreach (var address in addresses) kestrel.Listen(address, config.Port, Https);
    }

    [LoggerMessage(EventId = Diagnostics.LogEvents.HostResolved, Level = LogLevel.Information,
        Message = "The host \"{Host}\" resolves to {Addresses}; the proxy listens there.")]
    private static partial void LogHostResolved(ILogger logger, string host, string addresses);

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
