using System.Globalization;
using System.Text;

namespace OaiProxy.Requests;

/// <summary>
/// A parsed <c>data:[&lt;mime&gt;][;param]*[;base64],&lt;payload&gt;</c> URL (RFC 2397), the one way the proxy
/// reads media a client sends inline. Parameters such as <c>;charset=utf-8</c> are dropped from the media type,
/// which is lower-cased. A missing media type is sniffed from the payload's first bytes (<see cref="MediaSniffer"/>);
/// when that fails, or the payload is empty, it is not media and <see cref="TryParse"/> refuses it, so each caller
/// answers in its own terms.
/// </summary>
/// <param name="MediaType">The media type as sent, or as sniffed when the URL had none.</param>
/// <param name="IsBase64">Whether <paramref name="Data"/> is base64; otherwise it is percent-encoded.</param>
/// <param name="Data">The payload as written in the URL, without surrounding whitespace.</param>
internal readonly record struct DataUrl(string MediaType, bool IsBase64, string Data)
{
    private const string Scheme = "data:";
    private const string Base64Suffix = ";base64";

    public static bool TryParse(string url, out DataUrl result)
    {
        result = default;
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0) return false;
        var header = url.AsSpan(Scheme.Length, comma - Scheme.Length);
        var isBase64 = header.EndsWith(Base64Suffix, StringComparison.OrdinalIgnoreCase);
        if (isBase64) header = header[..^Base64Suffix.Length];
        var semicolon = header.IndexOf(';');
        var mime = (semicolon >= 0 ? header[..semicolon] : header).Trim().ToString().ToLowerInvariant();
        var data = url[(comma + 1)..].Trim();
        if (data.Length == 0) return false;
        var mediaType = mime.Length > 0 ? mime : Sniff(data, isBase64);
        if (mediaType is null) return false;
        result = new DataUrl(mediaType, isBase64, data);
        return true;
    }

    /// <summary>The payload's bytes.</summary>
    /// <exception cref="FormatException">The payload is not valid base64.</exception>
    public byte[] Decode() => IsBase64 ? Convert.FromBase64String(Data) : PercentDecode(Data);

    private static string? Sniff(string data, bool isBase64) => isBase64
        ? MediaSniffer.SniffBase64(data)
        // Each byte takes at most three characters (%XX).
        : MediaSniffer.Sniff(PercentDecode(data.AsSpan(0, Math.Min(data.Length, MediaSniffer.HeadLength * 3))));

    private static byte[] PercentDecode(ReadOnlySpan<char> text)
    {
        // Characters outside ASCII stand for their UTF-8 bytes; %XX for one byte each.
        var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
        Encoding.UTF8.GetBytes(text, bytes);
        var written = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '%' && i + 2 < bytes.Length
                && byte.TryParse(bytes.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                bytes[written++] = value;
                i += 2;
            }
            else
            {
                bytes[written++] = bytes[i];
            }
        }
        return bytes[..written];
    }
}
