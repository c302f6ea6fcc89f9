using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace OaiProxy.Storage.Keys;

/// <summary>
/// Secrets and ids. A secret is 43 base62 characters from the OS's CSPRNG (about 256 bits) behind <c>sk-oai-</c>;
/// only its SHA-256 is stored. An unsalted hash is enough here because the secret is random, not chosen by a person.
/// </summary>
public static class KeySecrets
{
    public const string Prefix = "sk-oai-";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int SecretChars = 43;
    private static readonly SearchValues<char> Base62Chars = SearchValues.Create(Base62);

    public static string NewSecret() => Prefix + RandomNumberGenerator.GetString(Base62, SecretChars);

    /// <summary>Whether <paramref name="apiKey"/> has the shape of a stored key's secret (so it is worth a lookup).</summary>
    public static bool HasStoredForm(string apiKey) =>
        apiKey.Length == Prefix.Length + SecretChars && apiKey.StartsWith(Prefix, StringComparison.Ordinal) && !apiKey.AsSpan(Prefix.Length).ContainsAnyExcept(Base62Chars);

    public static string NewId() => "key_" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static string Hash(string secret) => Convert.ToHexStringLower(Digest(secret));

    /// <summary>What listings show of a secret: the prefix and four characters, not enough to guess the rest.</summary>
    public static string Hint(string secret) => secret[..Math.Min(secret.Length, Prefix.Length + 4)] + "...";
}
