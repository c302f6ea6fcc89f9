namespace OaiProxy.Requests;

/// <summary>
/// The media type of a payload from its first bytes (magic numbers) for the kinds model APIs take inline: PNG,
/// JPEG, GIF, WebP and PDF. Used where a client or a server did not say the type.
/// </summary>
internal static class MediaSniffer
{
    /// <summary>Bytes <see cref="Sniff"/> looks at, at most (WebP's RIFF header is the longest).</summary>
    public const int HeadLength = 12;

    /// <summary>The media type of <paramref name="bytes"/>; null when the signature is unknown.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'%', (byte)'P', (byte)'D', (byte)'F', ..] => "application/pdf",
        _ => null,
    };

    /// <summary>The media type of base64 text, from its first bytes only; null when unknown or not base64.</summary>
    public static string? SniffBase64(ReadOnlySpan<char> base64)
    {
        Span<byte> head = stackalloc byte[HeadLength];
        // Whole quartets only, so a prefix of padded or unpadded base64 decodes on its own.
        var quartets = Math.Min(base64.Length, HeadLength / 3 * 4) & ~3;
        return Convert.TryFromBase64Chars(base64[..quartets], head, out var written) ? Sniff(head[..written]) : null;
    }
}
