using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Diagnostics;
using OaiProxy.Runtime;
using StackExchange.Redis;

namespace OaiProxy.Limits;

/// <summary>
/// Owns the Redis connection when <c>redis_url</c> is set: connects at start-up without waiting for Redis to be
/// up (it reconnects by itself), chooses the limit store, and carries key-change signals over pub/sub.
/// Without <c>redis_url</c> the store is this process's memory.
/// </summary>
internal sealed partial class RedisLink(ProxyRuntime runtime, KeyChangeSignal signal, TimeProvider time, ILogger<RedisLink> logger)
    : IHostedService, IAsyncDisposable
{
    private ConnectionMultiplexer? _redis;
    private ILimitStore? _store;
    private PermitPoolStore? _pools;

    /// <summary>The store requests use; in memory until (and unless) Redis is configured.</summary>
    public ILimitStore Store => _store ?? Local;

    public MemoryLimitStore Local { get; } = new();

    /// <summary>Settlements requests did not wait for; stopping waits for them.</summary>
    public PendingSettlements Settlements { get; } = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = runtime.Current.Config.Redis;
        // A separate method: without redis_url no code touching StackExchange.Redis is compiled, so it never loads.
        return settings.Url is null ? Task.CompletedTask : ConnectAsync(settings, settings.Url, cancellationToken);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task ConnectAsync(RedisConfig settings, string url, CancellationToken cancellationToken)
    {
        var options = RedisUrl.Parse(url);
        var timeoutMs = (int)Math.Max(50, settings.Timeout.TotalMilliseconds);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Max(timeoutMs, 1000);
        options.AsyncTimeout = timeoutMs;
        options.SyncTimeout = timeoutMs;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new LinearRetry(250);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName = "oai-proxy";
        _redis = await ConnectionMultiplexer.ConnectAsync(options);
        var channel = RedisChannel.Literal(settings.KeyPrefix + "keys-changed");
        var subscriber = _redis.GetSubscriber();
        try
        {
            await subscriber.SubscribeAsync(channel, (_, _) => signal.Raise()).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The multiplexer re-subscribes when it reconnects; key polling covers the gap.
            LogNotConnected(logger, e.Message);
        }
        signal.UsePublisher(() =>
        {
            signal.Raise();
            _ = subscriber.PublishAsync(channel, "1", CommandFlags.FireAndForget);
        });
        var shared = new FailoverLimitStore(new RedisLimitStore(_redis.GetDatabase(), settings.KeyPrefix), Local, settings, time, logger);
        _store = _pools = new PermitPoolStore(shared, time, Settlements);
        LogConnected(logger, _redis.IsConnected ? "connected" : "not reachable yet, retrying in the background", settings.FailurePolicy.ToString());
    }

    /// <summary>After the server stopped taking requests: unused permits go back, then every settlement lands.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var bound = runtime.Current.Config.Redis.Timeout * 4;
        await Settlements.DrainAsync(bound); // refills still on their way land in their pools first
        if (_pools is not null) await _pools.DisposeAsync();
        await Settlements.DrainAsync(bound);
    }

    public async ValueTask DisposeAsync()
    {
        signal.UsePublisher(null);
        if (_redis is not null) await _redis.DisposeAsync();
    }

    [LoggerMessage(EventId = LogEvents.RedisConnected, Level = LogLevel.Information, Message = "Rate limits are shared through Redis ({State}); failure policy {Policy}.")]
    private static partial void LogConnected(ILogger logger, string state, string policy);

    [LoggerMessage(EventId = LogEvents.RedisNotSubscribed, Level = LogLevel.Warning, Message = "Cannot subscribe to key changes on Redis yet ({Reason}); key changes still apply within a second by polling.")]
    private static partial void LogNotConnected(ILogger logger, string reason);
}
