using OaiProxy.Errors;

namespace OaiProxy.Streaming;

/// <summary>
/// A stream of OpenAI <c>chat.completion.chunk</c> payloads from any provider: relayed as-is from an
/// OpenAI-compatible upstream, or produced by a translator. The relay frames each payload as an SSE event.
/// </summary>
public abstract class UpstreamEventStream : IAsyncDisposable
{
    /// <summary>The current chunk's JSON, valid until the next <see cref="ReadAsync"/>.</summary>
    public ReadOnlyMemory<byte> Current { get; protected set; }

    /// <summary>Set when the stream failed; the relay sends it as an error event instead of the end marker.</summary>
    public ProxyError? Error { get; protected set; }

    /// <summary>Whether the next chunk can be read without waiting on the network, so flushes can be batched.</summary>
    public virtual bool HasBufferedChunk => false;

    /// <summary>Usage so far, for streams whose chunks are not OpenAI chunks (a native pass-through); null reads it from the chunks.</summary>
    public virtual Usage.UsageInfo? Usage => null;

    /// <summary>
    /// Advances to the next chunk. False at the end: a clean end when <see cref="Error"/> is null, a failure
    /// (upstream error event, cut connection, garbage) otherwise. Never throws for upstream faults.
    /// </summary>
    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
