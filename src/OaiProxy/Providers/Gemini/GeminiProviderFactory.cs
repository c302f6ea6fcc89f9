using OaiProxy.Configuration;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Google's Gemini models: <c>google_ai_studio</c> (alias <c>google</c>) with an API key, and <c>google_vertex_ai</c>
/// with a service account whose signed JWT the proxy exchanges for short-lived access tokens.
/// </summary>
internal sealed class GeminiProviderFactory : IProviderFactory
{
    public const string AiStudio = "google_ai_studio";
    public const string AiStudioAlias = "google";
    public const string VertexAi = "google_vertex_ai";
    public const string AiStudioBase = "https://generativelanguage.googleapis.com";

    public IReadOnlyList<string> ApiTypes { get; } = [AiStudio, AiStudioAlias, VertexAi];

    // Vertex's host depends on the location, so the provider derives it when api_base is not set.
    public string? DefaultApiBase(string apiType) => apiType == VertexAi ? null : AiStudioBase;

    public object? ReadSettings(ConfigSection connection)
    {
        var vertex = connection.Node["api_type"]?.ToString() == VertexAi;
        var settings = new GeminiSettings
        {
            Vertex = vertex,
            AllowPrivateImageUrls = connection.Bool("allow_private_image_urls", false),
            AllowHttpImageUrls = connection.Bool("allow_http_image_urls", false),
            MaxImageBytes = connection.Int("max_image_bytes", 20 * 1024 * 1024, 1024, 100 * 1024 * 1024),
            MaxImagesPerRequest = connection.Int("max_images_per_request", 16, 0, 1000),
            MaxImageBytesPerRequest = connection.Int("max_image_bytes_per_request", 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
            MaxUpstreamRequestBytes = connection.Int("max_upstream_request_bytes", 100 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
            ImageFetchTimeout = connection.Seconds("image_fetch_timeout", TimeSpan.FromSeconds(15))!.Value,
        };
        if (!vertex)
        {
            if (!connection.Has("api_key"))
            {
                // A warning, like an unset env: variable: configs listing providers a deployment does not use still start.
                connection.Errors.Warn(connection.PathOf("api_key"), "A Google AI Studio connection needs an API key; set api_key (for example \"env:GEMINI_API_KEY\"), or requests will be rejected.");
            }
            return settings;
        }
        return ReadVertex(connection, settings);
    }

    private static GeminiSettings ReadVertex(ConfigSection s, GeminiSettings settings)
    {
        var path = s.String("google_cloud_service_account");
        var inline = s.String("google_cloud_service_account_json");
        GoogleServiceAccount? account = null;
        if (path is null == inline is null)
        {
            s.Errors.Add(s.PathOf("google_cloud_service_account"),
                "A Vertex AI connection needs exactly one of google_cloud_service_account (the key file's path) and google_cloud_service_account_json (its contents).");
        }
        else if (path is not null)
        {
            string? json = null;
            try
            {
                json = File.ReadAllText(Path.GetFullPath(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                s.Errors.Add(s.PathOf("google_cloud_service_account"), $"The service account file \"{path}\" cannot be read ({e.Message}); check the path and its permissions.");
            }
            if (json is not null) account = ParseAccount(s, "google_cloud_service_account", json);
        }
        else
        {
            account = ParseAccount(s, "google_cloud_service_account_json", inline!);
        }
        var project = s.String("google_cloud_project_id") ?? account?.ProjectId;
        if (string.IsNullOrEmpty(project) && account is not null)
        {
            s.Errors.Add(s.PathOf("google_cloud_project_id"), "A Vertex AI connection needs a project; set google_cloud_project_id to the Google Cloud project id.");
        }
        var location = s.String("google_cloud_location", "us-central1")!;
        if (location.Length == 0 || !location.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            s.Errors.Add(s.PathOf("google_cloud_location"), $"\"{location}\" is not a Google Cloud location; use a region such as \"us-central1\", or \"global\".");
        }
        var tokenUrl = s.String("google_cloud_token_url") ?? account?.TokenUri ?? GoogleServiceAccount.DefaultTokenUri;
        if (!Uri.TryCreate(tokenUrl, UriKind.Absolute, out _))
        {
            s.Errors.Add(s.PathOf("google_cloud_token_url"), $"\"{tokenUrl}\" is not an absolute URL; leave google_cloud_token_url unset to use Google's token endpoint.");
        }
        return settings with { ServiceAccount = account, ProjectId = project, Location = location, TokenUrl = tokenUrl };
    }

    private static GoogleServiceAccount? ParseAccount(ConfigSection s, string key, string json)
    {
        var (account, error) = GoogleServiceAccount.Parse(json);
        if (error is not null) s.Errors.Add(s.PathOf(key), error);
        return account;
    }

    public IProvider Create(ConnectionConfig connection, ProviderContext context) =>
        new GeminiProvider(connection, (GeminiSettings)connection.ProviderSettings!, context);
}
