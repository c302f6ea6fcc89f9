namespace OaiProxy.Providers.Gemini;

/// <summary>
/// A read-only pass-through that remembers the last bytes read. Google can end a stream with a bare, unframed
/// <c>{"error":…}</c> that an SSE parser skips as junk lines; the tail lets the stream find it after the fact.
/// </summary>
internal sealed class TailRecordingStream(Stream inner, int capacity = 16 * 1024) : Stream
{
    private readonly byte[] _tail = new byte[capacity];
    private int _length;

    /// <summary>The last bytes read (up to the capacity), oldest first.</summary>
    public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _length);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Remember(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Remember(buffer.AsSpan(offset, read));
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Remember(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= _tail.Length)
        {
            bytes[^_tail.Length..].CopyTo(_tail);
            _length = _tail.Length;
            return;
        }
        var keep = Math.Min(_length, _tail.Length - bytes.Length);
        _tail.AsSpan(_length - keep, keep).CopyTo(_tail);
        bytes.CopyTo(_tail.AsSpan(keep));
        _length = keep + bytes.Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
