using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Observability;
using OaiProxy.Providers;
using OaiProxy.Resilience;
using OaiProxy.Routing;
using OaiProxy.Runtime;

namespace OaiProxy.Pipeline;

/// <summary>
/// Orders a route's targets by its strategy and runs attempts: a retryable failure (transport error, 429, 5xx,
/// timeout) is retried on the same connection up to its <c>max_retries</c> with exponential backoff and jitter
/// (honouring a short Retry-After) while the connection's retry budget allows, then the next target is tried.
/// Connections whose circuit breaker is open are skipped. Nothing is retried once a byte reached the client,
/// because an attempt only succeeds after its first chunk arrived.
/// </summary>
public sealed class AttemptLoop(TimeProvider time, ConnectionHealthRegistry health, ProxyMetrics? metrics = null)
{
    /// <summary>Longest Retry-After honoured by waiting; a longer one moves on to the next target at once.</summary>
    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(100);
    private int _roundRobin;

    public IReadOnlyList<RouteTarget> OrderTargets(CompiledRoute route, string model, GroupConfig group)
    {
        using var span = ProxySpans.StartRoute(route);
        var count = route.Connections.Count;
        var order = new List<int>(count);
        var start = route.Config.Strategy switch
        {
            RouteStrategy.RoundRobin => (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)count),
            RouteStrategy.Weighted => PickWeighted(route.Config.Weights!),
            _ => 0,
        };
        for (var i = 0; i < count; i++) order.Add((start + i) % count);
        if (route.Config.Strategy == RouteStrategy.LeastBusy)
        {
            order.Sort((a, b) => health.Get(route.Connections[a].Name).InFlight.CompareTo(health.Get(route.Connections[b].Name).InFlight));
        }
        else if (route.Config.Strategy == RouteStrategy.LowestLatency)
        {
            // Unmeasured connections sort first, so each gets tried and measured.
            order.Sort((a, b) => (health.Get(route.Connections[a].Name).Latency ?? TimeSpan.Zero)
                .CompareTo(health.Get(route.Connections[b].Name).Latency ?? TimeSpan.Zero));
        }
        var targets = new List<RouteTarget>(count);
        foreach (var index in order)
        {
            if (route.IsAllowed(index, group)) targets.Add(route.Resolve(index, model));
        }
        span?.SetTag(ProxyTelemetry.Targets, string.Join(',', targets.Select(t => t.Connection.Name)));
        return targets;
    }

    private static int PickWeighted(IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        if (total <= 0) return 0;
        var roll = Random.Shared.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            roll -= weights[i];
            if (roll < 0) return i;
        }
        return weights.Count - 1;
    }

    internal async Task<ProxyAnswer> RunAsync(ProxyState state, ProxyOperation operation, IReadOnlyList<RouteTarget> targets,
        IReadOnlyList<KeyValuePair<string, string>> headers, ProxyAnswer outcome, CancellationToken cancellationToken)
    {
        ProxyError? last = null;
        TimeSpan? soonestProbe = null;
        string? failedConnection = null;
        foreach (var target in targets)
        {
            var connection = target.Connection;
            var provider = state.Provider(connection.Name);
            if (!operation.Supports(provider))
            {
                last ??= operation.Unsupported(connection.Name);
                continue;
            }
            var connectionHealth = health.Get(connection.Name);
            connectionHealth.Deposit(connection.Breaker);
            var send = operation.ForTarget(target, headers);
            for (var attempt = 0; attempt <= connection.MaxRetries; attempt++)
            {
                if (!connectionHealth.TryEnter(connection.Breaker))
                {
                    var wait = connectionHealth.RetryAfter;
                    soonestProbe = soonestProbe is null || wait < soonestProbe ? wait : soonestProbe;
                    break;
                }
                outcome.Log.Connection = connection.Name;
                outcome.Log.UpstreamModel = target.UpstreamModel;
                outcome.Log.Attempts++;
                var span = ProxySpans.StartAttempt(connection.Name, target.UpstreamModel, attempt, outcome.Log.Operation);
                var started = time.GetTimestamp();
                ProxyError? error;
                try
                {
                    error = await AttemptAsync(provider, send, connection, outcome, connectionHealth, cancellationToken);
                }
                catch (Exception e)
                {
                    span?.SetTag(ProxyTelemetry.ErrorType, e.GetType().Name);
                    span?.Stop();
                    throw;
                }
                var elapsed = time.GetElapsedTime(started);
                outcome.UpstreamTime += elapsed;
                ProxySpans.FinishAttempt(span, error, keepOpen: error is null && outcome.IsStream);
                if (error is null && outcome.IsStream) outcome.StreamSpan = span;
                metrics?.RecordAttempt(connection.Name, target.UpstreamModel, attempt, failedConnection is not null, failedConnection,
                    error?.Status ?? 200, error is null ? null : error.Code ?? error.Type);
                if (error is null)
                {
                    connectionHealth.OnSuccess(elapsed);
                    return outcome;
                }
                failedConnection = connection.Name;
                connectionHealth.Exit();
                last = error;
                if (!error.IsRetryable)
                {
                    connectionHealth.OnNeutral();
                    return outcome.Fail(error);
                }
                if (error.Status == 429) connectionHealth.OnNeutral(); // a busy upstream is healthy: no ejection
                else connectionHealth.OnFailure(connection.Breaker);
                if (error.Code == ErrorCodes.UpstreamAuth || attempt == connection.MaxRetries) break;
                var backoff = Backoff(attempt, error.RetryAfter);
                if (backoff is null || !connectionHealth.TryWithdrawRetry()) break;
                await Task.Delay(backoff.Value, time, cancellationToken);
            }
        }
        return outcome.Fail(last ?? AllEjected(operation.Model, soonestProbe ?? TimeSpan.FromSeconds(1)));
    }

    private static ProxyError AllEjected(string model, TimeSpan retryAfter) =>
        new(503, ErrorTypes.Unavailable, "upstream_unavailable",
            $"Every connection serving \"{model}\" is failing and was taken out of rotation for a cool-down; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.")
        { RetryAfter = retryAfter };

    private static async ValueTask<ProxyError?> AttemptAsync(IProvider provider, Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> send,
        ConnectionConfig connection, ProxyAnswer outcome, ConnectionHealth connectionHealth, CancellationToken cancellationToken)
    {
        var timeouts = connection.Timeouts;
        using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstByte.CancelAfter(timeouts.FirstByte < timeouts.Total ? timeouts.FirstByte : timeouts.Total);
        ProviderResponse? response = null;
        try
        {
            response = await send(provider, firstByte.Token);
            if (response.Error is not null) return response.Error;
            if (response.Stream is null)
            {
                outcome.Complete(response.Json, connection, response.UpstreamRequestId, response.Usage);
                connectionHealth.Exit();
                return null;
            }
            var hasFirst = await response.Stream.ReadAsync(firstByte.Token);
            if (!hasFirst && response.Stream.Error is { } streamError)
            {
                await response.Stream.DisposeAsync();
                return streamError with { IsRetryable = true };
            }
            // The stream holds the connection busy until the outcome completes.
            outcome.Streaming(response.Stream, hasFirst, connection, response.UpstreamRequestId, connectionHealth);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (response?.Stream is not null) await response.Stream.DisposeAsync();
            return ProxyError.GatewayTimeout(
                $"The upstream of connection \"{connection.Name}\" did not answer within {timeouts.FirstByte.TotalSeconds} s (first_byte_timeout).");
        }
        catch
        {
            if (response?.Stream is not null) await response.Stream.DisposeAsync();
            connectionHealth.Exit();
            connectionHealth.OnNeutral();
            throw;
        }
    }

    private static TimeSpan? Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } after) return after <= MaxRetryWait ? after : null;
        var exponential = BaseBackoff * Math.Pow(2, attempt);
        return exponential * (0.5 + Random.Shared.NextDouble() * 0.5);
    }
}
