using System.IO.Compression;
using OaiProxy.Errors;

namespace OaiProxy.Pipeline;

/// <summary>
/// Request bodies sent compressed (<c>Content-Encoding</c>: zstd as Codex sends it, gzip, deflate, br), decoded within
/// the same limit as plain bodies, so a small bomb that inflates past <c>max_request_size_mb</c> is a 413, never memory.
/// </summary>
internal static class ContentDecoding
{
    /// <summary>The decoded body; null when it decodes past <paramref name="maxBytes"/>; an error for an unknown or corrupt encoding.</summary>
    public static (byte[]? Body, ProxyError? Error) Decode(byte[] raw, string encoding, long maxBytes)
    {
        try
        {
            using var input = new MemoryStream(raw, writable: false);
            using Stream decoder = encoding.Trim().ToLowerInvariant() switch
            {
                "zstd" => new ZstdSharp.DecompressionStream(input),
                "gzip" or "x-gzip" => new GZipStream(input, CompressionMode.Decompress),
                "deflate" => new ZLibStream(input, CompressionMode.Decompress),
                "br" => new BrotliStream(input, CompressionMode.Decompress),
                "identity" or "" => input,
                var other => throw new NotSupportedException(other),
            };
            using var output = new MemoryStream(Math.Min(raw.Length * 4, 1024 * 1024));
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = decoder.Read(chunk)) > 0)
            {
                if (output.Length + read > maxBytes) return (null, null);
                output.Write(chunk, 0, read);
            }
            return (output.ToArray(), null);
        }
        catch (NotSupportedException e)
        {
            return (null, new ProxyError(415, ErrorTypes.InvalidRequest, "unsupported_content_encoding",
                $"The Content-Encoding \"{e.Message}\" is not supported; send the body plain or as zstd, gzip, deflate or br."));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException)
        {
            return (null, ProxyError.BadRequest($"The request body is not valid {encoding} data; send it plain or compressed whole.", code: "invalid_content_encoding"));
        }
    }
}
