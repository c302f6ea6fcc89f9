using OaiProxy.Configuration;
using OaiProxy.Providers;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>Serves <c>api_type = "fake"</c>: each connection gets the provider the test gave for its name.</summary>
internal sealed class FakeProviderFactory(IReadOnlyDictionary<string, IProvider> providers) : IProviderFactory
{
    public const string ApiType = "fake";

    public IReadOnlyList<string> ApiTypes { get; } = [ApiType];

    public string? DefaultApiBase(string apiType) => "http://fake.invalid/v1";

    public object? ReadSettings(ConfigSection connection) => null;

    public IProvider Create(ConnectionConfig connection, ProviderContext context) => providers[connection.Name];
}
