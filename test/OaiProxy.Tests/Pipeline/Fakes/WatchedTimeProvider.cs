using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace OaiProxy.Tests.Pipeline.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer started with a finite due time (a <c>Task.Delay</c>
/// such as a retry backoff), so a test knows the code is waiting, and for how long, before it moves the clock.
/// Deadline sources start with an infinite due time and are armed later, so they are not reported.
/// </summary>
internal sealed class WatchedTimeProvider() : FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
{
    /// <summary>The clock's smallest step: a deadline has not passed one tick before it.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly Channel<TimeSpan> _delays = Channel.CreateUnbounded<TimeSpan>();
    private int _started;

    /// <summary>Timers started with a finite due time so far.</summary>
    public int DelaysStarted => Volatile.Read(ref _started);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Increment(ref _started);
            _delays.Writer.TryWrite(dueTime);
        }
        return timer;
    }

    /// <summary>The due time of the next delay started (already registered on this clock when it returns).</summary>
    public ValueTask<TimeSpan> NextDelayAsync(CancellationToken cancellationToken) => _delays.Reader.ReadAsync(cancellationToken);

    /// <summary>Time the clock was moved since the start.</summary>
    public TimeSpan Moved => GetUtcNow() - Start;
}
