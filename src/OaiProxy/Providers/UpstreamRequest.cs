using OaiProxy.Configuration;

namespace OaiProxy.Providers;

/// <summary>What every attempt against one connection carries, whatever the operation.</summary>
public abstract class UpstreamRequest
{
    /// <summary>The model name to send upstream (the route may rename it).</summary>
    public required string UpstreamModel { get; init; }

    public required ConnectionConfig Connection { get; init; }

    /// <summary>Headers added by <c>before</c> hooks (such as forwarded client headers).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];
}
