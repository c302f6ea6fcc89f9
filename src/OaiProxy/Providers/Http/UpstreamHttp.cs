using System.Buffers;
using System.Net;
using System.Net.Sockets;
using OaiProxy.Errors;

namespace OaiProxy.Providers.Http;

/// <summary>HTTP plumbing shared by every provider that talks to an upstream over HTTP.</summary>
internal static class UpstreamHttp
{
    /// <summary>Largest non-streaming upstream body accepted; beyond it the answer is treated as garbage.</summary>
    public const int MaxResponseBytes = 32 * 1024 * 1024;

    /// <summary>Largest upstream error body read; the rest is not needed to report the error.</summary>
    public const int MaxErrorBytes = 64 * 1024;

    /// <summary>
    /// Sends with <see cref="HttpCompletionOption.ResponseHeadersRead"/> semantics (the invoker never buffers) and
    /// turns transport failures into a retryable 502. Cancellation (timeouts, client abort) propagates.
    /// </summary>
    public static async ValueTask<(HttpResponseMessage? Response, ProxyError? Error)> SendAsync(
        HttpMessageInvoker http, HttpRequestMessage request, string connection, CancellationToken cancellationToken)
    {
        try
        {
            return (await http.SendAsync(request, cancellationToken), null);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, ProxyError.BadGateway($"Could not reach the upstream of connection \"{connection}\": {Describe(e)}"));
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, ProxyError.BadGateway($"The connection to the upstream of connection \"{connection}\" broke: {e.Message}"));
        }
    }

    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused.",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "connection reset.",
        SocketException s => s.Message,
        IOException io => io.Message,
        _ => e.Message,
    };

    /// <summary>Reads a body up to <paramref name="maxBytes"/>; null when it is larger.</summary>
    public static async ValueTask<byte[]?> ReadBoundedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > maxBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        if (content.Headers.ContentLength is { } known) return await ReadKnownLengthAsync(stream, (int)known, cancellationToken);
        var buffer = new MemoryStream(4096);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes) return null;
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>The common case (a Content-Length): one array of the right size, filled in place, no copies.</summary>
    private static async ValueTask<byte[]> ReadKnownLengthAsync(Stream stream, int length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        var filled = 0;
        int read;
        while (filled < length && (read = await stream.ReadAsync(body.AsMemory(filled), cancellationToken)) > 0) filled += read;
        return filled == length ? body : body[..filled];
    }

    /// <summary>
    /// Adds the headers forwarded by <c>before</c> handlers, then the connection's static headers, which win over
    /// forwarded ones of the same name. Credentials are set by each provider afterwards.
    /// </summary>
    public static void AddHeaders(HttpRequestMessage message, IReadOnlyList<KeyValuePair<string, string>> forwarded,
        IReadOnlyDictionary<string, string> connectionHeaders)
    {
        foreach (var (name, value) in forwarded) message.Headers.TryAddWithoutValidation(name, value);
        foreach (var (name, value) in connectionHeaders)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>Longest excerpt of an error body that is not the provider's JSON.</summary>
    public const int MaxExcerptChars = 500;

    /// <summary>
    /// An error body that is not the provider's JSON (a gateway's HTML page, say), as text short enough for a
    /// message: scrubbed first, then cut, so a secret that straddles the cut leaves no prefix behind.
    /// </summary>
    public static string Excerpt(ReadOnlySpan<byte> body, SecretScrubber secrets)
    {
        var text = secrets.Scrub(System.Text.Encoding.UTF8.GetString(body).Trim())!;
        return text.Length > MaxExcerptChars ? text[..MaxExcerptChars] : text;
    }

    public static string? RequestId(HttpResponseMessage response) =>
        Header(response, "x-request-id") ?? Header(response, "request-id");

    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (Header(response, "retry-after-ms") is { } ms && double.TryParse(ms, System.Globalization.CultureInfo.InvariantCulture, out var millis))
        {
            return TimeSpan.FromMilliseconds(millis);
        }
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta) return delta;
        if (retryAfter?.Date is { } date) return date - now is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }

    public static bool IsEventStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is "text/event-stream";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>A status for any upstream answer that is not a success.</summary>
    public static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;
}
