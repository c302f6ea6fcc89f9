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

    public static string NewSecret() => Prefix + RandomNumberGenerator.GetString(Base62, 43);

    public static string NewId() => "key_" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static string Hash(string secret) => Convert.ToHexStringLower(Digest(secret));

    /// <summary>What listings show of a secret: the prefix and four characters, not enough to guess the rest.</summary>
    public static string Hint(string secret) => secret[..Math.Min(secret.Length, Prefix.Length + 4)] + "...";
}
