using OaiProxy.Errors;
using OaiProxy.Streaming;

namespace OaiProxy.Providers;

/// <summary>What a provider answered: an OpenAI-shaped JSON completion, a chunk stream, or an error.</summary>
public sealed class ProviderResponse
{
    private ProviderResponse() { }

    public ProxyError? Error { get; private init; }

    /// <summary>The completion as OpenAI JSON (non-streaming requests).</summary>
    public ReadOnlyMemory<byte> Json { get; private init; }

    public UpstreamEventStream? Stream { get; private init; }

    /// <summary>The upstream's own request id, passed back to the client for support cases.</summary>
    public string? UpstreamRequestId { get; init; }

    /// <summary>Usage for the log when <see cref="Json"/> is not in OpenAI's shape (a native pass-through); read from the JSON otherwise.</summary>
    public Usage.UsageInfo? Usage { get; init; }

    public bool IsError => Error is not null;

    public static ProviderResponse Failed(ProxyError error) => new() { Error = error };

    public static ProviderResponse Completed(ReadOnlyMemory<byte> json, string? upstreamRequestId = null, Usage.UsageInfo? usage = null) =>
        new() { Json = json, UpstreamRequestId = upstreamRequestId, Usage = usage };

    public static ProviderResponse Streaming(UpstreamEventStream stream, string? upstreamRequestId = null) =>
        new() { Stream = stream, UpstreamRequestId = upstreamRequestId };
}
