namespace OaiProxy.Configuration;

/// <summary>
/// What the config binder needs to know of one or more <c>api_type</c> values: their public endpoint and how to
/// read their own keys. Provider factories implement it, so each provider binds its own section.
/// </summary>
public interface IConnectionType
{
    /// <summary>The <c>api_type</c> names served, aliases included.</summary>
    IReadOnlyList<string> ApiTypes { get; }

    /// <summary>The public endpoint used when a connection sets no <c>api_base</c>; null when one is required.</summary>
    string? DefaultApiBase(string apiType);

    /// <summary>Reads and validates the provider-specific keys of a connection table; errors go to the section.</summary>
    object? ReadSettings(ConfigSection connection);
}
