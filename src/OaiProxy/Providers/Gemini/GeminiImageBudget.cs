using System.Runtime.CompilerServices;
using OaiProxy.Errors;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// The image URLs of one request, as the translation for Gemini downloads them: at most
/// <c>max_images_per_request</c> URL parts and <c>max_image_bytes_per_request</c> bytes of them in one translated
/// body, so a small request cannot make the proxy download and send hundreds of megabytes. Each URL is downloaded
/// once per request: the translation runs again on every retry and fallback, and finds what the first one fetched.
/// </summary>
internal sealed class GeminiImageBudget
{
    // Keyed by the request body every attempt of a target shares; an entry lives as long as the request does.
    private static readonly ConditionalWeakTable<RequestBody, Dictionary<string, (GeminiMedia Media, int Bytes)>> Downloaded = new();

    private readonly GeminiSettings _settings;
    private readonly GeminiImageFetcher _fetcher;
    private readonly Dictionary<string, (GeminiMedia Media, int Bytes)> _downloaded;
    private int _images;
    private long _bytes;

    public GeminiImageBudget(RequestBody request, GeminiSettings settings, GeminiImageFetcher fetcher)
    {
        _settings = settings;
        _fetcher = fetcher;
        _downloaded = Downloaded.GetOrCreateValue(request);
    }

    /// <summary>The image at <paramref name="url"/> (a client error when it cannot be had or the request's share is spent).</summary>
    public async ValueTask<GeminiMedia> LoadAsync(string url, string param, CancellationToken cancellationToken)
    {
        if (++_images > _settings.MaxImagesPerRequest)
        {
            throw new GeminiTranslationException(ProxyError.BadRequest(
                $"The request has more than {_settings.MaxImagesPerRequest} image URLs ('{param}'), which the proxy downloads for Gemini (max_images_per_request); send fewer, or send them as data URLs.",
                param, "too_many_images"));
        }
        var left = _settings.MaxImageBytesPerRequest - _bytes;
        if (!_downloaded.TryGetValue(url, out var image))
        {
            var limit = (int)Math.Min(_settings.MaxImageBytes, Math.Max(left, 0));
            image = await _fetcher.FetchAsync(url, param, limit, cancellationToken) ?? throw TooLarge(url, param, limit);
            _downloaded[url] = image;
        }
        if (image.Bytes > left) throw TooLarge(url, param, (int)Math.Max(left, 0));
        _bytes += image.Bytes;
        return image.Media;
    }

    private GeminiTranslationException TooLarge(string url, string param, int limit) =>
        limit == _settings.MaxImageBytes
            ? new(ProxyError.BadRequest($"The image at \"{GeminiImageFetcher.Shorten(url)}\" is larger than {_settings.MaxImageBytes} bytes; send a smaller image or a data URL.", param, "invalid_image_url"))
            : new(new ProxyError(413, ErrorTypes.InvalidRequest, ErrorCodes.BodyTooLarge,
                $"The images of this request are larger than {_settings.MaxImageBytesPerRequest} bytes together ('{param}' is one too many), more than the proxy downloads for one request to Gemini (max_image_bytes_per_request); send fewer or smaller images.",
                param));
}
