using System.Text;
using OaiProxy.Auth;
using OaiProxy.Configuration;
using OaiProxy.Dialects.OpenAi;
using OaiProxy.Errors;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Resilience;
using OaiProxy.Routing;
using OaiProxy.Runtime;
using OaiProxy.Tests.Pipeline.Fakes;

namespace OaiProxy.Tests.Pipeline;

public sealed class AttemptLoopTests : IDisposable
{
    private readonly WatchedTimeProvider _time = new();
    private readonly ConnectionHealthRegistry _health;
    private readonly AttemptLoop _sut;
    private readonly CancellationTokenSource _guard = HangGuard.Start();
    private readonly ChatOperation _operation = new();
    private readonly List<(ConnectionConfig Connection, ScriptedProvider Provider)> _targets = [];

    public AttemptLoopTests()
    {
        _health = new ConnectionHealthRegistry(_time);
        _sut = new AttemptLoop(_time, _health);
    }

    private ScriptedProvider Add(ConnectionConfig connection)
    {
        var provider = new ScriptedProvider();
        _targets.Add((connection, provider));
        return provider;
    }

    /// <summary>Starts the attempts of one chat request over the targets added so far, in order.</summary>
    private (Task Run, ProxyAnswer Answer) Start(bool stream = false)
    {
        var body = $$"""{"model":"m","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""";
        var config = new ProxyConfig { Connections = _targets.Select(t => t.Connection).ToList() };
        Assert.Null(_operation.Parse(Encoding.UTF8.GetBytes(body), config));
        var state = new ProxyState(config, new Router(config), _targets.ToDictionary(t => t.Connection.Name, t => (IProvider)t.Provider),
            new AllowAllApiKeyValidator("default"), [], [], false, () => ValueTask.CompletedTask);
        var answer = TestAnswers.Create(_time);
        var targets = _targets.Select(t => TestConnections.Target(t.Connection)).ToList();
        return (_sut.RunAsync(state, _operation, targets, [], answer, _guard.Token), answer);
    }

