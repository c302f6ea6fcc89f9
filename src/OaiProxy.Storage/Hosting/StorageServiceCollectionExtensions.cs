using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OaiProxy.Auth;
using OaiProxy.Dialects.Responses;
using OaiProxy.Endpoints;
using OaiProxy.Logging;
using OaiProxy.Storage.Admin;
using OaiProxy.Storage.Dashboard;
using OaiProxy.Storage.Keys;
using OaiProxy.Storage.Responses;
using OaiProxy.Storage.Usage;

namespace OaiProxy.Storage.Hosting;

/// <summary>Adds stored keys, usage records, stored responses and the admin API to a proxy registered with <c>AddOaiProxy</c>.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Opens the config's <c>database_url</c> (default: SQLite <c>storage/oaiproxy.db</c>) at start-up, accepts stored
    /// keys beside the config's, records every request's usage, keeps stored Responses API responses (replacing the
    /// core's in-memory store, whichever of the two is added first), and maps <c>/admin/...</c> (guarded by <c>master_key</c>)
    /// and the usage dashboard at <c>/ui</c>.
    /// </summary>
    public static IServiceCollection AddOaiProxyStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KeyCache>();
        services.TryAddSingleton<UsageSink>();
        services.TryAddSingleton<DatabaseResponseStore>();
        // AddOaiProxy registers its memory store with TryAdd, and OaiProxyHost calls it before this: Replace swaps
        // that registration for the database (or adds it when this runs first, and the core's TryAdd then adds none).
        services.Replace(ServiceDescriptor.Singleton<IResponseStore>(sp => sp.GetRequiredService<DatabaseResponseStore>()));
        services.TryAddSingleton<StorageService>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiKeyValidator, StoredKeyValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestLogger, UsageRecorder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyEndpoints, AdminEndpoints>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProxyEndpoints, DashboardEndpoints>());
        return services;
    }
}
