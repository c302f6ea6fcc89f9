using OaiProxy.Requests;

namespace OaiProxy.Providers;

/// <summary>One attempt of an Anthropic Messages request against a connection that speaks it natively.</summary>
public sealed class MessagesUpstreamRequest : UpstreamRequest
{
    /// <summary>The client's Anthropic body (model and stream read), for splicing.</summary>
    public required RequestBody Body { get; init; }

    /// <summary>The client's <c>anthropic-version</c>, when sent.</summary>
    public string? AnthropicVersion { get; init; }

    /// <summary>The client's <c>anthropic-beta</c>, when sent, with only the values the connection or group allows.</summary>
    public string? AnthropicBeta { get; init; }
}
