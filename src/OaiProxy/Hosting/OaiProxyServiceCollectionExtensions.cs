using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Dialects.Responses;
using OaiProxy.Limits;
using OaiProxy.Logging;
using OaiProxy.Observability;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Providers.Anthropic;
using OaiProxy.Providers.Gemini;
using OaiProxy.Providers.OpenAi;
using OaiProxy.Runtime;

namespace OaiProxy.Hosting;

/// <summary>Registers the proxy engine in any ASP.NET Core app.</summary>
public static class OaiProxyServiceCollectionExtensions
{
    /// <summary>Adds the proxy with a config file; pair with <c>app.MapOaiProxy()</c>.</summary>
    public static IServiceCollection AddOaiProxy(this IServiceCollection services, string configPath) =>
        services.AddOaiProxy(options => options.ConfigPath = configPath);

    /// <summary>Adds the proxy; the config is loaded (and validated) when the app starts resolving services.</summary>
    public static IServiceCollection AddOaiProxy(this IServiceCollection services, Action<OaiProxyOptions> configure)
    {
        var options = new OaiProxyOptions();
        configure(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, OpenAiProviderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, AnthropicProviderFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, GeminiProviderFactory>());
        services.TryAddSingleton(sp => new ProviderRegistry(sp.GetServices<IProviderFactory>()));
        services.TryAddSingleton<IConnectionTypes>(sp => sp.GetRequiredService<ProviderRegistry>());
        services.TryAddSingleton<UpstreamClientPool>();
        services.TryAddSingleton<LogDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<LogDispatcher>());
        services.TryAddSingleton<ProxyStateFactory>();
        services.TryAddSingleton(CreateRuntime);
        services.TryAddSingleton<IActiveConfig>(sp => sp.GetRequiredService<ProxyRuntime>());
        services.TryAddSingleton<TargetOrder>();
        services.TryAddSingleton<AttemptLoop>();
        services.TryAddSingleton<RequestTracker>();
        services.TryAddSingleton<Resilience.ConnectionHealthRegistry>();
        services.AddOaiProxyLimits();
        services.TryAddSingleton<RequestPipeline>();
        // Without the storage module stored responses live in memory; the module registers its database store instead.
        services.TryAddSingleton<IResponseStore>(sp => new MemoryResponseStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new OaiProxyClient(sp.GetRequiredService<RequestPipeline>()));
        services.AddHostedService<ConfigWatcher>();
        services.AddOaiProxyObservability();
        return services;
    }

    private static ProxyRuntime CreateRuntime(IServiceProvider services)
    {
        var options = services.GetRequiredService<OaiProxyOptions>();
        var registry = services.GetRequiredService<ProviderRegistry>();
        var factory = services.GetRequiredService<ProxyStateFactory>();
        ProxyConfig config;
        if (options.ConfigDocument is not null)
        {
            ConfigLoader.LoadEnvFile(options.EnvFile);
            config = ConfigLoader.LoadDocument(options.ConfigDocument, registry);
        }
        else
        {
            config = ConfigLoader.LoadFile(options.ConfigPath ?? "config.toml", registry, options.EnvFile);
        }
        var state = factory.Build(config, Environment.GetEnvironmentVariable, options.ConfigPath);
        return new ProxyRuntime(factory, state, options, services.GetRequiredService<ILogger<ProxyRuntime>>());
    }
}
