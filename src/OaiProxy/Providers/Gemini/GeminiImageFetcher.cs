using System.Net;
using System.Net.Sockets;
using OaiProxy.Errors;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Downloads an image URL a client sent, so it can go to Gemini inline (older models reject external URLs). Guards
/// against SSRF: https only (http when allowed), every address a name resolves to is checked at connect time (so
/// DNS rebinding cannot slip through and redirects are checked too), loopback, private, link-local and other
/// internal ranges (also when an IPv6 form embeds them, see <see cref="PublicAddress"/>) are refused unless
/// <c>allow_private_image_urls</c> is set, and size and time are capped.
/// </summary>
internal sealed class GeminiImageFetcher : IDisposable
{
    private const int MaxRedirects = 3;

    private readonly GeminiSettings _settings;
    private readonly HttpMessageInvoker _http;

    public GeminiImageFetcher(GeminiSettings settings)
    {
        _settings = settings;
        _http = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = ConnectAsync,
        }, disposeHandler: true);
    }

    /// <summary>
    /// Fetches the image with its size in bytes, or null when it is larger than <paramref name="maxBytes"/> (the
    /// download stops there); other errors are client errors (400) naming the URL's problem.
    /// </summary>
    public async ValueTask<(GeminiMedia Media, int Bytes)?> FetchAsync(string url, string param, int maxBytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.ImageFetchTimeout);
        var uri = CheckUri(url, param);
        try
        {
            for (var redirect = 0; ; redirect++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Accept.ParseAdd("image/*, application/pdf;q=0.9, */*;q=0.5");
                using var response = await _http.SendAsync(request, timeout.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (redirect >= MaxRedirects) throw Fail(param, $"The image URL \"{url}\" redirects too often.");
                    uri = CheckUri(new Uri(uri, location).ToString(), param);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw Fail(param, $"The image URL \"{url}\" could not be downloaded (HTTP {(int)response.StatusCode}).");
                }
                if (await Http.UpstreamHttp.ReadBoundedAsync(response.Content, maxBytes, timeout.Token) is not { } bytes) return null;
                var mime = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
                if (mime is null or "application/octet-stream" or "binary/octet-stream") mime = MediaSniffer.Sniff(bytes) ?? FromExtension(uri);
                if (mime is null) throw Fail(param, $"The type of the file at \"{url}\" is unknown; serve it with a Content-Type header or send a data URL.");
                return (new GeminiMedia(mime, Convert.ToBase64String(bytes)), bytes.Length);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(param, $"The image URL \"{url}\" did not answer within {_settings.ImageFetchTimeout.TotalSeconds} s.");
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is ForbiddenAddressException forbidden ? forbidden.Message : e.Message;
            throw Fail(param, $"The image URL \"{url}\" could not be downloaded: {reason}");
        }
    }

    private Uri CheckUri(string url, string param)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw Fail(param, $"\"{Shorten(url)}\" is not an absolute URL; send an https URL or a data URL.");
        }
        if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && _settings.AllowHttpImageUrls)) return uri;
        throw Fail(param, $"The image URL \"{Shorten(url)}\" uses the scheme \"{uri.Scheme}\"; send an https URL or a data URL.");
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => _settings.AllowPrivateImageUrls || PublicAddress.IsPublic(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new ForbiddenAddressException($"the host \"{host}\" resolves to a loopback or private address, which the proxy does not fetch.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string? FromExtension(Uri uri) => Path.GetExtension(uri.AbsolutePath).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".heic" => "image/heic",
        ".pdf" => "application/pdf",
        _ => null,
    };

    internal static string Shorten(string url) => url.Length > 100 ? url[..100] + "…" : url;

    private static GeminiTranslationException Fail(string param, string message) =>
        new(ProxyError.BadRequest(message, param, "invalid_image_url"));

    public void Dispose() => _http.Dispose();

    private sealed class ForbiddenAddressException(string message) : IOException(message);
}
