using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OaiProxy.Diagnostics;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Access tokens for a Vertex AI connection. A token is reused until shortly before it expires; inside the refresh
/// window one background exchange (single-flight) fetches the next token while requests keep using the current,
/// still valid one. Only when there is no valid token at all does a request wait, and then it shares the one
/// exchange in flight instead of starting its own.
/// </summary>
internal sealed partial class GoogleAccessTokenSource : IDisposable
{
    /// <summary>A token is refreshed this long before it expires (at most half its lifetime).</summary>
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromMinutes(5);

    /// <summary>A token this close to its expiry is not used any more: the request could outlive it.</summary>
    public static readonly TimeSpan ExpirySafety = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(5);

    private readonly GoogleServiceAccount _account;
    private readonly RSA _key;
    private readonly Uri _tokenUri;
    private readonly HttpMessageInvoker _http;
    private readonly TimeProvider _time;
    private readonly string _connection;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private Token? _current;
    private DateTimeOffset _nextBackgroundAttempt;
    private Task<(Token? Token, ProxyError? Error)>? _inFlight;

    private sealed record Token(string Value, DateTimeOffset RefreshAt, DateTimeOffset UnusableAt);

    public GoogleAccessTokenSource(GoogleServiceAccount account, Uri tokenUri, HttpMessageInvoker http, TimeProvider time,
        string connection, ILogger logger)
    {
        _account = account;
        _key = RSA.Create();
        _key.ImportFromPem(account.PrivateKeyPem);
        _tokenUri = tokenUri;
        _http = http;
        _time = time;
        _connection = connection;
        _logger = logger;
    }

    /// <summary>Number of exchanges started, for diagnostics and tests.</summary>
    public int Exchanges => _exchanges;

    private int _exchanges;

    /// <summary>The exchange in flight, or a completed task; lets tests wait for a background refresh to land.</summary>
    internal Task PendingRefresh
    {
        get
        {
            lock (_gate) return _inFlight ?? Task.CompletedTask;
        }
    }

    /// <summary>A valid access token, or the error that prevented getting one.</summary>
    public async ValueTask<(string? Token, ProxyError? Error)> GetAsync(CancellationToken cancellationToken)
    {
        Task<(Token? Token, ProxyError? Error)> pending;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_current is { } current && now < current.UnusableAt)
            {
                if (now >= current.RefreshAt && now >= _nextBackgroundAttempt && _inFlight is null) _inFlight = StartExchange();
                return (current.Value, null);
            }
            pending = _inFlight ??= StartExchange();
        }
        var (token, error) = await pending.WaitAsync(cancellationToken);
        return (token?.Value, error);
    }

    private Task<(Token?, ProxyError?)> StartExchange()
    {
        Interlocked.Increment(ref _exchanges);
        // Run off the caller's stack: the exchange belongs to the connection, not to the request that noticed it.
        return Task.Run(ExchangeAndStoreAsync);
    }

    private async Task<(Token?, ProxyError?)> ExchangeAndStoreAsync()
    {
        (Token? Token, ProxyError? Error) result;
        try
        {
            result = await ExchangeAsync(_disposed.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            result = (null, ProxyError.BadGateway($"Connection \"{_connection}\" is shutting down."));
        }
        lock (_gate)
        {
            if (result.Token is not null) _current = result.Token;
            // A failing token endpoint is retried by the next request at most every few seconds, not by every request.
            else _nextBackgroundAttempt = _time.GetUtcNow() + FailureBackoff;
            _inFlight = null;
        }
        if (result.Error is not null) LogExchangeFailed(_logger, _connection, result.Error.Message);
        else LogTokenRefreshed(_logger, _connection);
        return result;
    }

    private async Task<(Token?, ProxyError?)> ExchangeAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var assertion = GoogleJwt.CreateAssertion(_account, _key, _tokenUri.ToString(), now);
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenUri)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                new("assertion", assertion),
            ]),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var (response, error) = await UpstreamHttp.SendAsync(_http, request, _connection, timeout.Token);
        if (error is not null) return (null, error with { Message = $"Could not get a Google access token: {error.Message}" });
        using (response)
        {
            var body = await UpstreamHttp.ReadBoundedAsync(response!.Content, UpstreamHttp.MaxErrorBytes, timeout.Token);
            if (!UpstreamHttp.IsSuccess(response.StatusCode))
            {
                return (null, Failure($"the token endpoint answered HTTP {(int)response.StatusCode}{Describe(body)}", (int)response.StatusCode >= 500));
            }
            return Parse(body, now);
        }
    }

    private (Token?, ProxyError?) Parse(byte[]? body, DateTimeOffset now)
    {
        try
        {
            using var doc = JsonDocument.Parse(body ?? []);
            var root = doc.RootElement;
            if (root.TryGetProperty("access_token", out var value) && value.ValueKind == JsonValueKind.String &&
                value.GetString() is { Length: > 0 } token)
            {
                var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : GoogleJwt.Lifetime;
                var window = lifetime / 2 < RefreshWindow ? lifetime / 2 : RefreshWindow;
                var safety = lifetime / 10 < ExpirySafety ? lifetime / 10 : ExpirySafety;
                return (new Token(token, now + lifetime - window, now + lifetime - safety), null);
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }
        return (null, Failure("the token endpoint's answer has no access_token", retryable: true));
    }

    private ProxyError Failure(string detail, bool retryable) =>
        new(502, ErrorTypes.Upstream, ErrorCodes.UpstreamAuth,
            $"Could not get a Google access token for connection \"{_connection}\": {detail}; the proxy operator must check the service account.")
        { IsRetryable = retryable };

    private static string Describe(byte[]? body)
    {
        if (body is null || body.Length == 0) return "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
            {
                var text = root.TryGetProperty("error_description", out var d) ? $"{e.GetString()}: {d}" : e.GetString();
                return $" ({text})";
            }
        }
        catch (JsonException)
        {
            // Not JSON: the status says enough.
        }
        return "";
    }

    [LoggerMessage(EventId = LogEvents.GoogleTokenRefreshed, Level = LogLevel.Debug, Message = "Connection {Connection} obtained a new Google access token.")]
    private static partial void LogTokenRefreshed(ILogger logger, string connection);

    [LoggerMessage(EventId = LogEvents.GoogleTokenFailed, Level = LogLevel.Warning, Message = "Connection {Connection} could not obtain a Google access token: {Reason}")]
    private static partial void LogExchangeFailed(ILogger logger, string connection, string reason);

    public void Dispose()
    {
        // The CTS is not disposed: an exchange still running reads its token.
        _disposed.Cancel();
        _key.Dispose();
    }
}
