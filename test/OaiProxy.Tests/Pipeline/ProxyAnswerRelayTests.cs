using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Resilience;
using OaiProxy.Tests.Pipeline.Fakes;

namespace OaiProxy.Tests.Pipeline;

/// <summary>Reading an answer's stream under the connection's idle and total deadlines, on a fake clock.</summary>
public sealed class ProxyAnswerRelayTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Total = TimeSpan.FromSeconds(10);

    private readonly WatchedTimeProvider _time = new();
    private readonly CancellationTokenSource _guard = HangGuard.Start();
    private readonly CancellationTokenSource _client = new();
    private readonly ControlledEventStream _stream = new();

    /// <summary>An answer streaming <see cref="_stream"/>, whose first event arrived as the attempt loop reads it.</summary>
    private async Task<ProxyAnswer> StreamingAsync()
    {
        var connection = TestConnections.Create("a", timeouts: new TimeoutsConfig { Idle = Idle, Total = Total });
        var sut = TestAnswers.Create(_time);
        _stream.Send("""{"n":0}""");
        var hasFirst = await _stream.ReadAsync(_guard.Token);
        sut.Streaming(_stream, hasFirst, connection, null, new ConnectionHealthRegistry(_time).Get("a"), false, SecretScrubber.None, _client.Token);
        Assert.True(await sut.ReadAsync(_client.Token));
        return sut;
    }

    [Fact]
    public async Task ReadAsync_SilentStream_CutWith504AfterExactlyTheIdleTimeout()
    {
        var sut = await StreamingAsync();

        var read = sut.ReadAsync(_client.Token).AsTask();
        _time.Advance(Idle - WatchedTimeProvider.Tick);
        Assert.False(_stream.LastToken.IsCancellationRequested);
        Assert.False(read.IsCompleted);
        _time.Advance(WatchedTimeProvider.Tick);
        Assert.True(_stream.LastToken.IsCancellationRequested);

        Assert.False(await read.WaitAsync(_guard.Token));
        Assert.Equal(504, sut.StreamError?.Status);
        Assert.Equal(ErrorCodes.UpstreamTimeout, sut.StreamError?.Code);
        Assert.Contains("idle_timeout", sut.StreamError?.Message, StringComparison.Ordinal);
        Assert.Same(sut.StreamError, sut.Log.Error);
        Assert.False(await sut.ReadAsync(_client.Token));
        await sut.ReleaseAsync();
    }

    [Fact]
    public async Task ReadAsync_EventWithinIdleTimeout_StartsTheIdleClockAgain()
    {
        var sut = await StreamingAsync();

        var read = sut.ReadAsync(_client.Token).AsTask();
        _time.Advance(Idle - WatchedTimeProvider.Tick);
        _stream.Send("""{"n":1}""");
        Assert.True(await read.WaitAsync(_guard.Token));
        read = sut.ReadAsync(_client.Token).AsTask();
        _time.Advance(Idle - WatchedTimeProvider.Tick);
        Assert.False(_stream.LastToken.IsCancellationRequested);
        _time.Advance(WatchedTimeProvider.Tick);
        Assert.True(_stream.LastToken.IsCancellationRequested);

        Assert.False(await read.WaitAsync(_guard.Token));
        Assert.Contains("idle_timeout", sut.StreamError?.Message, StringComparison.Ordinal);
        Assert.Equal(Idle - WatchedTimeProvider.Tick + Idle, _time.Moved);
        await sut.ReleaseAsync();
    }

    [Fact]
    public async Task ReadAsync_StreamThatKeepsSending_CutAtTheTotalTimeout()
    {
        var sut = await StreamingAsync();
        var every = TimeSpan.FromSeconds(2);

        var events = 1;
        var more = true;
        for (var i = 0; i < 100 && more; i++)
        {
            var read = sut.ReadAsync(_client.Token).AsTask();
            _time.Advance(every);
            if (_time.Moved < Total) _stream.Send($$"""{"n":{{events}}}""");
            else Assert.True(_stream.LastToken.IsCancellationRequested, "The stream was not cut when its total timeout passed.");
            more = await read.WaitAsync(_guard.Token);
            if (more) events++;
        }

        Assert.False(more);
        Assert.Equal(Total, _time.Moved);
        Assert.Equal(5, events);
        Assert.Equal(504, sut.StreamError?.Status);
        Assert.Contains("timeout of 10 s", sut.StreamError?.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("idle_timeout", sut.StreamError?.Message, StringComparison.Ordinal);
        await sut.ReleaseAsync();
    }

    [Fact]
    public async Task ReadAsync_UpstreamErrorAfterFirstEvent_EndsTheStreamWithThatError()
    {
        var sut = await StreamingAsync();
        var error = UpstreamErrors.Interrupted();

        _stream.FailWith(error);
        var more = await sut.ReadAsync(_client.Token).AsTask().WaitAsync(_guard.Token);

        Assert.False(more);
        Assert.Same(error, sut.StreamError);
        Assert.Same(error, sut.Log.Error);
        Assert.Null(sut.Error);
        await sut.ReleaseAsync();
        Assert.True(_stream.Disposed);
    }

    [Fact]
    public async Task ReadAsync_ClientLeaves_ThrowsOperationCanceled()
    {
        var sut = await StreamingAsync();

        var read = sut.ReadAsync(_client.Token).AsTask();
        Assert.False(read.IsCompleted);
        await _client.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(_guard.Token));
        Assert.Null(sut.StreamError);
        await sut.ReleaseAsync();
    }

    public void Dispose()
    {
        _client.Dispose();
        _guard.Dispose();
    }
}
