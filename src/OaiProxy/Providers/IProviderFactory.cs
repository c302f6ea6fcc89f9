using OaiProxy.Configuration;

namespace OaiProxy.Providers;

/// <summary>Creates the adapters of one or more <c>api_type</c> values and reads their provider-specific keys.</summary>
public interface IProviderFactory
{
    /// <summary>The <c>api_type</c> names served, aliases included.</summary>
    IReadOnlyList<string> ApiTypes { get; }

    /// <summary>The public endpoint used when a connection sets no <c>api_base</c>; null when one is required.</summary>
    string? DefaultApiBase(string apiType);

    /// <summary>Reads and validates the provider-specific keys of a connection table; errors go to the section.</summary>
    object? ReadSettings(ConfigSection connection);

    IChatProvider Create(ConnectionConfig connection, ProviderContext context);
}
