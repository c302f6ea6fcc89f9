namespace OaiProxy.Providers.Anthropic;

/// <summary>The keys of an <c>api_type = "anthropic"</c> connection beyond the common ones.</summary>
internal sealed record AnthropicSettings
{
    /// <summary>The default of <see cref="AnthropicVersion"/>: still the only stable version string.</summary>
    public const string DefaultVersion = "2023-06-01";

    /// <summary><c>anthropic_version</c>: the <c>anthropic-version</c> header sent upstream. Default <c>2023-06-01</c>.</summary>
    public string AnthropicVersion { get; init; } = DefaultVersion;

    /// <summary>
    /// <c>default_max_tokens</c>: <c>max_tokens</c> sent when the client set neither <c>max_tokens</c> nor
    /// <c>max_completion_tokens</c>. Default: none, so the model family's own output limit is used.
    /// </summary>
    public int? DefaultMaxTokens { get; init; }
}
