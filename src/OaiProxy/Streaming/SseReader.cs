using System.Buffers;

namespace OaiProxy.Streaming;

/// <summary>
/// Reads server-sent events from an upstream body with one pooled buffer. An event's fields are slices of that
/// buffer (a copy is made only for multi-line data), valid until the next <see cref="ReadAsync"/>. Lines may end in
/// CRLF, LF or CR, and events may be split across reads anywhere.
/// </summary>
internal sealed class SseReader : IDisposable
{
    private const int InitialBufferSize = 16 * 1024;
    private const int MinReadSize = 4 * 1024;

    private readonly Stream _stream;
    private readonly int _maxEventBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scan;
    private int _consumeOnNextRead;
    private bool _eof;
    private readonly List<(int Offset, int Length)> _dataLines = [];
    private (int Offset, int Length)? _eventName;
    private byte[]? _joined;

    public SseReader(Stream stream, int maxEventBytes = 16 * 1024 * 1024)
    {
        _stream = stream;
        _maxEventBytes = maxEventBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>The <c>event:</c> field of the current event; empty when absent.</summary>
    public ReadOnlyMemory<byte> EventName { get; private set; }

    /// <summary>The <c>data:</c> lines of the current event, joined with LF.</summary>
    public ReadOnlyMemory<byte> Data { get; private set; }

    /// <summary>True after the stream ended with bytes that did not form a whole event (a cut connection).</summary>
    public bool EndedMidEvent { get; private set; }

    /// <summary>Whether another complete event is already buffered, so reading it needs no I/O.</summary>
    public bool HasBufferedEvent
    {
        get
        {
            var rest = _buffer.AsSpan(_start + _consumeOnNextRead, _end - _start - _consumeOnNextRead);
            return rest.IndexOf("\n\n"u8) >= 0 || rest.IndexOf("\r\n\r\n"u8) >= 0 || rest.IndexOf("\r\r"u8) >= 0;
        }
    }

    /// <summary>Advances to the next event; false at the end of the stream.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        _start += _consumeOnNextRead;
        _consumeOnNextRead = 0;
        while (true)
        {
            if (TryParseEvent()) return true;
            if (_eof)
            {
                EndedMidEvent = _buffer.AsSpan(_start, _end - _start).Trim(" \t\r\n"u8).Length > 0 || _dataLines.Count > 0;
                return false;
            }
            await FillAsync(cancellationToken);
        }
    }

    private bool TryParseEvent()
    {
        while (true)
        {
            var lineStart = _start + _scan;
            var rest = _buffer.AsSpan(lineStart, _end - lineStart);
            var terminator = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (terminator < 0)
            {
                if (!_eof || rest.Length == 0) return false;
                terminator = rest.Length; // the last line of a stream may lack its line ending
            }
            var next = lineStart + terminator + 1;
            if (terminator < rest.Length && rest[terminator] == '\r')
            {
                if (terminator + 1 == rest.Length && !_eof) return false; // a CR whose LF may still be in flight
                if (terminator + 1 < rest.Length && rest[terminator + 1] == '\n') next++;
            }
            var line = rest[..terminator];
            _scan = Math.Min(next, _end) - _start;
            if (line.IsEmpty)
            {
                if (_dataLines.Count > 0)
                {
                    Dispatch();
                    _consumeOnNextRead = _scan;
                    _scan = 0;
                    return true;
                }
                _eventName = null;
                _start += _scan;
                _scan = 0;
                continue;
            }
            ParseField(line, lineStart - _start);
        }
    }

    private void ParseField(ReadOnlySpan<byte> line, int lineOffset)
    {
        if (line[0] == ':') return; // comment or keep-alive
        var colon = line.IndexOf((byte)':');
        var name = colon < 0 ? line : line[..colon];
        var valueOffset = colon < 0 ? line.Length : colon + 1;
        if (valueOffset < line.Length && line[valueOffset] == ' ') valueOffset++;
        var value = (lineOffset + valueOffset, line.Length - valueOffset);
        if (name.SequenceEqual("data"u8)) _dataLines.Add(value);
        else if (name.SequenceEqual("event"u8)) _eventName = value;
        // id and retry do not matter to a relay that never reconnects.
    }

    private void Dispatch()
    {
        EventName = _eventName is { } e ? _buffer.AsMemory(_start + e.Offset, e.Length) : ReadOnlyMemory<byte>.Empty;
        if (_dataLines.Count == 1)
        {
            Data = _buffer.AsMemory(_start + _dataLines[0].Offset, _dataLines[0].Length);
        }
        else
        {
            var total = _dataLines.Sum(d => d.Length) + _dataLines.Count - 1;
            if (_joined is null || _joined.Length < total)
            {
                if (_joined is not null) ArrayPool<byte>.Shared.Return(_joined);
                _joined = ArrayPool<byte>.Shared.Rent(total);
            }
            var position = 0;
            foreach (var (offset, length) in _dataLines)
            {
                if (position > 0) _joined[position++] = (byte)'\n';
                _buffer.AsSpan(_start + offset, length).CopyTo(_joined.AsSpan(position));
                position += length;
            }
            Data = _joined.AsMemory(0, total);
        }
        _dataLines.Clear();
        _eventName = null;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0 && _buffer.Length - _end < MinReadSize)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _end < MinReadSize)
        {
            if (_buffer.Length >= _maxEventBytes)
            {
                throw new SseEventTooLargeException($"An upstream stream event exceeds {_maxEventBytes} bytes.");
            }
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxEventBytes));
            Buffer.BlockCopy(_buffer, _start, larger, 0, _end - _start);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            _end -= _start;
            _start = 0;
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0) _eof = true;
        _end += read;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (_joined is not null) ArrayPool<byte>.Shared.Return(_joined);
        _joined = null;
    }
}
