using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// Seals state the proxy gives a client to bring back (the upstream's reasoning replay state in a reasoning item's
/// <c>encrypted_content</c>): AES-GCM under a key derived from <c>state_key</c> (else the master key, else a key of
/// this process), so a client can neither read nor forge it. Tokens start with <see cref="Prefix"/>, so a token of
/// another origin (OpenAI's own encrypted reasoning) is told apart from a forged one of ours.
/// </summary>
internal sealed class StateSeal
{
    public const string Prefix = "oaip1.";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] ProcessSecret = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _key;

    public StateSeal(string? secret)
    {
        var material = secret is null ? ProcessSecret : Encoding.UTF8.GetBytes("oaiproxy-state:" + secret);
        _key = SHA256.HashData(material);
    }

    private StateSeal(byte[] fileSecret) => _key = SHA256.HashData([.. "oaiproxy-state-file:"u8, .. fileSecret]);

    /// <summary>
    /// The seal of <paramref name="stateKey"/>, else of the master key, else of the proxy's generated secret file
    /// (the one keyed <c>api_key_id</c>s use, under its own label), so sealed state outlives a restart even when the
    /// config names no secret.
    /// </summary>
    public static StateSeal For(string? stateKey, string? masterKey, Func<byte[]> generatedSecret) =>
        (stateKey ?? masterKey) is { } secret ? new StateSeal(secret) : new StateSeal(generatedSecret());

    public static bool IsOurs(string? token) => token is not null && token.StartsWith(Prefix, StringComparison.Ordinal);

    public string Seal(ReadOnlySpan<byte> plaintext)
    {
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length));
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The plaintext of one of our tokens; null when it was altered, forged, or sealed under another key.</summary>
    public byte[]? Open(string token)
    {
        if (!IsOurs(token)) return null;
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
        if (sealedBytes.Length < NonceBytes + TagBytes) return null;
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plaintext);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
