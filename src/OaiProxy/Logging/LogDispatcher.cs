using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;

namespace OaiProxy.Logging;

/// <summary>
/// Hands finished requests to their loggers on one background task, so the request path only enqueues. The queue
/// is unbounded on purpose: a slow disk must never drop a log line. Shutdown drains and flushes everything.
/// Writes are coalesced: after each drain and flush the task rests for <see cref="FlushInterval"/>, so a busy proxy
/// pays one wake-up and one flush (a file write, a database transaction) per interval instead of per request.
/// </summary>
internal sealed partial class LogDispatcher : BackgroundService
{
    /// <summary>How long entries may wait for the next batch; also the most a log line lags behind its request.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _hurry = new(0, 1);
    private readonly ILogger<LogDispatcher> _logger;
    private long _pending;

    public LogDispatcher(ILogger<LogDispatcher> logger) => _logger = logger;

    private readonly record struct WorkItem(RequestLogEntry? Entry, IReadOnlyList<IRequestLogger> Loggers, Func<ValueTask>? Retire);

    /// <summary>Entries waiting to be written.</summary>
    public long QueueDepth => Interlocked.Read(ref _pending);

    public void Enqueue(RequestLogEntry entry, IReadOnlyList<IRequestLogger> loggers)
    {
        if (loggers.Count == 0) return;
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(new WorkItem(entry, loggers, null)))
        {
            // Only after shutdown completed the queue: write inline rather than lose the entry.
            Interlocked.Decrement(ref _pending);
            _ = WriteInlineAsync(entry, loggers);
        }
    }

    /// <summary>Completes once every entry enqueued before the call is written and flushed.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EnqueueRetirement([], () =>
        {
            done.TrySetResult();
            return ValueTask.CompletedTask;
        });
        return done.Task;
    }

    /// <summary>Runs <paramref name="retire"/> after every entry enqueued so far is written (closing old log files on reload).</summary>
    public void EnqueueRetirement(IReadOnlyList<IRequestLogger> loggers, Func<ValueTask> retire)
    {
        if (!_queue.Writer.TryWrite(new WorkItem(null, loggers, retire))) _ = retire().AsTask();
        Hurry();
    }

    /// <summary>Cuts the current rest short: someone waits for a flush, or shutdown started.</summary>
    private void Hurry()
    {
        try
        {
            _hurry.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already hurried.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dirty = new HashSet<IRequestLogger>();
        // Reads until the queue is completed in StopAsync, so nothing enqueued before shutdown is skipped.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (_queue.Reader.TryRead(out var item))
            {
                if (item.Retire is not null)
                {
                    await FlushAsync(dirty);
                    await item.Retire();
                    continue;
                }
                foreach (var logger in item.Loggers)
                {
                    await WriteOneAsync(logger, item.Entry!);
                    dirty.Add(logger);
                }
                Interlocked.Decrement(ref _pending);
            }
            await FlushAsync(dirty);
            await _hurry.WaitAsync(FlushInterval, CancellationToken.None);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        Hurry();
        await (ExecuteTask ?? Task.CompletedTask).WaitAsync(cancellationToken);
    }

    private async Task WriteInlineAsync(RequestLogEntry entry, IReadOnlyList<IRequestLogger> loggers)
    {
        foreach (var logger in loggers)
        {
            await WriteOneAsync(logger, entry);
            await logger.FlushAsync(CancellationToken.None);
        }
    }

    private async ValueTask WriteOneAsync(IRequestLogger logger, RequestLogEntry entry)
    {
        try
        {
            await logger.LogAsync(entry, CancellationToken.None);
        }
#pragma warning disable CA1031 // One failing logger must not stop the others or the dispatcher.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogWriteFailed(_logger, e, logger.GetType().Name, entry.Id);
        }
    }

    private async ValueTask FlushAsync(HashSet<IRequestLogger> dirty)
    {
        foreach (var logger in dirty)
        {
            try
            {
                await logger.FlushAsync(CancellationToken.None);
            }
#pragma warning disable CA1031 // Same reason as above.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWriteFailed(_logger, e, logger.GetType().Name, "(flush)");
            }
        }
        dirty.Clear();
    }

    [LoggerMessage(EventId = LogEvents.RequestLoggerFailed, Level = LogLevel.Error, Message = "Request logger {LoggerName} failed on entry {EntryId}.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string loggerName, string entryId);
}
