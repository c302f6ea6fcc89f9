using OaiProxy.Configuration;

namespace OaiProxy.Providers.Gemini;

/// <summary>The provider-specific keys of a Google connection, as read by <see cref="GeminiProviderFactory"/>.</summary>
internal sealed record GeminiSettings : ISecretSettings
{
    /// <summary>The service account's private key, scrubbed from upstream text like every configured secret.</summary>
    public IEnumerable<string> Secrets => ServiceAccount is { } account ? [account.PrivateKeyPem] : [];

    /// <summary>True for <c>google_vertex_ai</c>, false for AI Studio (<c>google_ai_studio</c> / <c>google</c>).</summary>
    public bool Vertex { get; init; }

    /// <summary><c>allow_private_image_urls</c>: let the proxy fetch image URLs on loopback and private networks. Default false.</summary>
    public bool AllowPrivateImageUrls { get; init; }

    /// <summary><c>allow_http_image_urls</c>: let the proxy fetch plain-http image URLs (https only otherwise). Default false.</summary>
    public bool AllowHttpImageUrls { get; init; }

    /// <summary><c>max_image_bytes</c>: largest image the proxy downloads for a request. Default 20 MiB.</summary>
    public int MaxImageBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>
    /// <c>max_images_per_request</c>: image URLs the proxy downloads for one request (each URL part counts, data URLs
    /// do not); more get 400 <c>too_many_images</c>. Default 16; 0 accepts data URLs only.
    /// </summary>
    public int MaxImagesPerRequest { get; init; } = 16;

    /// <summary>
    /// <c>max_image_bytes_per_request</c>: bytes of all the image URLs of one request together; beyond them the
    /// download stops and the request gets 413 <c>request_too_large</c>. Default 50 MiB.
    /// </summary>
    public int MaxImageBytesPerRequest { get; init; } = 50 * 1024 * 1024;

    /// <summary>
    /// <c>max_upstream_request_bytes</c>: largest translated request body sent to Google; a larger one gets 413
    /// <c>request_too_large</c> and is not sent. Default 100 MiB.
    /// </summary>
    public int MaxUpstreamRequestBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary><c>image_fetch_timeout</c>: seconds allowed for one image download. Default 15.</summary>
    public TimeSpan ImageFetchTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Vertex only: the parsed service account (<c>google_cloud_service_account</c> or <c>_json</c>).</summary>
    public GoogleServiceAccount? ServiceAccount { get; init; }

    /// <summary>Vertex only: <c>google_cloud_project_id</c>. Default: the service account's <c>project_id</c>.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Vertex only: <c>google_cloud_location</c>. Default <c>us-central1</c>.</summary>
    public string Location { get; init; } = "us-central1";

    /// <summary>Vertex only: <c>google_cloud_token_url</c>. Default: the service account's <c>token_uri</c>.</summary>
    public string? TokenUrl { get; init; }
}
