using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// A Google connection: translates the OpenAI request to Gemini's <c>generateContent</c> (AI Studio with an API key,
/// or Vertex AI with a service account's access token) and the answer, or its stream, back to OpenAI's shape.
/// </summary>
internal sealed partial class GeminiProvider : IProvider
{
    private const int MaxModelPages = 20;
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly ConnectionConfig _connection;
    private readonly GeminiSettings _settings;
    private readonly ProviderContext _context;
    private readonly string _apiBase;
    private readonly GoogleAccessTokenSource? _tokens;
    private readonly GeminiImageFetcher _images;

    public GeminiProvider(ConnectionConfig connection, GeminiSettings settings, ProviderContext context)
    {
        _connection = connection;
        _settings = settings;
        _context = context;
        _images = new GeminiImageFetcher(settings);
        if (settings.Vertex)
        {
            _apiBase = (connection.ApiBase ?? (settings.Location == "global"
                ? "https://aiplatform.googleapis.com"
                : $"https://{settings.Location}-aiplatform.googleapis.com")).TrimEnd('/');
            _tokens = new GoogleAccessTokenSource(settings.ServiceAccount!, new Uri(settings.TokenUrl!), context.Http, context.Time,
                connection.Name, context.LoggerFactory.CreateLogger<GoogleAccessTokenSource>());
        }
        else
        {
            _apiBase = (connection.ApiBase ?? GeminiProviderFactory.AiStudioBase).TrimEnd('/');
        }
    }

    /// <summary>The Vertex token source (null for AI Studio), exposed for diagnostics.</summary>
    internal GoogleAccessTokenSource? Tokens => _tokens;

    public async ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        // 1. Translate; requests Gemini cannot express are the client's 400.
        JsonObject body;
        try
        {
            body = await GeminiRequestTranslator.TranslateAsync(request.Chat.Root, request.UpstreamModel, _connection.DefaultArgs,
                _images.FetchAsync, cancellationToken);
        }
        catch (GeminiTranslationException e)
        {
            return ProviderResponse.Failed(e.Error);
        }

