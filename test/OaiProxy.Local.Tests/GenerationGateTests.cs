using OaiProxy.Local.Scheduling;

namespace OaiProxy.Local.Tests;

public sealed class GenerationGateTests
{
    [Fact]
    public async Task EnterAsync_QueueFull_ReturnsFalse()
    {
        var sut = new GenerationGate(1, 1, TimeProvider.System);
        Assert.True(await sut.EnterAsync(CancellationToken.None));
        var queued = sut.EnterAsync(CancellationToken.None).AsTask();

        Assert.False(await sut.EnterAsync(CancellationToken.None));

        sut.Release(TimeSpan.Zero);
        Assert.True(await queued);
        Assert.Equal(1, sut.Active);
    }

    [Fact]
    public async Task SuggestRetryAfter_WorkAheadTimesAverageHold()
    {
        var sut = new GenerationGate(1, 2, TimeProvider.System);
        await sut.EnterAsync(CancellationToken.None);
        var second = sut.EnterAsync(CancellationToken.None).AsTask();
        _ = sut.EnterAsync(CancellationToken.None).AsTask();

        // One running and two queued at the initial one-second average.
        Assert.Equal(TimeSpan.FromSeconds(3), sut.SuggestRetryAfter());

        sut.Release(TimeSpan.FromSeconds(11)); // average 0.8 * 1 + 0.2 * 11 = 3 s; the second request takes the slot
        await second;
        Assert.Equal(TimeSpan.FromSeconds(6), sut.SuggestRetryAfter());
    }

    [Fact]
    public async Task CloseAsync_FailsWaitersAndCompletesWhenIdle()
    {
        var sut = new GenerationGate(1, 1, TimeProvider.System);
        await sut.EnterAsync(CancellationToken.None);
        var waiting = sut.EnterAsync(CancellationToken.None).AsTask();

        var closing = sut.CloseAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        Assert.False(closing.IsCompleted);
        sut.Release(TimeSpan.Zero);
        await closing;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.EnterAsync(CancellationToken.None).AsTask());
    }
}
