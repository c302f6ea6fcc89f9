using System.Text.Json;

namespace OaiProxy.Streaming;

/// <summary>
/// An upstream SSE stream of another protocol turned into OpenAI chunks: translated chunks queue up in
/// <see cref="Pending"/> and are handed out first; malformed JSON ends the stream with an error; the subclass
/// decides what each event means and whether the end of the body is a clean end.
/// </summary>
internal abstract class TranslatingEventStream : SseEventStream
{
    protected TranslatingEventStream(HttpResponseMessage? response, Stream body, string connection)
        : base(response, body, connection)
    {
    }

    /// <summary>Translated chunks not yet handed out.</summary>
    protected Queue<byte[]> Pending { get; } = new();

    /// <summary>Set by the subclass once the upstream signalled a clean end.</summary>
    protected bool Finished { get; set; }

    public override bool HasBufferedChunk => Pending.Count > 0 || (!Finished && Reader.HasBufferedEvent);

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Pending.TryDequeue(out var chunk))
            {
                Current = chunk;
                return true;
            }
            if (Finished || Error is not null) return false;
            var more = await NextEventAsync(cancellationToken);
            if (Error is not null) return false;
            try
            {
                if (more) OnEvent(Reader.EventName.Span, Reader.Data.Span);
                else OnEnd();
            }
            catch (JsonException)
            {
                return Fail("The upstream sent a stream event that is not valid JSON.");
            }
            if (!more && !Finished && Error is null)
            {
                return Fail("The upstream stream ended before its end marker; the response is incomplete.");
            }
        }
    }

    /// <summary>Translates one upstream event, queueing chunks in <see cref="Pending"/>, setting <see cref="Finished"/> or failing.</summary>
    protected abstract void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data);

    /// <summary>The upstream body ended: queue the last chunks and set <see cref="Finished"/>, or fail.</summary>
    protected abstract void OnEnd();
}