    /// <summary>Waits for the run to end, moving the clock over each delay (backoff) it starts; bounded.</summary>
    private async Task DriveAsync(Task run)
    {
        for (var i = 0; i < 100 && !run.IsCompleted; i++)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(_guard.Token);
            var delay = _time.NextDelayAsync(stop.Token).AsTask();
            if (await Task.WhenAny(run, delay) == delay) _time.Advance(await delay);
            else await stop.CancelAsync();
        }
        await run.WaitAsync(_guard.Token);
    }

    /// <summary>The delay the run starts before its next call; fails at once when the call comes without one, or the run ends.</summary>
    private async Task<TimeSpan> DelayBeforeNextCallAsync(ScriptedProvider provider, Task run)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_guard.Token);
        var delay = _time.NextDelayAsync(stop.Token).AsTask();
        var call = provider.NextCallAsync(stop.Token).AsTask();
        var first = await Task.WhenAny(delay, call, run);
        await stop.CancelAsync();
        Assert.False(first == run, "The attempts ended without a retry.");
        Assert.True(first == delay, "The next attempt was sent without a wait.");
        return await delay;
    }

    /// <summary>
    /// Passes the run's next delay, checked to lie within [<paramref name="shortest"/>, <paramref name="longest"/>]:
    /// no call is made a tick before it ends, and the clock is then moved to its end.
    /// </summary>
    private async Task<TimeSpan> PassDelayAsync(ScriptedProvider provider, Task run, TimeSpan shortest, TimeSpan longest)
    {
        var calls = provider.Calls;
        var delay = await DelayBeforeNextCallAsync(provider, run);
        Assert.InRange(delay, shortest, longest);
        _time.Advance(delay - WatchedTimeProvider.Tick);
        Assert.Equal(calls, provider.Calls);
        _time.Advance(WatchedTimeProvider.Tick);
        return delay;
    }

    /// <summary>Waits for a run that must end without waiting on the clock; fails at once when it starts a delay.</summary>
    private async Task EndsWithoutWaitingAsync(Task run)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_guard.Token);
        var delay = _time.NextDelayAsync(stop.Token).AsTask();
        var first = await Task.WhenAny(run, delay);
        await stop.CancelAsync();
        Assert.True(first == run, "The attempts waited on the clock.");
        await run;
    }

    /// <summary>Calls made to each target, in the order they were added.</summary>
    private void AssertCalls(params int[] expected) => Assert.Equal(expected, _targets.Select(t => t.Provider.Calls));

    private static void AssertAnsweredBy(string connection, ProxyAnswer answer)
    {
        Assert.Null(answer.Error);
        Assert.Equal(connection, answer.Log.Connection);
    }

    [Fact]
    public async Task RunAsync_RetryableFailure_RetriedAfterEachBackoffOnTheClock()
    {
        var provider = Add(TestConnections.Create("a", maxRetries: 2))
            .ThenFail(UpstreamErrors.Retryable()).ThenFail(UpstreamErrors.Retryable()).ThenAnswer();
        var (run, answer) = Start();

        await provider.NextCallAsync(_guard.Token);
        var first = await PassDelayAsync(provider, run, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
        await provider.NextCallAsync(_guard.Token);
        var second = await PassDelayAsync(provider, run, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
        await run.WaitAsync(_guard.Token);

        Assert.Equal(3, provider.Calls);
        Assert.Null(answer.Error);
        Assert.Equal(3, answer.Log.Attempts);
        Assert.Equal(first + second, _time.Moved);
    }

    [Fact]
    public async Task RunAsync_RetryableFailureEveryTime_StopsAfterMaxRetriesWithTheLastError()
    {
        var provider = Add(TestConnections.Create("a", maxRetries: 2))
            .ThenFail(UpstreamErrors.Retryable()).ThenFail(UpstreamErrors.Retryable()).ThenFail(UpstreamErrors.Retryable());
        var (run, answer) = Start();

        await DriveAsync(run);

        Assert.Equal(3, provider.Calls);
        Assert.Equal(2, _time.DelaysStarted);
        Assert.Equal(502, answer.Error?.Status);
        Assert.Equal(502, answer.Log.Status);
    }

    [Fact]
    public async Task RunAsync_ShortRetryAfter_WaitsExactlyThatLong()
    {
        var retryAfter = TimeSpan.FromSeconds(2);
        var provider = Add(TestConnections.Create("a")).ThenFail(UpstreamErrors.TooManyRequests(retryAfter)).ThenAnswer();
        var (run, answer) = Start();

        await provider.NextCallAsync(_guard.Token);
        await PassDelayAsync(provider, run, retryAfter, retryAfter);
        await run.WaitAsync(_guard.Token);

        Assert.Equal(2, provider.Calls);
        Assert.Null(answer.Error);
    }

    [Fact]
    public async Task RunAsync_RetryAfterOverMaxRetryWait_MovesToNextTargetWithoutWaiting()
    {
        Add(TestConnections.Create("a", maxRetries: 2)).ThenFail(UpstreamErrors.TooManyRequests(AttemptLoop.MaxRetryWait + TimeSpan.FromSeconds(1)));
        Add(TestConnections.Create("b")).ThenAnswer();
        var (run, answer) = Start();

        await EndsWithoutWaitingAsync(run);

        AssertCalls(1, 1);
        AssertAnsweredBy("b", answer);
        Assert.Equal(TimeSpan.Zero, _time.Moved);
    }

    [Fact]
    public async Task RunAsync_NonRetryableError_StopsAtOnceWithoutFallback()
    {
        var error = UpstreamErrors.NotRetryable();
        Add(TestConnections.Create("a", maxRetries: 2)).ThenFail(error);
        Add(TestConnections.Create("b")).ThenAnswer();
        var (run, answer) = Start();

        await EndsWithoutWaitingAsync(run);

        AssertCalls(1, 0);
        Assert.Same(error, answer.Error);
        Assert.Equal(400, answer.Log.Status);
    }

    [Fact]
    public async Task RunAsync_FirstTargetOutOfRetries_FallsBackToNextTarget()
    {
        Add(TestConnections.Create("a", maxRetries: 1)).ThenFail(UpstreamErrors.Retryable()).ThenFail(UpstreamErrors.Retryable());
        Add(TestConnections.Create("b")).ThenAnswer();
        var (run, answer) = Start();

        await DriveAsync(run);

        AssertCalls(2, 1);
        AssertAnsweredBy("b", answer);
        Assert.Equal(3, answer.Log.Attempts);
    }

    [Fact]
    public async Task RunAsync_NoFirstByteInTime_Retried504WithFirstByteTimeout()
    {
        var firstByte = TimeSpan.FromSeconds(5);
        var provider = Add(TestConnections.Create("a", maxRetries: 1, timeouts: new TimeoutsConfig { FirstByte = firstByte }))
            .ThenHang().ThenHang();
        var (run, answer) = Start();

        var firstAttempt = await provider.NextCallAsync(_guard.Token);
        _time.Advance(firstByte - WatchedTimeProvider.Tick);
        Assert.False(firstAttempt.IsCancellationRequested);
        _time.Advance(WatchedTimeProvider.Tick);
        Assert.True(firstAttempt.IsCancellationRequested);
        _time.Advance(await DelayBeforeNextCallAsync(provider, run));
        var secondAttempt = await provider.NextCallAsync(_guard.Token);
        _time.Advance(firstByte);
        Assert.True(secondAttempt.IsCancellationRequested);
        await run.WaitAsync(_guard.Token);

        Assert.Equal(2, provider.Calls);
        Assert.Equal(504, answer.Error?.Status);
        Assert.Equal(ErrorCodes.UpstreamTimeout, answer.Error?.Code);
        Assert.Contains("first_byte_timeout", answer.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(2, answer.Log.Attempts);
    }

    [Fact]
    public async Task RunAsync_StreamFailsBeforeItsFirstEvent_RetriedAndNextStreamAnswers()
    {
        var broken = new ControlledEventStream().FailWith(UpstreamErrors.Interrupted());
        var working = new ControlledEventStream().Send("""{"n":1}""");
        var provider = Add(TestConnections.Create("a", maxRetries: 1)).ThenStream(broken).ThenStream(working);
        var (run, answer) = Start(stream: true);

        await DriveAsync(run);

        Assert.Equal(2, provider.Calls);
        Assert.True(broken.Disposed);
        Assert.Null(answer.Error);
        Assert.Same(working, answer.Stream);
        Assert.Equal(1, _health.Get("a").InFlight);
        await answer.ReleaseAsync();
        Assert.Equal(0, _health.Get("a").InFlight);
    }

    /// <summary>A connection whose breaker opens on one failure, opened now for 30 s for the targets' model.</summary>
    private ConnectionConfig WithOpenBreaker(string name, BreakerScope scope = BreakerScope.Deployment)
    {
        var connection = TestConnections.Create(name, breaker: new BreakerConfig { Failures = 1, Cooldown = TimeSpan.FromSeconds(30), Scope = scope });
        Fail(connection, TestConnections.Target(connection).UpstreamModel);
        return connection;
    }

    private void Fail(ConnectionConfig connection, string upstreamModel) =>
        _health.Get(connection.Name).Breaker(upstreamModel, connection.Breaker).OnFailure(connection.Breaker);

    [Fact]
    public async Task RunAsync_OpenBreaker_SkipsTheConnection()
    {
        Add(WithOpenBreaker("a"));
        Add(TestConnections.Create("b")).ThenAnswer();
        var (run, answer) = Start();

        await EndsWithoutWaitingAsync(run);

        AssertCalls(0, 1);
        AssertAnsweredBy("b", answer);
    }

    [Fact]
    public async Task RunAsync_AnotherModelsFailures_LeaveTheDeploymentInRotation()
    {
        var connection = TestConnections.Create("a", breaker: new BreakerConfig { Failures = 1, Cooldown = TimeSpan.FromSeconds(30) });
        Fail(connection, "some-other-model");
        Add(connection).ThenAnswer();
        Add(TestConnections.Create("b")).ThenAnswer();
        var (run, answer) = Start();

        await EndsWithoutWaitingAsync(run);

        AssertCalls(1, 0);
        AssertAnsweredBy("a", answer);
        Assert.Equal(BreakerState.Closed, _health.Get("a").State);
    }

    [Fact]
    public async Task RunAsync_ConnectionScope_AnotherModelsFailuresEjectTheWholeConnection()
    {
        var connection = TestConnections.Create("a", breaker: new BreakerConfig { Failures = 1, Cooldown = TimeSpan.FromSeconds(30), Scope = BreakerScope.Connection });
        Fail(connection, "some-other-model");
        Add(connection).ThenAnswer();
        Add(TestConnections.Create("b")).ThenAnswer();
        var (run, answer) = Start();

        await EndsWithoutWaitingAsync(run);

        AssertCalls(0, 1);
        AssertAnsweredBy("b", answer);
    }

    [Fact]
    public async Task RunAsync_OnlyTargetEjected_PanicModeStillSendsIt_AndASuccessClosesTheBreaker()
    {
        Add(WithOpenBreaker("a")).ThenAnswer();
        _time.Advance(TimeSpan.FromSeconds(10));
        var (run, answer) = Start();

        await EndsWithoutWaitingAsync(run);

        AssertCalls(1);
        AssertAnsweredBy("a", answer);
        Assert.Equal(BreakerState.Closed, _health.Get("a").State);
    }

    [Fact]
    public async Task RunAsync_EveryTargetEjected_TheLeastRecentlyFailedGetsTheRequest()
    {
        var a = WithOpenBreaker("a");
        _time.Advance(TimeSpan.FromSeconds(5));
        Add(a).ThenAnswer();
        Add(WithOpenBreaker("b")).ThenAnswer();
        var (run, answer) = Start();

        await EndsWithoutWaitingAsync(run);

        AssertCalls(1, 0);
        AssertAnsweredBy("a", answer);
    }

    [Fact]
    public async Task RunAsync_PanicAttemptFails_TheUpstreamErrorIsAnswered_AndTheBreakerStaysOpen()
    {
        Add(WithOpenBreaker("a", BreakerScope.Connection)).ThenFail(UpstreamErrors.Retryable()).ThenFail(UpstreamErrors.Retryable()).ThenFail(UpstreamErrors.Retryable());
        var (run, answer) = Start();

        await DriveAsync(run);

        AssertCalls(3); // panic mode keeps the connection's retries
        Assert.Equal(UpstreamErrors.Retryable().Status, answer.Error?.Status);
        Assert.Equal(BreakerState.Open, _health.Get("a").State);
    }

    [Fact]
    public void Breakers_KeptApartForAtMost1024Models_TheRestShareTheConnections()
    {
        var connection = TestConnections.Create("a", breaker: new BreakerConfig { Failures = 1 });
        var health = _health.Get("a");
        for (var i = 0; i < 2000; i++) health.Breaker("model-" + i, connection.Breaker).OnFailure(connection.Breaker);

        var overflowed = health.Breaker("model-1999", connection.Breaker);

        Assert.Same(overflowed, health.Breaker("yet-another-model", connection.Breaker));
        Assert.NotSame(overflowed, health.Breaker("model-0", connection.Breaker));
    }

    [Fact]
    public async Task RunAsync_RetryBudgetSpent_StopsRetrying()
    {
        Add(TestConnections.Create("a", maxRetries: 2)).ThenFail(UpstreamErrors.Retryable());
        Add(TestConnections.Create("b")).ThenAnswer();
        var health = _health.Get("a");
        var spent = 0;
        while (spent < 100 && health.TryWithdrawRetry()) spent++;
        Assert.InRange(spent, 1, 99);
        var (run, answer) = Start();

        await EndsWithoutWaitingAsync(run);

        AssertCalls(1, 1);
        AssertAnsweredBy("b", answer);
    }

    [Fact]
    public async Task RunAsync_RetryAfterTheRequestTimeoutIsSpent_GetsNoTimeLeft()
    {
        var total = TimeSpan.FromSeconds(10);
        var provider = Add(TestConnections.Create("a", maxRetries: 1, timeouts: new TimeoutsConfig { Total = total })).ThenHang().ThenHang();
        var (run, answer) = Start();

        await provider.NextCallAsync(_guard.Token);
        _time.Advance(total);
        _time.Advance(await _time.NextDelayAsync(_guard.Token));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_guard.Token);
        var next = provider.NextCallAsync(stop.Token).AsTask();
        if (await Task.WhenAny(run, next) == next)
        {
            var secondAttempt = await next;
            var cancelled = secondAttempt.IsCancellationRequested;
            _time.Advance(total); // frees the attempt either way, so the run ends
            Assert.True(cancelled, "The attempt after the request's timeout was given a fresh timeout.");
        }
        else
        {
            await stop.CancelAsync();
        }
        await run.WaitAsync(_guard.Token);
        Assert.Equal(504, answer.Error?.Status);
    }

    public void Dispose()
    {
        _operation.Dispose();
        _guard.Dispose();
    }
}
