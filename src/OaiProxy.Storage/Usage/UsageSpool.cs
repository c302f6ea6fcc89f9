using System.Buffers;
using OaiProxy.Logging;

namespace OaiProxy.Storage.Usage;

/// <summary>
/// The append-only local file usage records go to while the database is unreachable: JSON lines, flushed to disk
/// (fsync) per batch before the batch counts as acknowledged. Replay reads it in chunks, inserts them (duplicates
/// ignored, so a replay cut by a crash can run again) and deletes the file. One lock orders appends and replays.
/// </summary>
internal sealed class UsageSpool(string path) : IDisposable
{
    public const int ReplayChunk = 500;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _records = -1;

    public string Path => path;

    /// <summary>Records waiting in the file (counted on first use, so a spool left by a crash is seen).</summary>
    public long Records
    {
        get
        {
            if (Interlocked.Read(ref _records) < 0) Interlocked.CompareExchange(ref _records, CountLines(), -1);
            return Interlocked.Read(ref _records);
        }
    }

    public async Task AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(records.Count * 400);
        foreach (var record in records)
        {
            UsageRecordJson.Write(buffer, record);
            buffer.Write("\n"u8);
        }
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _ = Records;
            PrivateFiles.CreateDirectory(System.IO.Path.GetDirectoryName(path));
            await using var file = PrivateFiles.Open(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1);
            await file.WriteAsync(buffer.WrittenMemory, cancellationToken);
            file.Flush(flushToDisk: true);
            Interlocked.Add(ref _records, records.Count);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Hands every spooled record to <paramref name="insert"/> in chunks, then empties the file; returns how many.</summary>
    public async Task<(long Replayed, long Unreadable)> ReplayAsync(Func<IReadOnlyList<UsageRecord>, Task> insert, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(path)) return (0, 0);
            long replayed = 0, unreadable = 0;
            var chunk = new List<UsageRecord>(ReplayChunk);
            using (var reader = new StreamReader(path))
            {
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.Length == 0) continue;
                    if (UsageRecordJson.TryRead(line) is { } record) chunk.Add(record);
                    else unreadable++;
                    if (chunk.Count < ReplayChunk) continue;
                    await insert(chunk);
                    replayed += chunk.Count;
                    chunk = new List<UsageRecord>(ReplayChunk);
                }
            }
            await insert(chunk);
            replayed += chunk.Count;
            File.Delete(path);
            Interlocked.Exchange(ref _records, 0);
            return (replayed, unreadable);
        }
        finally
        {
            _lock.Release();
        }
    }

    private long CountLines()
    {
        if (!File.Exists(path)) return 0;
        long count = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length > 0) count++;
        }
        return count;
    }

    public void Dispose() => _lock.Dispose();
}
