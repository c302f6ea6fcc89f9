namespace OaiProxy.Providers;

/// <summary>One attempt of a Responses API request against a connection that serves it.</summary>
public sealed class ResponsesUpstreamRequest : UpstreamRequest
{
    /// <summary>The body to send, model not yet spliced: the client's, or rebuilt when the proxy resolved stored state.</summary>
    public required Requests.RequestBody Body { get; init; }
}
