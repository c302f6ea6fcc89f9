using System.Text.Json;
using System.Threading.Channels;
using OaiProxy.Errors;
using OaiProxy.Pipeline;

namespace OaiProxy.Hosting;

/// <summary>
/// The in-process "dialect" of <see cref="OaiProxyClient"/>: a whole answer is kept as JSON, stream events go as
/// parsed documents into a channel of one, so the caller's pace holds the relay back as a slow HTTP client would.
/// </summary>
internal sealed class InProcessAnswerWriter : IAnswerWriter
{
    private readonly Channel<JsonDocument> _events = Channel.CreateBounded<JsonDocument>(new BoundedChannelOptions(1)
    {
        SingleReader = true,
        SingleWriter = true,
    });
    private readonly List<JsonDocument> _pending = [];
    private bool _ended;
    private Exception? _failure;

    /// <summary>The error answered before anything else.</summary>
    public ProxyError? Error { get; private set; }

    /// <summary>The whole answer of a non-streaming request.</summary>
    public ReadOnlyMemory<byte> Json { get; private set; }

    /// <summary>The stream's events; completes at its end, with an <see cref="OaiProxyException"/> when it failed.</summary>
    public ChannelReader<JsonDocument> Events => _events.Reader;

    public void Prepare(ProxyAnswer answer)
    {
    }

    public Task WriteErrorAsync(ProxyError error, CancellationToken cancellationToken)
    {
        Error = error;
        _events.Writer.TryComplete(new OaiProxyException(error));
        return Task.CompletedTask;
    }

    public Task WriteJsonAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        Json = json;
        _events.Writer.TryComplete();
        return Task.CompletedTask;
    }

    public Task StartStreamAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void WriteEvent(ReadOnlySpan<byte> data) => _pending.Add(JsonDocument.Parse(data.ToArray()));

    public ValueTask WriteStreamEndAsync(CancellationToken cancellationToken)
    {
        _ended = true;
        return ValueTask.CompletedTask;
    }

    public void WriteStreamError(ProxyError error)
    {
        _ended = true;
        _failure = new OaiProxyException(error);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var document in _pending) await _events.Writer.WriteAsync(document, cancellationToken);
        _pending.Clear();
        if (_ended) _events.Writer.TryComplete(_failure);
    }

    /// <summary>Ends the channel when the pipeline stopped without an end (it threw); a no-op otherwise.</summary>
    public void Abandon(Exception? error) => _events.Writer.TryComplete(error);
}