        // 2. Build the upstream request with the connection's credentials.
        var stream = request.Chat.Stream;
        using var message = new HttpRequestMessage(HttpMethod.Post, GenerateUri(request.UpstreamModel, stream))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, ProxyJsonContext.Default.JsonObject)) { Headers = { ContentType = JsonContentType } },
            Version = System.Net.HttpVersion.Version11,
        };
        if (await AuthorizeAsync(message, request.ExtraHeaders, cancellationToken) is { } authError) return ProviderResponse.Failed(authError);

        // 3. Send; transport failures come back as retryable errors, Google's errors keep their meaning.
        var (response, error) = await UpstreamHttp.SendAsync(_context.Http, message, _connection.Name, cancellationToken);
        if (error is not null) return ProviderResponse.Failed(error);
        var requestId = UpstreamHttp.RequestId(response!);
        if (!UpstreamHttp.IsSuccess(response!.StatusCode) || (stream && !UpstreamHttp.IsEventStream(response)))
        {
            using (response)
            {
                return ProviderResponse.Failed(await ReadErrorAsync(response, cancellationToken));
            }
        }

        // 4. Streams are handed over unread; JSON bodies are read whole and translated.
        var created = _context.Time.GetUtcNow().ToUnixTimeSeconds();
        if (stream)
        {
            var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
            return ProviderResponse.Streaming(new GeminiTranslatingStream(response, upstreamBody, _connection.Name, Secret,
                request.UpstreamModel, request.Chat.IncludeUsage, created), requestId);
        }
        using (response)
        {
            var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken);
            if (json is null)
            {
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response larger than {UpstreamHttp.MaxResponseBytes / (1024 * 1024)} MiB.", retryable: false));
            }
            return Translate(json, request.UpstreamModel, created, requestId);
        }
    }

    private ProviderResponse Translate(byte[] json, string model, long created, string? requestId)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (GeminiErrors.IsError(doc.RootElement, out var googleError))
            {
                return ProviderResponse.Failed(GeminiErrors.Map(GeminiErrors.HttpStatus(googleError, 502), googleError, null, _connection.Name, Secret));
            }
            if (doc.RootElement.ValueKind == JsonValueKind.Object && GeminiResponseTranslator.Translate(doc.RootElement, model, created) is { } completion)
            {
                return ProviderResponse.Completed(completion, requestId ?? GeminiResponseTranslator.Text(doc.RootElement, "responseId"));
            }
            return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" answered without any candidate."));
        }
        catch (JsonException)
        {
            return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response that is not JSON."));
        }
    }

    public async ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        if (_settings.Vertex)
        {
            throw new ProviderException($"Connection \"{_connection.Name}\" (Vertex AI) cannot list models; name the models in routing instead of a wildcard.");
        }
        var ids = new List<string>();
        string? pageToken = null;
        for (var page = 0; page < MaxModelPages; page++)
        {
            var uri = $"{_apiBase}/v1beta/models?pageSize=1000" + (pageToken is null ? "" : "&pageToken=" + Uri.EscapeDataString(pageToken));
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            if (await AuthorizeAsync(message, [], cancellationToken) is { } authError) throw new ProviderException(authError.Message);
            var (response, error) = await UpstreamHttp.SendAsync(_context.Http, message, _connection.Name, cancellationToken);
            if (error is not null) throw new ProviderException(error.Message);
            using (response)
            {
                if (!UpstreamHttp.IsSuccess(response!.StatusCode))
                {
                    throw new ProviderException($"The upstream of connection \"{_connection.Name}\" answered HTTP {(int)response.StatusCode} to the model list request.");
                }
                var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken)
                           ?? throw new ProviderException($"The model list of connection \"{_connection.Name}\" is too large.");
                pageToken = ParseModelPage(json, ids, _connection.Name);
            }
            if (string.IsNullOrEmpty(pageToken)) break;
        }
        return ids;
    }

    /// <summary>Adds the ids (without <c>models/</c>) of models that support generateContent; returns the next page token.</summary>
    internal static string? ParseModelPage(byte[] json, List<string> ids, string connection)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.TryGetProperty("models", out var models) && models.ValueKind == JsonValueKind.Array)
            {
                foreach (var model in models.EnumerateArray())
                {
                    var name = GeminiResponseTranslator.Text(model, "name");
                    var chat = model.TryGetProperty("supportedGenerationMethods", out var methods) && methods.ValueKind == JsonValueKind.Array &&
                               methods.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() == "generateContent");
                    if (name is not null && chat) ids.Add(name.StartsWith("models/", StringComparison.Ordinal) ? name[7..] : name);
                }
            }
            return GeminiResponseTranslator.Text(root, "nextPageToken");
        }
        catch (JsonException e)
        {
            throw new ProviderException($"The model list of connection \"{connection}\" is not valid JSON.", e);
        }
    }

    private Uri GenerateUri(string model, bool stream)
    {
        var method = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        var resource = ModelResource(model);
        if (!_settings.Vertex) return new Uri($"{_apiBase}/v1beta/{resource}{method}");
        return new Uri($"{_apiBase}/v1/projects/{Uri.EscapeDataString(_settings.ProjectId!)}/locations/{Uri.EscapeDataString(_settings.Location)}/publishers/google/{resource}{method}");
    }

    /// <summary><c>models/{id}</c> for a bare id or a <c>models/</c> id; tuned models keep their own collection.</summary>
    internal static string ModelResource(string model)
    {
        if (model.StartsWith("models/", StringComparison.Ordinal)) model = model[7..];
        else if (model.StartsWith("tunedModels/", StringComparison.Ordinal)) return "tunedModels/" + Uri.EscapeDataString(model[12..]);
        return "models/" + Uri.EscapeDataString(model);
    }

    private async ValueTask<ProxyError?> AuthorizeAsync(HttpRequestMessage message, IReadOnlyList<KeyValuePair<string, string>> extra, CancellationToken cancellationToken)
    {
        UpstreamHttp.AddHeaders(message, extra, _connection.HttpHeaders);
        if (_tokens is null)
        {
            message.Headers.Remove("x-goog-api-key");
            if (!string.IsNullOrEmpty(_connection.ApiKey)) message.Headers.TryAddWithoutValidation("x-goog-api-key", _connection.ApiKey);
            return null;
        }
        var (token, error) = await _tokens.GetAsync(cancellationToken);
        if (error is not null) return error;
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return null;
    }

    private string? Secret => _settings.Vertex ? null : _connection.ApiKey;

    private async ValueTask<ProxyError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[]? body = null;
        try
        {
            body = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxErrorBytes, cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The status alone still says what happened.
        }
        var status = (int)response.StatusCode;
        if (UpstreamHttp.IsSuccess(response.StatusCode))
        {
            // A stream request answered with JSON: an error object, or garbage.
            var parsed = GeminiErrors.Parse(body);
            return parsed.Status is not null || parsed.Code is not null
                ? GeminiErrors.Map(GeminiErrors.HttpStatus(parsed, 502), parsed, null, _connection.Name, Secret)
                : ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" did not answer a stream request with an event stream.");
        }
        return GeminiErrors.Map(status, GeminiErrors.Parse(body), UpstreamHttp.RetryAfter(response), _connection.Name, Secret);
    }

    public ValueTask DisposeAsync()
    {
        _tokens?.Dispose();
        _images.Dispose();
        return ValueTask.CompletedTask;
    }
}
