using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Configuration;

namespace OaiProxy.Auth;

/// <summary>
/// Validates a key by calling a URL (lm-proxy's <c>CheckAPIKeyWithRequest</c>), such as an OIDC userinfo endpoint:
/// a 2xx answer accepts the key; the group can come from a field of the JSON answer. Answers are cached by key
/// digest for <c>cache_ttl</c> seconds when <c>use_cache</c> is on.
/// </summary>
internal sealed class HttpApiKeyValidator : IApiKeyValidator, IDisposable
{
    private readonly HttpClient _http;
    private readonly Settings _settings;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (AuthResult? Result, long ExpiresAt)> _cache = new(StringComparer.Ordinal);

    internal sealed record Settings(string Url, string Method, IReadOnlyDictionary<string, string> Headers,
        bool ResponseAsUserInfo, string? GroupField, string DefaultGroup, string KeyPlaceholder, bool UseCache,
        int CacheSize, TimeSpan CacheTtl, TimeSpan Timeout);

    public HttpApiKeyValidator(Settings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = settings.Timeout };
    }

    public static Settings Read(ConfigSection s) => new(
        Url: s.String("url") ?? Missing(s, "url"),
        Method: (s.String("method", "get") ?? "get").ToUpperInvariant(),
        Headers: s.StringMap("headers"),
        ResponseAsUserInfo: s.Bool("response_as_user_info", false),
        GroupField: s.String("group_field"),
        DefaultGroup: s.String("default_group", "default")!,
        KeyPlaceholder: s.String("key_placeholder", "{api_key}")!,
        UseCache: s.Bool("use_cache", false),
        CacheSize: s.Int("cache_size", 16 * 1024, 1),
        CacheTtl: s.Seconds("cache_ttl", TimeSpan.FromMinutes(5))!.Value,
        Timeout: s.Seconds("timeout", TimeSpan.FromSeconds(5))!.Value);

    private static string Missing(ConfigSection s, string key)
    {
        s.Errors.Add(s.PathOf(key), "The HTTP key check needs url = \"https://...\" (\"{api_key}\" in it or in headers is replaced by the key).");
        return "http://invalid";
    }

    public async ValueTask<AuthResult?> ValidateAsync(string apiKey, CancellationToken cancellationToken)
    {
        var cacheKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
        var now = _time.GetTimestamp();
        if (_settings.UseCache && _cache.TryGetValue(cacheKey, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Result;
        }
        var result = await CallAsync(apiKey, cancellationToken);
        if (_settings.UseCache)
        {
            if (_cache.Count >= _settings.CacheSize) Evict(now);
            _cache[cacheKey] = (result, now + (long)(_settings.CacheTtl.TotalSeconds * _time.TimestampFrequency));
        }
        return result;
    }

    /// <summary>Largest user-info answer of the validation service read; a larger one rejects the key.</summary>
    public const int MaxUserInfoBytes = 1024 * 1024;

    private async ValueTask<AuthResult?> CallAsync(string apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(_settings.Method),
            _settings.Url.Replace(_settings.KeyPlaceholder, Uri.EscapeDataString(apiKey), StringComparison.Ordinal));
        foreach (var (name, value) in _settings.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value.Replace(_settings.KeyPlaceholder, apiKey, StringComparison.Ordinal));
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode) return null;
            if (!_settings.ResponseAsUserInfo) return new AuthResult(_settings.DefaultGroup);
            // Bounded: a validation service that answers with megabytes must not cost the proxy its memory.
            await response.Content.LoadIntoBufferAsync(MaxUserInfoBytes, cancellationToken);
            var userInfo = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var group = _settings.GroupField is not null && userInfo is JsonObject obj && obj[_settings.GroupField] is JsonValue g
                ? g.ToString()
                : _settings.DefaultGroup;
            return new AuthResult(group, userInfo);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Evict(long now)
    {
        foreach (var (key, entry) in _cache)
        {
            if (entry.ExpiresAt <= now) _cache.TryRemove(key, out _);
        }
        if (_cache.Count >= _settings.CacheSize) _cache.Clear();
    }

    public void Dispose() => _http.Dispose();
}
