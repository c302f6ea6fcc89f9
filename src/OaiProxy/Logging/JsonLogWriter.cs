using System.Text;
using System.Text.Json.Nodes;

namespace OaiProxy.Logging;

/// <summary>lm-proxy's <c>JsonLogWriter</c>: one JSON object per line, appended to <c>file_name</c>.</summary>
internal sealed class JsonLogWriter : ILogWriter, IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly FileStream _file;

    public JsonLogWriter(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, useAsync: true);
        FilePath = path;
    }

    public string FilePath { get; }

    public async ValueTask WriteAsync(JsonObject record, CancellationToken cancellationToken)
    {
        await _file.WriteAsync(Encoding.UTF8.GetBytes(record.ToJsonString()), cancellationToken);
        await _file.WriteAsync(NewLine, cancellationToken);
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
    }
}
