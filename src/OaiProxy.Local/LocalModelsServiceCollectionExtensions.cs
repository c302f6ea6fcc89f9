using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OaiProxy.Local.Gateway;
using OaiProxy.Providers;

namespace OaiProxy.Local;

/// <summary>Registers in-process GGUF models as a provider of the proxy.</summary>
public static class LocalModelsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <c>api_type = "local"</c> connections (keys <c>model_path</c>, <c>context_size</c>, <c>threads</c>,
    /// <c>gpu_layers</c>, <c>max_concurrency</c>, <c>max_queue</c>, <c>chat_template</c>, <c>load</c>; see
    /// docs/local-models.md). Call it next to <c>AddOaiProxy</c>, in either order.
    /// </summary>
    public static IServiceCollection AddOaiProxyLocalModels(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProviderFactory, LocalProviderFactory>());
        return services;
    }
}
