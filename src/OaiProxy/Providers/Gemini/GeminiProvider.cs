using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// A Google connection: translates the OpenAI request to Gemini's <c>generateContent</c> (AI Studio with an API key,
/// or Vertex AI with a service account's access token) and the answer, or its stream, back to OpenAI's shape.
/// </summary>
internal sealed partial class GeminiProvider : HttpProvider
{
    private readonly GeminiSettings _settings;
    private readonly string _apiBase;
    private readonly GoogleAccessTokenSource? _tokens;
    private readonly GeminiImageFetcher _images;

    public GeminiProvider(ConnectionConfig connection, GeminiSettings settings, ProviderContext context) : base(connection, context)
    {
        _settings = settings;
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

    public override async ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        // 1. Translate; requests Gemini cannot express are the client's 400, too large ones its 413.
        byte[] body;
        try
        {
            var images = new GeminiImageBudget(request.Chat, _settings, _images);
            var translated = await GeminiRequestTranslator.TranslateAsync(request.Chat.Root, request.UpstreamModel, images.LoadAsync, cancellationToken);
            body = JsonSerializer.SerializeToUtf8Bytes(translated, ProxyJsonContext.Default.JsonObject);
        }
        catch (GeminiTranslationException e)
        {
            return ProviderResponse.Failed(e.Error);
        }
        if (body.Length > _settings.MaxUpstreamRequestBytes)
        {
            return ProviderResponse.Failed(new ProxyError(413, ErrorTypes.InvalidRequest, ErrorCodes.BodyTooLarge,
                $"The request translated for Gemini is {body.Length} bytes, more than the {_settings.MaxUpstreamRequestBytes} connection \"{Connection.Name}\" sends (max_upstream_request_bytes); send fewer or smaller images, or a shorter conversation."));
        }

        // 2. Send with the connection's credentials; the answer, or its stream, comes back translated.
        var stream = request.Chat.Stream;
        var reply = await PostAsync(GenerateUri(request.UpstreamModel, stream), body, stream, request.ExtraHeaders, cancellationToken);
        if (reply.Error is not null) return ProviderResponse.Failed(reply.Error);
        var created = Context.Time.GetUtcNow().ToUnixTimeSeconds();
        if (reply.Events is not null)
        {
            return ProviderResponse.Streaming(new GeminiTranslatingStream(reply.Response!, reply.Events, Connection.Name, Secrets,
                request.UpstreamModel, request.Chat.IncludeUsage, created), reply.RequestId);
        }
        return Translate(reply.Body!, request.UpstreamModel, created, reply.RequestId);
    }

    private ProviderResponse Translate(byte[] json, string model, long created, string? requestId)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (GeminiErrors.IsError(doc.RootElement, out var googleError))
            {
                return ProviderResponse.Failed(GeminiErrors.Map(GeminiErrors.HttpStatus(googleError, 502), googleError, null, Connection.Name, Secrets));
            }
            if (doc.RootElement.ValueKind == JsonValueKind.Object && GeminiResponseTranslator.Translate(doc.RootElement, model, created) is { } completion)
            {
                return ProviderResponse.Completed(completion, requestId ?? JsonFields.String(doc.RootElement, "responseId"));
            }
            return ProviderResponse.Failed(Unreadable("an answer without any candidate"));
        }
        catch (JsonException)
        {
            return ProviderResponse.Failed(Unreadable("a response that is not JSON"));
        }
    }

    public override ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        if (_settings.Vertex)
        {
            throw new ProviderException($"Connection \"{Connection.Name}\" (Vertex AI) cannot list models; name the models in routing instead of a wildcard.");
        }
        return ListModelPagesAsync(token => $"{_apiBase}/v1beta/models?pageSize=1000" + (token is null ? "" : "&pageToken=" + Uri.EscapeDataString(token)),
            (json, ids) => ParseModelPage(json, ids, Connection.Name), cancellationToken);
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
                    var name = JsonFields.String(model, "name");
                    var chat = model.TryGetProperty("supportedGenerationMethods", out var methods) && methods.ValueKind == JsonValueKind.Array &&
                               methods.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() == "generateContent");
                    if (name is not null && chat) ids.Add(name.StartsWith("models/", StringComparison.Ordinal) ? name[7..] : name);
                }
            }
            return JsonFields.String(root, "nextPageToken");
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

    protected override async ValueTask<ProxyError?> AuthorizeAsync(HttpRequestMessage message, IReadOnlyList<KeyValuePair<string, string>> forwarded,
        CancellationToken cancellationToken)
    {
        UpstreamHttp.AddHeaders(message, forwarded, Connection.HttpHeaders);
        if (_tokens is null)
        {
            message.Headers.Remove("x-goog-api-key");
            if (!string.IsNullOrEmpty(Connection.ApiKey)) message.Headers.TryAddWithoutValidation("x-goog-api-key", Connection.ApiKey);
            return null;
        }
        var (token, error) = await _tokens.GetAsync(cancellationToken);
        if (error is not null) return error;
        // A Vertex access token is a secret too, though the config never held it: scrubbed like the configured ones.
        Secrets.Remember(token);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return null;
    }

    protected override ProxyError ReadError(int status, byte[]? body, TimeSpan? retryAfter) =>
        GeminiErrors.Map(status, GeminiErrors.Parse(body, Secrets), retryAfter, Connection.Name, Secrets);

    /// <summary>Google answers a stream request it refuses with a JSON error object and status 200 at times.</summary>
    protected override ProxyError NotAnEventStream(byte[]? body)
    {
        var parsed = GeminiErrors.Parse(body, Secrets);
        return parsed.Status is not null || parsed.Code is not null
            ? GeminiErrors.Map(GeminiErrors.HttpStatus(parsed, 502), parsed, null, Connection.Name, Secrets)
            : base.NotAnEventStream(body);
    }

    public override async ValueTask DisposeAsync()
    {
        _tokens?.Dispose();
        _images.Dispose();
        await base.DisposeAsync();
    }
}
