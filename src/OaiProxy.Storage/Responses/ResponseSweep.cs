using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;
using OaiProxy.Storage.Database;

namespace OaiProxy.Storage.Responses;

/// <summary>
/// Removes expired stored responses off the request path: every <see cref="Interval"/>, in batches of
/// <see cref="BatchSize"/> responses, each batch its own short transaction so a save waits at most one batch for
/// SQLite's write lock; one sweep removes at most <see cref="MaxBatches"/> batches and leaves the rest to the next.
/// Reads already ignore expired rows, so a late sweep only costs disk. Several instances may sweep at once: the
/// deletes are idempotent.
/// </summary>
internal sealed partial class ResponseSweep(StorageDatabase database, TimeProvider time, ILogger<ResponseSweep> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public const int BatchSize = 100;

    public const int MaxBatches = 1_000;

    /// <summary>Sweeps finished (removed something or not, failed or not), so tests can wait for one.</summary>
    public ProgressCounter Sweeps { get; } = new();

    /// <summary>Sweeps every <see cref="Interval"/> until <paramref name="cancellationToken"/> is cancelled (shutdown).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var removed = await SweepAsync(cancellationToken);
                    if (removed > 0) LogSwept(logger, removed);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // The database may be down: reads ignore expired rows anyway, so try again next time.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogFailed(logger, database.Description, e.Message);
                }
                Sweeps.Add(1);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown while waiting for the next tick.
        }
    }

    /// <summary>One sweep: the responses expired by now, with their items; how many responses were removed.</summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long removed = 0;
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            var count = await SweepBatchAsync(now, cancellationToken);
            removed += count;
            if (count < BatchSize) break;
        }
        return removed;
    }

    private async Task<int> SweepBatchAsync(long now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<string>(BatchSize);
        await using (var command = Sql.Command(connection, transaction, "SELECT id FROM responses WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit",
            ("now", now), ("limit", (long)BatchSize)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetString(0));
        }
        if (ids.Count == 0) return 0;
        var (names, parameters) = Sql.InList("id", ids);
        await Sql.ExecuteAsync(connection, transaction, $"DELETE FROM response_items WHERE response_id IN ({names})", cancellationToken, parameters);
        await Sql.ExecuteAsync(connection, transaction, $"DELETE FROM responses WHERE id IN ({names})", cancellationToken, parameters);
        await transaction.CommitAsync(cancellationToken);
        return ids.Count;
    }

    [LoggerMessage(EventId = LogEvents.ResponsesSwept, Level = LogLevel.Debug, Message = "Removed {Count} expired stored responses.")]
    private static partial void LogSwept(ILogger logger, long count);

    [LoggerMessage(EventId = LogEvents.ResponsesSweepFailed, Level = LogLevel.Warning, Message = "Cannot remove expired stored responses from the {Database} ({Reason}); trying again in five minutes.")]
    private static partial void LogFailed(ILogger logger, string database, string reason);
}
