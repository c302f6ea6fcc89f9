using OaiProxy.Configuration;

namespace OaiProxy.Providers;

/// <summary>All provider factories known to this process, by <c>api_type</c>.</summary>
internal sealed class ProviderRegistry : IConnectionTypes
{
    private readonly Dictionary<string, IProviderFactory> _byApiType = new(StringComparer.Ordinal);

    public ProviderRegistry(IEnumerable<IProviderFactory> factories)
    {
        foreach (var factory in factories)
        {
            foreach (var apiType in factory.ApiTypes) _byApiType[apiType] = factory;
        }
    }

    public IEnumerable<string> ApiTypes => _byApiType.Keys;

    public IProviderFactory? Find(string apiType) => _byApiType.GetValueOrDefault(apiType);

    IConnectionType? IConnectionTypes.Find(string apiType) => Find(apiType);
}
