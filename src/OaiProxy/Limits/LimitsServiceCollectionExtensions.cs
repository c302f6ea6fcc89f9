using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OaiProxy.Runtime;

namespace OaiProxy.Limits;

/// <summary>Registers the limit step, its store (memory or Redis) and the key-change signal.</summary>
internal static class LimitsServiceCollectionExtensions
{
    public static IServiceCollection AddOaiProxyLimits(this IServiceCollection services)
    {
        services.TryAddSingleton<KeyChangeSignal>();
        services.TryAddSingleton(sp => new RedisLink(sp.GetRequiredService<ProxyRuntime>(), sp.GetRequiredService<KeyChangeSignal>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisLink>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisLink>());
        services.TryAddSingleton(sp => new LimitGate(sp.GetRequiredService<RedisLink>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
