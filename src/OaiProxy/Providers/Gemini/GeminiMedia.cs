using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>Inline media for a Gemini <c>inlineData</c> part: a MIME type and base64 data.</summary>
internal readonly record struct GeminiMedia(string MimeType, string Base64)
{
    /// <summary>
    /// The media of a base64 <see cref="DataUrl"/>; null for anything else (percent-encoded data URLs carry text,
    /// not media).
    /// </summary>
    public static GeminiMedia? FromDataUrl(string url) =>
        DataUrl.TryParse(url, out var data) && data.IsBase64 ? new GeminiMedia(data.MediaType, data.Data) : null;
}
