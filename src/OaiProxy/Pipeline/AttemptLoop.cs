using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Observability;
using OaiProxy.Providers;
using OaiProxy.Resilience;
using OaiProxy.Routing;
using OaiProxy.Runtime;

namespace OaiProxy.Pipeline;

/// <summary>
/// Runs the attempts of one request over its ordered targets: a retryable failure (transport error, 429, 5xx,
/// timeout) is retried on the same connection up to its <c>max_retries</c> with exponential backoff and jitter
/// (honouring a short Retry-After) while the connection's retry budget allows, then the next target is tried.
/// Targets whose circuit breaker (per deployment, or per connection) is open are skipped, unless every target is:
/// then the least recently failed one is tried anyway. Nothing is retried once a byte reached the client, because
/// an attempt only succeeds after its first event arrived. Every error an attempt brings back is scrubbed of the
/// config's secrets here, before the client, the metrics, the spans or the log see it.
/// </summary>
internal sealed class AttemptLoop(TimeProvider time, ConnectionHealthRegistry health, ProxyMetrics? metrics = null)
{
    /// <summary>Longest Retry-After honoured by waiting; a longer one moves on to the next target at once.</summary>
    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs attempts until one answers; the answer, or the last error, ends up in <paramref name="answer"/>.</summary>
    public async Task RunAsync(ProxyState state, ProxyOperation operation, IReadOnlyList<RouteTarget> targets,
        IReadOnlyList<KeyValuePair<string, string>> headers, ProxyAnswer answer, CancellationToken cancellationToken)
    {
        var trail = new Trail { Group = answer.Log.Group is { } groupName ? state.Group(groupName) : null };
        List<(RouteTarget Target, CircuitBreaker Breaker)>? ejected = null;
        foreach (var target in targets)
        {
            var provider = state.Provider(target.Connection.Name);
            if (!operation.Supports(provider))
            {
                trail.Last ??= operation.Unsupported(target.Connection.Name);
                continue;
            }
            var breaker = health.Get(target.Connection.Name).Breaker(target.UpstreamModel, target.Connection.Breaker);
            if (!breaker.TryEnter(target.Connection.Breaker))
            {
                (ejected ??= []).Add((target, breaker));
                continue;
            }
            trail.Attempted = true;
            if (await RunTargetAsync(state, operation, target, provider, breaker, panic: false, headers, answer, trail, cancellationToken)) return;
        }
        // Panic mode, as Envoy's: when every target is ejected, refusing would turn a degraded upstream into an
        // outage of the route, so the one that failed longest ago gets the request anyway.
        if (!trail.Attempted && ejected is not null)
        {
            var (target, breaker) = ejected.MinBy(e => e.Breaker.LastFailure);
            var provider = state.Provider(target.Connection.Name);
            if (await RunTargetAsync(state, operation, target, provider, breaker, panic: true, headers, answer, trail, cancellationToken)) return;
        }
        answer.Fail(trail.Last ?? NoTarget(operation.Model));
    }

    private static ProxyError NoTarget(string model) =>
        new(503, ErrorTypes.Unavailable, "upstream_unavailable", $"No connection could take the request for \"{model}\"; retry shortly.")
        { RetryAfter = TimeSpan.FromSeconds(1) };

