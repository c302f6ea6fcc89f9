using System.Text;
using System.Threading.Channels;
using OaiProxy.Errors;
using OaiProxy.Streaming;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>
/// An upstream stream the test feeds: each read waits until the test sends an event, the end or an error, and
/// honours its token. What was sent and not read yet counts as buffered, as a network buffer would.
/// </summary>
internal sealed class ControlledEventStream : UpstreamEventStream
{
    private readonly Channel<(byte[]? Data, ProxyError? Error)> _items = Channel.CreateUnbounded<(byte[]?, ProxyError?)>();
    private bool _ended;

    /// <summary>The token of the last read, to watch the deadline it carries.</summary>
    public CancellationToken LastToken { get; private set; }

    public bool Disposed { get; private set; }

    public override bool HasBufferedChunk => _items.Reader.Count > 0;

    public ControlledEventStream Send(string json)
    {
        _items.Writer.TryWrite((Encoding.UTF8.GetBytes(json), null));
        return this;
    }

    public ControlledEventStream End()
    {
        _items.Writer.TryWrite((null, null));
        return this;
    }

    public ControlledEventStream FailWith(ProxyError error)
    {
        _items.Writer.TryWrite((null, error));
        return this;
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_ended) return false;
        LastToken = cancellationToken;
        var (data, error) = await _items.Reader.ReadAsync(cancellationToken);
        if (data is null)
        {
            _ended = true;
            Error = error;
            return false;
        }
        Current = data;
        return true;
    }

    public override ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
