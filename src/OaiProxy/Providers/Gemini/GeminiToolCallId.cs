using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// The OpenAI tool-call id of a Gemini function call. OpenAI clients have no field for Gemini's thought signature
/// or call id, but they echo the tool-call id back verbatim, so both ride inside it (the proxy stays stateless and
/// survives restarts): <c>call_{24 chars}</c>, or <c>gid_{gemini id}</c>, then optionally <c>__ts_{base64url signature}</c>.
/// Every character is in <c>[A-Za-z0-9_-]</c> unless Gemini's own id has others, so Anthropic-style id rules hold.
/// </summary>
internal static class GeminiToolCallId
{
    private const string GeneratedPrefix = "call_";
    private const string GeminiIdPrefix = "gid_";
    private const string SignatureSeparator = "__ts_";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// The id for the call at <paramref name="callIndex"/> of candidate <paramref name="candidate"/> in the response
    /// <paramref name="responseId"/>: derived from those, so a response always yields the same ids (and a stream the
    /// same ids as the same response would have), random when the response has no id.
    /// </summary>
    public static string Create(string? geminiId, string? signature, string? responseId, int candidate, int callIndex)
    {
        var id = !string.IsNullOrEmpty(geminiId) ? GeminiIdPrefix + geminiId : GeneratedPrefix + Generate(responseId, candidate, callIndex);
        if (string.IsNullOrEmpty(signature)) return id;
        try
        {
            return id + SignatureSeparator + Base64Url.EncodeToString(Convert.FromBase64String(signature));
        }
        catch (FormatException)
        {
            // Not base64 after all: carried as-is when it is id-safe, dropped otherwise (the sentinel replaces it).
            return signature.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? id + SignatureSeparator + "~" + signature : id;
        }
    }

    /// <summary>Recovers Gemini's call id (null when the proxy generated it) and the thought signature from an id.</summary>
    public static (string? GeminiId, string? Signature) Parse(string id)
    {
        string? signature = null;
        var separator = id.IndexOf(SignatureSeparator, StringComparison.Ordinal);
        if (separator >= 0)
        {
            var encoded = id[(separator + SignatureSeparator.Length)..];
            id = id[..separator];
            signature = encoded.StartsWith('~') ? encoded[1..] : TryDecode(encoded);
        }
        var geminiId = id.StartsWith(GeminiIdPrefix, StringComparison.Ordinal) && id.Length > GeminiIdPrefix.Length ? id[GeminiIdPrefix.Length..] : null;
        return (geminiId, signature);
    }

    private static string? TryDecode(string encoded)
    {
        try
        {
            return Convert.ToBase64String(Base64Url.DecodeFromChars(encoded));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Generate(string? responseId, int candidate, int callIndex)
    {
        Span<byte> bytes = stackalloc byte[24];
        if (string.IsNullOrEmpty(responseId))
        {
            RandomNumberGenerator.Fill(bytes);
        }
        else
        {
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(Encoding.UTF8.GetBytes($"{responseId}\n{candidate}\n{callIndex}"), hash);
            hash[..24].CopyTo(bytes);
        }
        return string.Create(24, bytes.ToArray(), static (chars, b) =>
        {
            for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[b[i] % Alphabet.Length];
        });
    }
}