    /// <summary>
    /// The attempts on one target, its first already admitted by <paramref name="breaker"/> (or forced, in panic
    /// mode); true when the request is finished (answered, or refused for good), false to try the next target.
    /// </summary>
    private async Task<bool> RunTargetAsync(ProxyState state, ProxyOperation operation, RouteTarget target, IProvider provider,
        CircuitBreaker breaker, bool panic, IReadOnlyList<KeyValuePair<string, string>> headers, ProxyAnswer answer, Trail trail,
        CancellationToken cancellationToken)
    {
        var connection = target.Connection;
        var connectionHealth = health.Get(connection.Name);
        connectionHealth.Deposit(connection.Breaker);
        var send = operation.ForTarget(target, ClientHeaderGate.For(headers, connection, trail.Group));
        for (var attempt = 0; attempt <= connection.MaxRetries; attempt++)
        {
            if (attempt > 0 && !panic && !breaker.TryEnter(connection.Breaker)) return false;
            connectionHealth.Enter();
            answer.Log.Connection = connection.Name;
            answer.Log.UpstreamModel = target.UpstreamModel;
            answer.Log.Attempts++;
            var span = ProxySpans.StartAttempt(connection.Name, target.UpstreamModel, attempt, answer.Log.Operation);
            var started = time.GetTimestamp();
            ProxyError? error;
            try
            {
                error = await AttemptAsync(provider, send, connection, answer, connectionHealth, breaker, state, cancellationToken);
                if (error is not null) error = state.Secrets.Scrub(error);
            }
            catch (Exception e)
            {
                span?.SetTag(ProxyTelemetry.ErrorType, e.GetType().Name);
                span?.Stop();
                throw;
            }
            var elapsed = time.GetElapsedTime(started);
            answer.UpstreamTime += elapsed;
            ProxySpans.FinishAttempt(span, error, keepOpen: error is null && answer.IsStream);
            if (error is null && answer.IsStream) answer.StreamSpan = span;
            metrics?.RecordAttempt(connection.Name, target.UpstreamModel, attempt, trail.FailedConnection is not null, trail.FailedConnection,
                error?.Status ?? 200, error is null ? null : ErrorLabels.Of(error));
            if (error is null)
            {
                connectionHealth.RecordLatency(elapsed);
                breaker.OnSuccess();
                return true;
            }
            trail.FailedConnection = connection.Name;
            connectionHealth.Exit();
            trail.Last = error;
            if (!error.IsRetryable)
            {
                breaker.OnNeutral();
                answer.Fail(error);
                return true;
            }
            if (error.Status == 429) breaker.OnNeutral(); // a busy upstream is healthy: no ejection
            else breaker.OnFailure(connection.Breaker);
            if (error.Code == ErrorCodes.UpstreamAuth || attempt == connection.MaxRetries) break;
            var backoff = Backoff(attempt, error.RetryAfter);
            if (backoff is null || !connectionHealth.TryWithdrawRetry()) break;
            await Task.Delay(backoff.Value, time, cancellationToken);
        }
        return false;
    }

    /// <summary>What the attempts of one request have left behind so far.</summary>
    private sealed class Trail
    {
        public ProxyError? Last { get; set; }

        public string? FailedConnection { get; set; }

        public bool Attempted { get; set; }

        /// <summary>The caller's group, whose header allowances join each connection's.</summary>
        public GroupConfig? Group { get; init; }
    }

    private async ValueTask<ProxyError?> AttemptAsync(IProvider provider, Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> send,
        ConnectionConfig connection, ProxyAnswer answer, ConnectionHealth connectionHealth, CircuitBreaker breaker, ProxyState state,
        CancellationToken cancellationToken)
    {
        using var deadlines = UpstreamDeadlines.ForAttempt(connection.Timeouts, time, answer.Started, cancellationToken);
        ProviderResponse? response = null;
        try
        {
            response = await send(provider, deadlines.Token);
            if (response.Error is not null) return response.Error;
            if (response.Stream is null)
            {
                answer.Complete(response.Json, response.UpstreamRequestId, response.Usage);
                connectionHealth.Exit();
                return null;
            }
            var hasFirst = await response.Stream.ReadAsync(deadlines.Token);
            if (!hasFirst && response.Stream.Error is { } streamError)
            {
                answer.Abandon();
                await response.Stream.DisposeAsync();
                return streamError with { IsRetryable = true };
            }
            // The stream holds the connection busy until the answer is released.
            answer.Streaming(response.Stream, hasFirst, connection, response.UpstreamRequestId, connectionHealth, state.CapturesResponses, state.Secrets,
                cancellationToken);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The upstream took the request and may be generating: its work is billed though no answer came.
            answer.Abandon();
            if (response?.Stream is not null) await response.Stream.DisposeAsync();
            return deadlines.FirstByteExceeded(connection.Name);
        }
        catch
        {
            if (cancellationToken.IsCancellationRequested) answer.Abandon(); // the client left while the upstream worked
            if (response?.Stream is not null) await response.Stream.DisposeAsync();
            connectionHealth.Exit();
            breaker.OnNeutral();
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
