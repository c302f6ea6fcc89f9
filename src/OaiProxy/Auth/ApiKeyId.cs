using System.Security.Cryptography;
using System.Text;

namespace OaiProxy.Auth;

/// <summary>
/// The loggable id of a virtual key: md5 of key + <c>encryption_key</c>, hex, as lm-proxy computes it, so
/// existing log analyses keep matching.
/// </summary>
public static class ApiKeyId
{
    public static string Compute(string apiKey, string salt)
    {
#pragma warning disable CA5351 // Compatibility with lm-proxy's api_key_id, not a security boundary.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(apiKey + salt));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }
}
