using OaiProxy.Requests;

namespace OaiProxy.Providers;

/// <summary>One attempt of a legacy completions request against one connection.</summary>
public sealed class CompletionsUpstreamRequest : UpstreamRequest
{
    /// <summary>The client's body (model, stream and include_usage read), for splicing.</summary>
    public required RequestBody Body { get; init; }
}
