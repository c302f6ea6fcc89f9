using System.Diagnostics;
using System.Diagnostics.Metrics;
using OaiProxy.Logging;
using OaiProxy.Resilience;
using OaiProxy.Runtime;

namespace OaiProxy.Observability;

/// <summary>
/// The proxy's instruments, on one <see cref="Meter"/> named <see cref="ProxyTelemetry.SourceName"/> created by
/// the app's <see cref="IMeterFactory"/>. Request-level metrics are recorded from finished log entries by
/// <see cref="MetricsRequestLogger"/> off the request path; the request path only adds to counters for attempts,
/// retries and fallbacks (free when nothing listens); gauges are read at scrape time.
/// </summary>
internal sealed class ProxyMetrics
{
    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
    };

    private static readonly InstrumentAdvice<double> FirstTokenBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    private static readonly InstrumentAdvice<double> OverheadBuckets = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    };

    private static readonly InstrumentAdvice<long> TokenBuckets = new()
    {
        HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864],
    };

    public ProxyMetrics(IMeterFactory meterFactory, RequestTracker tracker, ConnectionHealthRegistry health, LogDispatcher logs)
    {
        var meter = meterFactory.Create(ProxyTelemetry.SourceName);
        Requests = meter.CreateCounter<long>("oaiproxy.requests", "{request}", "Finished requests.");
        Duration = meter.CreateHistogram("gen_ai.client.operation.duration", "s",
            "Time from the request's arrival to its last byte, upstream time included.", advice: DurationBuckets);
        TimeToFirstToken = meter.CreateHistogram("gen_ai.server.time_to_first_token", "s",
            "Time from the request's arrival to the first chunk (streams) or the whole answer (JSON).", advice: FirstTokenBuckets);
        Overhead = meter.CreateHistogram("oaiproxy.overhead.duration", "s",
            "Time the proxy added to a response, upstream waits excluded (the x-oaiproxy-overhead-ms header).", advice: OverheadBuckets);
        TokenUsage = meter.CreateHistogram("gen_ai.client.token.usage", "{token}",
            "Input and output tokens per request, as the upstream reported them.", advice: TokenBuckets);
        Tokens = meter.CreateCounter<long>("oaiproxy.tokens", "{token}", "Tokens by type: input, output, cached (input) and reasoning (output).");
        Cost = meter.CreateCounter<double>("oaiproxy.cost.usd", "{USD}", "Cost in US dollars, for requests whose price is known.");
        Rejections = meter.CreateCounter<long>("oaiproxy.rejections", "{request}", "Requests refused by the proxy itself: auth, rate_limit, permission.");
        Attempts = meter.CreateCounter<long>("oaiproxy.upstream.attempts", "{attempt}", "Upstream attempts and how each ended.");
        Retries = meter.CreateCounter<long>("oaiproxy.upstream.retries", "{attempt}", "Attempts that retried the same connection.");
        Fallbacks = meter.CreateCounter<long>("oaiproxy.upstream.fallbacks", "{attempt}", "Attempts that moved on to the next connection of the route.");
        meter.CreateObservableUpDownCounter("oaiproxy.requests.in_flight", () => (long)tracker.InFlight, "{request}", "Requests being served.");
        meter.CreateObservableUpDownCounter("oaiproxy.streams.in_flight", () => (long)tracker.StreamsInFlight, "{stream}", "Streams being relayed.");
        meter.CreateObservableGauge("oaiproxy.log.queue.depth", () => logs.QueueDepth, "{entry}", "Finished requests waiting for their loggers.");
        meter.CreateObservableUpDownCounter("oaiproxy.connection.in_flight", () => PerConnection(health, h => h.InFlight), "{attempt}",
            "Attempts and streams in flight per connection.");
        meter.CreateObservableGauge("oaiproxy.connection.consecutive_failures", () => PerConnection(health, h => h.ConsecutiveFailures), "{attempt}",
            "Failed attempts in a row per connection (the circuit breaker's count).");
        meter.CreateObservableGauge("oaiproxy.connection.breaker.state", () => BreakerStates(health), "1",
            "1 for the breaker state each connection is in (closed, open, half_open), 0 for the others.");
    }

    internal Counter<long> Requests { get; }

    internal Histogram<double> Duration { get; }

    internal Histogram<double> TimeToFirstToken { get; }

    internal Histogram<double> Overhead { get; }

    internal Histogram<long> TokenUsage { get; }

    internal Counter<long> Tokens { get; }

    internal Counter<double> Cost { get; }

    internal Counter<long> Rejections { get; }

    internal Counter<long> Attempts { get; }

    internal Counter<long> Retries { get; }

    internal Counter<long> Fallbacks { get; }

    /// <summary>Counts one finished upstream attempt; <paramref name="errorType"/> is null on success.</summary>
    internal void RecordAttempt(string connection, string upstreamModel, int attempt, bool fallback, string? fallbackFrom, int status, string? errorType)
    {
        if (Attempts.Enabled)
        {
            var tags = new TagList
            {
                { ProxyTelemetry.Connection, connection },
                { ProxyTelemetry.UpstreamModel, upstreamModel },
                { ProxyTelemetry.StatusCode, BoxedStatus.Of(status) },
            };
            if (errorType is not null) tags.Add(ProxyTelemetry.ErrorType, errorType);
            Attempts.Add(1, tags);
        }
        if (attempt > 0 && Retries.Enabled) Retries.Add(1, new KeyValuePair<string, object?>(ProxyTelemetry.Connection, connection));
        if (fallback && attempt == 0 && Fallbacks.Enabled)
        {
            Fallbacks.Add(1, new KeyValuePair<string, object?>(ProxyTelemetry.Connection, connection),
                new KeyValuePair<string, object?>(ProxyTelemetry.FallbackFrom, fallbackFrom));
        }
    }

    private static IEnumerable<Measurement<long>> PerConnection(ConnectionHealthRegistry health, Func<ConnectionHealth, long> value)
    {
        foreach (var h in health.All) yield return new Measurement<long>(value(h), new KeyValuePair<string, object?>(ProxyTelemetry.Connection, h.Name));
    }

    private static IEnumerable<Measurement<int>> BreakerStates(ConnectionHealthRegistry health)
    {
        foreach (var h in health.All)
        {
            var state = h.State;
            var connection = new KeyValuePair<string, object?>(ProxyTelemetry.Connection, h.Name);
            yield return new Measurement<int>(state == BreakerState.Closed ? 1 : 0, connection, new(ProxyTelemetry.BreakerState, "closed"));
            yield return new Measurement<int>(state == BreakerState.Open ? 1 : 0, connection, new(ProxyTelemetry.BreakerState, "open"));
            yield return new Measurement<int>(state == BreakerState.HalfOpen ? 1 : 0, connection, new(ProxyTelemetry.BreakerState, "half_open"));
        }
    }
}
