using System.Collections.Concurrent;
using System.Globalization;
using OaiProxy.Configuration;
using OaiProxy.Errors;

namespace OaiProxy.Hooks;

/// <summary>
/// lm-proxy's <c>RateLimiter</c> handler: a sliding window of <c>max_requests</c> per <c>window_seconds</c>, kept
/// per api_key, connection, group, ip or globally (<c>per</c>). Rejections are 429 with Retry-After.
/// </summary>
internal sealed class RateLimiter : IRequestHandler
{
    private static readonly Dictionary<string, string> Scopes = new(StringComparer.Ordinal)
    {
        ["api_key"] = "api_key", ["connection"] = "connection", ["group"] = "group", ["ip"] = "ip", ["global"] = "global",
    };

    private readonly int _maxRequests;
    private readonly TimeSpan _window;
    private readonly string _per;
    private readonly int _maxBuckets;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Queue<long>> _buckets = new(StringComparer.Ordinal);

    private RateLimiter(int maxRequests, TimeSpan window, string per, int maxBuckets, TimeProvider time)
    {
        _maxRequests = maxRequests;
        _window = window;
        _per = per;
        _maxBuckets = maxBuckets;
        _time = time;
    }

    public static RateLimiter Create(ConfigSection settings, TimeProvider time) => new(
        settings.Int("max_requests", 60, 1),
        settings.Seconds("window_seconds", TimeSpan.FromSeconds(60))!.Value,
        settings.Enum("per", "api_key", Scopes),
        settings.Int("max_buckets", 10_000, 1),
        time);

    public ValueTask<ProxyError?> HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var key = _per switch
        {
            "connection" => context.Connection,
            "group" => context.Group,
            "ip" => context.RemoteAddress ?? "anon",
            "global" => "global",
            _ => context.ApiKeyId ?? "anon",
        };
        var now = _time.GetTimestamp();
        var windowTicks = (long)(_window.TotalSeconds * _time.TimestampFrequency);
        if (_buckets.Count > _maxBuckets) Sweep(now - windowTicks);
        var bucket = _buckets.GetOrAdd(key, _ => new Queue<long>());
        lock (bucket)
        {
            while (bucket.Count > 0 && bucket.Peek() <= now - windowTicks) bucket.Dequeue();
            if (bucket.Count >= _maxRequests)
            {
                var retryAfter = TimeSpan.FromSeconds(Math.Ceiling((bucket.Peek() + windowTicks - now) / (double)_time.TimestampFrequency));
                return ValueTask.FromResult<ProxyError?>(new ProxyError(429, ErrorTypes.RateLimit, ErrorCodes.RateLimitExceeded,
                    $"Rate limit exceeded: {_maxRequests} requests per {_window.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; retry after {retryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.")
                { RetryAfter = retryAfter });
            }
            bucket.Enqueue(now);
        }
        return ValueTask.FromResult<ProxyError?>(null);
    }

    private void Sweep(long cutoff)
    {
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (bucket.Count == 0 || bucket.Last() <= cutoff) _buckets.TryRemove(key, out _);
            }
        }
    }
}
