using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;
using OaiProxy.State;

namespace OaiProxy.Forwarding;

/// <summary>
/// Orders a route's targets by its strategy and runs attempts: a retryable failure (transport error, 429, 5xx,
/// timeout) is retried on the same connection up to its <c>max_retries</c> with exponential backoff and jitter
/// (honouring a short Retry-After), then the next target is tried. Nothing is retried once a byte reached the
/// client, because an attempt only succeeds after its first chunk arrived.
/// </summary>
public sealed class AttemptPolicy(TimeProvider time)
{
    /// <summary>Longest Retry-After honoured by waiting; a longer one moves on to the next target at once.</summary>
    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(100);
    private int _roundRobin;

    public IReadOnlyList<RouteTarget> OrderTargets(CompiledRoute route, string model, GroupConfig group)
    {
        var count = route.Connections.Count;
        var start = route.Config.Strategy switch
        {
            RouteStrategy.RoundRobin => (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)count),
            RouteStrategy.Weighted => PickWeighted(route.Config.Weights!),
            _ => 0,
        };
        var targets = new List<RouteTarget>(count);
        for (var i = 0; i < count; i++)
        {
            var index = (start + i) % count;
            if (group.Allows(route.Connections[index].Name)) targets.Add(route.Resolve(index, model));
        }
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

    internal async Task<ChatOutcome> RunAsync(ProxyState state, ChatRequest chat, IReadOnlyList<RouteTarget> targets,
        IReadOnlyList<KeyValuePair<string, string>> headers, ChatOutcome outcome, CancellationToken cancellationToken)
    {
        ProxyError? last = null;
        foreach (var target in targets)
        {
            var connection = target.Connection;
            outcome.Log.Connection = connection.Name;
            outcome.Log.UpstreamModel = target.UpstreamModel;
            for (var attempt = 0; attempt <= connection.MaxRetries; attempt++)
            {
                outcome.Log.Attempts++;
                var request = new UpstreamRequest { Chat = chat, UpstreamModel = target.UpstreamModel, Connection = connection, ExtraHeaders = headers };
                var error = await AttemptAsync(state.Provider(connection.Name), request, outcome, cancellationToken);
                if (error is null) return outcome;
                last = error;
                if (!error.IsRetryable) return outcome.Fail(error);
                if (error.Code == ErrorCodes.UpstreamAuth || attempt == connection.MaxRetries) break;
                var wait = Backoff(attempt, error.RetryAfter);
                if (wait is null) break;
                await Task.Delay(wait.Value, time, cancellationToken);
            }
        }
        return outcome.Fail(last!);
    }

    private static async ValueTask<ProxyError?> AttemptAsync(IChatProvider provider, UpstreamRequest request, ChatOutcome outcome, CancellationToken cancellationToken)
    {
        var timeouts = request.Connection.Timeouts;
        using var firstByte = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        firstByte.CancelAfter(timeouts.FirstByte < timeouts.Total ? timeouts.FirstByte : timeouts.Total);
        ProviderResponse? response = null;
        try
        {
            response = await provider.ChatAsync(request, firstByte.Token);
            if (response.Error is not null) return response.Error;
            if (response.Stream is null)
            {
                outcome.Complete(response.Json, request.Connection, response.UpstreamRequestId);
                return null;
            }
            var hasFirst = await response.Stream.ReadAsync(firstByte.Token);
            if (!hasFirst && response.Stream.Error is { } streamError)
            {
                await response.Stream.DisposeAsync();
                return streamError with { IsRetryable = true };
            }
            outcome.Streaming(response.Stream, hasFirst, request.Connection, response.UpstreamRequestId);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (response?.Stream is not null) await response.Stream.DisposeAsync();
            return ProxyError.GatewayTimeout(
                $"The upstream of connection \"{request.Connection.Name}\" did not answer within {timeouts.FirstByte.TotalSeconds} s (first_byte_timeout).");
        }
        catch
        {
            if (response?.Stream is not null) await response.Stream.DisposeAsync();
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
