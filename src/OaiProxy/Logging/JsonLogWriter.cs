using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OaiProxy.Logging;

/// <summary>lm-proxy's <c>JsonLogWriter</c>: one JSON object per line, appended to <c>file_name</c> (created owner-only, <see cref="PrivateFiles"/>).</summary>
internal sealed class JsonLogWriter : ILogWriter, IJsonEntryWriter, IAsyncDisposable
{
    private readonly FileStream _file;
    // Reused line by line: the log dispatcher writes one entry at a time.
    private ArrayBufferWriter<byte> _line = new(4096);
    private readonly Utf8JsonWriter _json;

    public JsonLogWriter(string path)
    {
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path));
        _file = PrivateFiles.Open(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
        _json = new Utf8JsonWriter(_line);
        FilePath = path;
    }

    public string FilePath { get; }

    public ValueTask WriteAsync(JsonObject record, CancellationToken cancellationToken)
    {
        record.WriteTo(Begin());
        return EndAsync(cancellationToken);
    }

    public ValueTask WriteEntryAsync(RequestLogEntry entry, CancellationToken cancellationToken)
    {
        LogEntryJson.WriteTo(Begin(), entry);
        return EndAsync(cancellationToken);
    }

    private Utf8JsonWriter Begin()
    {
        // One huge entry (a long conversation) must not pin its buffer for the life of the process.
        if (_line.Capacity > 1024 * 1024) _line = new ArrayBufferWriter<byte>(4096);
        else _line.ResetWrittenCount();
        _json.Reset(_line);
        return _json;
    }

    private ValueTask EndAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        _line.Write("\n"u8);
        return _file.WriteAsync(_line.WrittenMemory, cancellationToken);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _file.FlushAsync();
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync();
        await _json.DisposeAsync();
    }
}
