using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Usage;

/// <summary>
/// Where batches of usage records go: the database, or the spool while the database is unreachable (and until
/// the spool is replayed, so records never overtake each other's path). A record is acknowledged once committed
/// or fsync'd to the spool; <see cref="Acknowledged"/> counts them. A loop replays the spool when the database is back.
/// </summary>
internal sealed partial class UsageSink(ILogger<UsageSink> logger) : IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _replayNow = new(0, 1);
    private StorageDatabase? _database;
    private UsageSpool? _spool;

    /// <summary>Records committed to the database or fsync'd to the spool.</summary>
    public ProgressCounter Acknowledged { get; } = new();

    /// <summary>Records in the database (directly or by replay).</summary>
    public ProgressCounter Committed { get; } = new();

    public UsageSpool? Spool => _spool;

    public void Attach(StorageDatabase database, UsageSpool spool)
    {
        _database = database;
        _spool = spool;
    }

    public async Task WriteAsync(IReadOnlyList<UsageRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0 || _database is null || _spool is null) return;
        if (_spool.Records == 0)
        {
            try
            {
                await UsageTable.InsertAsync(_database, batch, cancellationToken);
                Committed.Add(batch.Count);
                Acknowledged.Add(batch.Count);
                return;
            }
#pragma warning disable CA1031 // Whatever the database's fault, the records go to the spool instead of being lost.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogDatabaseDown(logger, _database.Description, e.Message, _spool.Path);
            }
        }
        try
        {
            await _spool.AppendAsync(batch, cancellationToken);
            Acknowledged.Add(batch.Count);
            LogSpooled(logger, batch.Count, _spool.Records);
            ReplaySoon();
        }
        catch (IOException e)
        {
            LogSpoolFailed(logger, e, batch.Count, _spool.Path);
        }
    }

    public async Task RunReplayAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.Zero; // a spool left by a crash is replayed at once
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (delay != TimeSpan.Zero) await _replayNow.WaitAsync(delay, cancellationToken);
                if (_spool!.Records == 0)
                {
                    delay = Timeout.InfiniteTimeSpan;
                    continue;
                }
                var (replayed, unreadable) = await _spool.ReplayAsync(chunk => UsageTable.InsertAsync(_database!, chunk, cancellationToken), cancellationToken);
                Committed.Add(replayed);
                LogReplayed(logger, replayed, unreadable);
                delay = Timeout.InfiniteTimeSpan;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Still unreachable: try again later; the spool keeps everything meanwhile.
            catch (Exception)
#pragma warning restore CA1031
            {
                delay = delay <= TimeSpan.Zero || delay == Timeout.InfiniteTimeSpan ? FirstRetry : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    private void ReplaySoon()
    {
        try
        {
            _replayNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public void Dispose()
    {
        _replayNow.Dispose();
        _spool?.Dispose();
    }

    [LoggerMessage(EventId = LogEvents.UsageDatabaseDown, Level = LogLevel.Warning, Message = "Cannot write usage records to the {Database} ({Reason}); they go to the spool \"{SpoolPath}\" until it is back.")]
    private static partial void LogDatabaseDown(ILogger logger, string database, string reason, string spoolPath);

    [LoggerMessage(EventId = LogEvents.UsageSpooled, Level = LogLevel.Information, Message = "Spooled {Count} usage records; {Waiting} wait for the database.")]
    private static partial void LogSpooled(ILogger logger, int count, long waiting);

    [LoggerMessage(EventId = LogEvents.UsageReplayed, Level = LogLevel.Information, Message = "Replayed {Count} spooled usage records into the database ({Unreadable} unreadable lines skipped).")]
    private static partial void LogReplayed(ILogger logger, long count, long unreadable);

    [LoggerMessage(EventId = LogEvents.UsageLost, Level = LogLevel.Error, Message = "Lost {Count} usage records: neither the database nor the spool \"{SpoolPath}\" could take them.")]
    private static partial void LogSpoolFailed(ILogger logger, Exception exception, int count, string spoolPath);
}
