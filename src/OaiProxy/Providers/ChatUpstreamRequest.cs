using OaiProxy.Requests;

namespace OaiProxy.Providers;

/// <summary>One attempt of a chat request against one connection.</summary>
public sealed class ChatUpstreamRequest : UpstreamRequest
{
    public required RequestBody Chat { get; init; }
}
