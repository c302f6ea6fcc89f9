using OaiProxy.Configuration;
using OaiProxy.Requests;

namespace OaiProxy.Providers;

/// <summary>One attempt of a chat request against one connection.</summary>
public sealed class ChatUpstreamRequest
{
    public required RequestBody Chat { get; init; }

    /// <summary>The model name to send upstream (the route may rename it).</summary>
    public required string UpstreamModel { get; init; }

    public required ConnectionConfig Connection { get; init; }

    /// <summary>Headers added by <c>before</c> handlers (such as forwarded client headers).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];
}
