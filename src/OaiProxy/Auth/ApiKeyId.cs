using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using OaiProxy.Configuration;

namespace OaiProxy.Auth;

/// <summary>
/// The loggable id of a virtual key (<c>api_key_id</c>, in the request log, usage records and <c>/admin/usage</c>).
/// By default an HMAC-SHA256 of the key under a secret (its first 16 bytes as hex: 32 characters, the length of
/// lm-proxy's ids), so whoever reads those can neither confirm a guessed key offline nor tell a key from its id
/// (security-findings.md, finding 18). Where the config sets <c>encryption_key</c>, lm-proxy's
/// md5(key + encryption_key), so analyses made for lm-proxy's logs keep matching (docs/decisions/0009).
/// </summary>
internal sealed class ApiKeyId
{
    // Every request needs its key's id (logs, usage rows), and a gateway sees the same few keys over and over; MD5
    // through OpenSSL was 2.5 % of the proxy's CPU at concurrency 64. The cache only shortens the id's derivation,
    // never decides access, and is bounded: cleared when full, long keys (never a real key) not kept at all.
    private const int MaxCachedKeys = 1024;
    private const int MaxCachedKeyLength = 256;
    private static readonly byte[] Purpose = "oaiproxy api_key_id v1"u8.ToArray();

    private readonly byte[]? _hmacKey;
    private readonly string _salt;
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    private ApiKeyId(byte[]? hmacKey, string salt)
    {
        _hmacKey = hmacKey;
        _salt = salt;
    }

    /// <summary>A key for this process alone: ids then change on restart (only when no secret can be had at all).</summary>
    public static byte[] ProcessKey { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>Whether ids are lm-proxy's md5 (the config sets <c>encryption_key</c>).</summary>
    public bool IsLmProxy => _hmacKey is null;

    public static ApiKeyId Keyed(byte[] hmacKey) => new(hmacKey, "");

    public static ApiKeyId LmProxy(string salt) => new(null, salt);

    /// <summary>
    /// The ids a config asks for: lm-proxy's with <c>encryption_key</c>; else keyed under <c>api_key_id_secret</c>,
    /// or under <c>master_key</c>; else under <paramref name="fallbackKey"/> (the persisted secret, see <c>Runtime</c>).
    /// </summary>
    public static ApiKeyId For(ProxyConfig config, Func<byte[]> fallbackKey)
    {
        if (config.LmProxyApiKeyIds) return LmProxy(config.EncryptionKey);
        if ((config.ApiKeyIdSecret ?? config.MasterKey) is { } secret) return Keyed(DeriveKey(secret));
        return Keyed(fallbackKey());
    }

    /// <summary>A key of its own for ids, derived from a secret that may serve another purpose too (the master key).</summary>
    public static byte[] DeriveKey(string secret) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Purpose);

    public string Compute(string apiKey)
    {
        if (apiKey.Length > MaxCachedKeyLength) return Hash(apiKey);
        if (_cache.TryGetValue(apiKey, out var id)) return id;
        id = Hash(apiKey);
        if (_cache.Count >= MaxCachedKeys) _cache.Clear();
        _cache[apiKey] = id;
        return id;
    }

    private string Hash(string apiKey)
    {
        if (_hmacKey is null) return LmProxyId(apiKey, _salt);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_hmacKey, Encoding.UTF8.GetBytes(apiKey), mac);
        return Convert.ToHexStringLower(mac[..16]);
    }

    /// <summary>lm-proxy's id: md5 of key + salt, hex.</summary>
    public static string LmProxyId(string apiKey, string salt)
    {
#pragma warning disable CA5351 // Compatibility with lm-proxy's api_key_id, kept only where the config asks for it.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(apiKey + salt));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }
}
