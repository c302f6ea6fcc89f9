namespace OaiProxy.Providers.Gemini;

/// <summary>Inline media for a Gemini <c>inlineData</c> part: a MIME type and base64 data.</summary>
internal readonly record struct GeminiMedia(string MimeType, string Base64)
{
    /// <summary>
    /// Parses <c>data:&lt;mime&gt;[;param]*;base64,&lt;payload&gt;</c>; parameters are dropped from the MIME type.
    /// Null for anything else (percent-encoded data URLs carry text, not media).
    /// </summary>
    public static GeminiMedia? FromDataUrl(string url)
    {
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return null;
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0) return null;
        var header = url.AsSpan(5, comma - 5);
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase)) return null;
        header = header[..^7];
        var semicolon = header.IndexOf(';');
        var mime = (semicolon >= 0 ? header[..semicolon] : header).Trim().ToString();
        var data = url[(comma + 1)..].Trim();
        if (data.Length == 0) return null;
        return new GeminiMedia(mime.Length == 0 ? Sniff(data) : mime.ToLowerInvariant(), data);
    }

    /// <summary>The MIME type of base64 image data from its first bytes; <c>application/octet-stream</c> when unknown.</summary>
    public static string Sniff(string base64) => base64 switch
    {
        _ when base64.StartsWith("iVBORw0KGgo", StringComparison.Ordinal) => "image/png",
        _ when base64.StartsWith("/9j/", StringComparison.Ordinal) => "image/jpeg",
        _ when base64.StartsWith("R0lGOD", StringComparison.Ordinal) => "image/gif",
        _ when base64.StartsWith("UklGR", StringComparison.Ordinal) => "image/webp",
        _ when base64.StartsWith("JVBERi0", StringComparison.Ordinal) => "application/pdf",
        _ => "application/octet-stream",
    };

    /// <summary>The MIME type of raw bytes from their signature; null when unknown.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'%', (byte)'P', (byte)'D', (byte)'F', ..] => "application/pdf",
        _ => null,
    };
}
