using Microsoft.Extensions.Logging;
using OaiProxy.Errors;

namespace OaiProxy.Providers;

/// <summary>What a provider factory hands to the adapters it creates.</summary>
public sealed class ProviderContext
{
    /// <summary>The connection's own HTTP client, kept across reloads while its settings are unchanged.</summary>
    public required HttpMessageInvoker Http { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The snapshot's scrubber of secrets in upstream text; shared by every provider of the snapshot.</summary>
    internal SecretScrubber Secrets { get; init; } = SecretScrubber.None;
}
