using OaiProxy.Errors;

namespace OaiProxy.Pipeline;

/// <summary>
/// How one inbound dialect writes an answer, called by <see cref="RequestPipeline"/> and nothing else: the
/// pipeline owns the request's lifetime and its one relay loop; a writer only knows its dialect's shapes.
/// </summary>
internal interface IAnswerWriter
{
    /// <summary>Called once the answer is known, before anything is written: the headers every answer carries.</summary>
    void Prepare(ProxyAnswer answer);

    /// <summary>An error before any byte of the answer was sent, with its status and headers.</summary>
    Task WriteErrorAsync(ProxyError error, CancellationToken cancellationToken);

    /// <summary>A whole (non-streamed) answer as the upstream's provider returned it.</summary>
    Task WriteJsonAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    /// <summary>Starts an unbuffered stream; its first event has already arrived.</summary>
    Task StartStreamAsync(CancellationToken cancellationToken);

    /// <summary>One event of the upstream stream (an OpenAI chunk, or a native dialect's event), valid only during the call.</summary>
    void WriteEvent(ReadOnlySpan<byte> data);

    /// <summary>The clean end of the stream (a dialect may finish work first, such as storing the response).</summary>
    ValueTask WriteStreamEndAsync(CancellationToken cancellationToken);

    /// <summary>A failure after the stream started: the dialect's error event, never an end that looks complete.</summary>
    void WriteStreamError(ProxyError error);

    /// <summary>Sends what was written so far.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
