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
/// Connections whose circuit breaker is open are skipped. Nothing is retried once a byte reached the client,
/// because an attempt only succeeds after its first event arrived.
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
                answer.Log.Connection = connection.Name;
                answer.Log.UpstreamModel = target.UpstreamModel;
                answer.Log.Attempts++;
                var span = ProxySpans.StartAttempt(connection.Name, target.UpstreamModel, attempt, answer.Log.Operation);
                var started = time.GetTimestamp();
                ProxyError? error;
                try
                {
                    error = await AttemptAsync(provider, send, connection, answer, connectionHealth, state.CapturesResponses, cancellationToken);
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
                metrics?.RecordAttempt(connection.Name, target.UpstreamModel, attempt, failedConnection is not null, failedConnection,
                    error?.Status ?? 200, error is null ? null : error.Code ?? error.Type);
                if (error is null)
                {
                    connectionHealth.OnSuccess(elapsed);
                    return;
                }
                failedConnection = connection.Name;
                connectionHealth.Exit();
                last = error;
                if (!error.IsRetryable)
                {
                    connectionHealth.OnNeutral();
                    answer.Fail(error);
                    return;
                }
                if (error.Status == 429) connectionHealth.OnNeutral(); // a busy upstream is healthy: no ejection
                else connectionHealth.OnFailure(connection.Breaker);
                if (error.Code == ErrorCodes.UpstreamAuth || attempt == connection.MaxRetries) break;
                var backoff = Backoff(attempt, error.RetryAfter);
                if (backoff is null || !connectionHealth.TryWithdrawRetry()) break;
                await Task.Delay(backoff.Value, time, cancellationToken);
            }
        }
        answer.Fail(last ?? AllEjected(operation.Model, soonestProbe ?? TimeSpan.FromSeconds(1)));
    }

    private static ProxyError AllEjected(string model, TimeSpan retryAfter) =>
        new(503, ErrorTypes.Unavailable, "upstream_unavailable",
            $"Every connection serving \"{model}\" is failing and was taken out of rotation for a cool-down; retry after {Math.Ceiling(retryAfter.TotalSeconds)} s.")
        { RetryAfter = retryAfter };

    private async ValueTask<ProxyError?> AttemptAsync(IProvider provider, Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> send,
        ConnectionConfig connection, ProxyAnswer answer, ConnectionHealth connectionHealth, bool captureEvents, CancellationToken cancellationToken)
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
            answer.Streaming(response.Stream, hasFirst, connection, response.UpstreamRequestId, connectionHealth, captureEvents, cancellationToken);
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
