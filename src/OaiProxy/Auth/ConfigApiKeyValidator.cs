using System.Security.Cryptography;
using System.Text;
using OaiProxy.Configuration;

namespace OaiProxy.Auth;

/// <summary>
/// Keys listed in the config's groups. Only SHA-256 digests are kept in memory, looked up by digest and confirmed
/// with a constant-time comparison, so neither the key nor its timing leaks.
/// </summary>
internal sealed class ConfigApiKeyValidator : IApiKeyValidator
{
    private readonly Dictionary<string, (byte[] Digest, AuthResult Result)> _byDigest = new(StringComparer.Ordinal);

    public ConfigApiKeyValidator(IEnumerable<GroupConfig> groups)
    {
        foreach (var group in groups)
        {
            foreach (var key in group.ApiKeys)
            {
                var digest = Digest(key);
                _byDigest.TryAdd(Convert.ToHexString(digest), (digest, new AuthResult(group.Name)));
            }
        }
    }

    public ValueTask<AuthResult?> ValidateAsync(string apiKey, CancellationToken cancellationToken)
    {
        var digest = Digest(apiKey);
        if (_byDigest.TryGetValue(Convert.ToHexString(digest), out var entry) &&
            CryptographicOperations.FixedTimeEquals(entry.Digest, digest))
        {
            return ValueTask.FromResult<AuthResult?>(entry.Result);
        }
        return ValueTask.FromResult<AuthResult?>(null);
    }

    internal static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
