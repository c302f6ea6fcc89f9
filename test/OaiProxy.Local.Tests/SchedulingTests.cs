using OaiProxy.Testing.Gguf;

namespace OaiProxy.Local.Tests;

public sealed class SchedulingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Starts an endless generation and reads its first chunk, so it holds a slot until disposed.</summary>
    private static async Task<IAsyncEnumerator<LocalChunk>> StartHoldingAsync(LocalModel model, CancellationToken ct = default)
    {
        var e = model.GenerateAsync(TestModels.Chat("X"), ct).GetAsyncEnumerator(ct);
        Assert.True(await e.MoveNextAsync().AsTask().WaitAsync(Timeout, CancellationToken.None));
        return e;
    }

    [Fact]
    public async Task Generate_Cancelled_StopsAtOnceAndFreesTheSlot()
    {
        await using var sut = TestModels.Load(TinyReply.Lowercase);
        using var cts = new CancellationTokenSource();
        var received = 0;

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in sut.GenerateAsync(TestModels.Chat("X"), cts.Token))
            {
                if (++received == 5)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(5, received);
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.Equal(0, sut.ActiveGenerations);
        var next = await TestModels.CollectAsync(sut, TestModels.Chat("X", ""","max_tokens":3"""));
        Assert.Equal("abc", next.Text);
    }

    [Fact]
    public async Task Generate_QueueFull_BusyWithRetryAfter()
    {
        await using var sut = TestModels.Load(TinyReply.Lowercase, o => o with { MaxConcurrency = 1, MaxQueue = 1 });
        var running = await StartHoldingAsync(sut);
        var queued = sut.GenerateAsync(TestModels.Chat("X", ""","max_tokens":2""")).GetAsyncEnumerator();
        var queuedFirst = queued.MoveNextAsync().AsTask();
        await WaitUntilAsync(() => sut.QueuedRequests == 1);

        var e = await Assert.ThrowsAsync<LocalModelBusyException>(() => TestModels.CollectAsync(sut, TestModels.Chat("X")));

        Assert.True(e.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Contains("'MaxQueue'", e.Message, StringComparison.Ordinal);
        Assert.False(queuedFirst.IsCompleted);
        await running.DisposeAsync();
        Assert.True(await queuedFirst.WaitAsync(Timeout));
        Assert.Equal("a", queued.Current.Text);
        await queued.DisposeAsync();
    }

    [Fact]
    public async Task Generate_Queued_AdmittedFirstInFirstOut()
    {
        await using var sut = TestModels.Load(TinyReply.Lowercase, o => o with { MaxConcurrency = 1, MaxQueue = 2 });
        var running = await StartHoldingAsync(sut);
        var second = sut.GenerateAsync(TestModels.Chat("X")).GetAsyncEnumerator();
        var secondFirst = second.MoveNextAsync().AsTask();
        await WaitUntilAsync(() => sut.QueuedRequests == 1);
        var third = sut.GenerateAsync(TestModels.Chat("X")).GetAsyncEnumerator();
        var thirdFirst = third.MoveNextAsync().AsTask();
        await WaitUntilAsync(() => sut.QueuedRequests == 2);

        await running.DisposeAsync();

        Assert.True(await secondFirst.WaitAsync(Timeout));
        Assert.False(thirdFirst.IsCompleted);
        await second.DisposeAsync();
        Assert.True(await thirdFirst.WaitAsync(Timeout));
        await third.DisposeAsync();
    }

    [Fact]
    public async Task Generate_CancelledWhileQueued_LeavesTheQueue()
    {
        await using var sut = TestModels.Load(TinyReply.Lowercase, o => o with { MaxConcurrency = 1, MaxQueue = 1 });
        var running = await StartHoldingAsync(sut);
        using var cts = new CancellationTokenSource();
        var waiting = TestModels.CollectAsync(sut, TestModels.Chat("X"), cts.Token);
        await WaitUntilAsync(() => sut.QueuedRequests == 1);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Timeout));
        Assert.Equal(0, sut.QueuedRequests);
        await running.DisposeAsync();
        Assert.Equal(0, sut.ActiveGenerations);
    }

    [Fact]
    public async Task Generate_Burst_ContextsBoundedByConcurrency()
    {
        await using var sut = TestModels.Load(configure: o => o with { MaxConcurrency = 2, MaxQueue = 16 });

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => TestModels.CollectAsync(sut, TestModels.Chat("X")))));

        Assert.All(results, r => Assert.Equal("UVWXYZ.", r.Text));
        Assert.InRange(sut.ContextsCreated, 1, 2);
        Assert.Equal(0, sut.ActiveGenerations);
    }

    [Fact]
    public async Task Dispose_WhileGenerating_CancelsAndRefusesNewRequests()
    {
        var sut = TestModels.Load(TinyReply.Lowercase);
        var running = await StartHoldingAsync(sut);

        var disposing = sut.DisposeAsync().AsTask();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await running.MoveNextAsync())
            {
            }
        });
        await running.DisposeAsync();
        await disposing.WaitAsync(Timeout);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => TestModels.CollectAsync(sut, TestModels.Chat("X")));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the queue state.");
            await Task.Delay(5);
        }
    }
}
