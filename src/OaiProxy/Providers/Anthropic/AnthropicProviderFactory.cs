using OaiProxy.Configuration;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// <c>api_type = "anthropic"</c>: Anthropic's Messages API, with full translation to and from OpenAI's chat
/// completions shape.
/// </summary>
internal sealed class AnthropicProviderFactory : IProviderFactory
{
    public IReadOnlyList<string> ApiTypes { get; } = ["anthropic"];

    public string? DefaultApiBase(string apiType) => "https://api.anthropic.com";

    public object? ReadSettings(ConfigSection connection)
    {
        var version = connection.String("anthropic_version", AnthropicSettings.DefaultVersion)!;
        if (string.IsNullOrWhiteSpace(version))
        {
            connection.Errors.Add(connection.PathOf("anthropic_version"), $"anthropic_version is empty; remove it or set it to \"{AnthropicSettings.DefaultVersion}\".");
            version = AnthropicSettings.DefaultVersion;
        }
        int? defaultMaxTokens = connection.Has("default_max_tokens")
            ? connection.Int("default_max_tokens", 4096, 1, 1_000_000)
            : null;
        return new AnthropicSettings { AnthropicVersion = version, DefaultMaxTokens = defaultMaxTokens };
    }

    public IProvider Create(ConnectionConfig connection, ProviderContext context) =>
        new AnthropicProvider(connection, (connection.ProviderSettings as AnthropicSettings) ?? new AnthropicSettings(), context);
}
