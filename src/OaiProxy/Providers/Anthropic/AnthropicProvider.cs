using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Wire;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// An Anthropic Messages upstream behind the OpenAI chat-completions API: the request is translated, sent with
/// <c>x-api-key</c> and <c>anthropic-version</c>, and the message or event stream translated back.
/// </summary>
internal sealed partial class AnthropicProvider : IProvider
{
    /// <summary>Pages of the model list read at most (1000 models each), so a misbehaving upstream cannot loop us.</summary>
    public const int MaxModelPages = 20;

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly ConnectionConfig _connection;
    private readonly AnthropicSettings _settings;
    private readonly ProviderContext _context;
    private readonly ILogger _logger;
    private readonly Uri _messagesUri;
    private readonly string _modelsUrl;

    public AnthropicProvider(ConnectionConfig connection, AnthropicSettings settings, ProviderContext context)
    {
        _connection = connection;
        _settings = settings;
        _context = context;
        _logger = context.LoggerFactory.CreateLogger<AnthropicProvider>();
        // Both "https://api.anthropic.com" and ".../v1" are common ways to write the base.
        var apiBase = (connection.ApiBase ?? "https://api.anthropic.com").TrimEnd('/');
        if (!apiBase.EndsWith("/v1", StringComparison.Ordinal)) apiBase += "/v1";
        _messagesUri = new Uri(apiBase + "/messages");
        _modelsUrl = apiBase + "/models";
    }

    public async ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        // 1. Translate; a request Anthropic cannot honour is the client's 400, not worth a retry.
        var (body, error) = Translate(request);
        if (error is not null) return ProviderResponse.Failed(error);
        var stream = request.Chat.Stream;
        using var message = new HttpRequestMessage(HttpMethod.Post, _messagesUri)
        {
            Content = new ByteArrayContent(Serialize(body!)) { Headers = { ContentType = JsonContentType } },
            Version = System.Net.HttpVersion.Version11,
        };
        ApplyHeaders(message, request.ExtraHeaders);
        if (stream) message.Headers.Accept.ParseAdd("text/event-stream");

        // 2. Send; transport failures come back as retryable errors.
        var (response, sendError) = await UpstreamHttp.SendAsync(_context.Http, message, _connection.Name, cancellationToken);
        if (sendError is not null) return ProviderResponse.Failed(sendError);
        var requestId = UpstreamHttp.RequestId(response!);

        // 3. Upstream errors in OpenAI's shape.
        if (!UpstreamHttp.IsSuccess(response!.StatusCode))
        {
            using (response)
            {
                var errorBody = await ReadErrorBodyAsync(response, cancellationToken);
                return ProviderResponse.Failed(AnthropicErrors.FromResponse((int)response.StatusCode, errorBody,
                    UpstreamHttp.RetryAfter(response), _connection.Name, _connection.ApiKey));
            }
        }

        // 4. Streams are handed over unread; messages are read whole and translated.
        var created = _context.Time.GetUtcNow().ToUnixTimeSeconds();
        if (stream)
        {
            if (!UpstreamHttp.IsEventStream(response))
            {
                response.Dispose();
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" did not answer a stream request with an event stream."));
            }
            var events = await response.Content.ReadAsStreamAsync(cancellationToken);
            return ProviderResponse.Streaming(new AnthropicTranslatingStream(response, events, _connection.Name, _connection.ApiKey,
                request.Chat.IncludeUsage, created, _logger), requestId);
        }
        using (response)
        {
            var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken);
            if (json is null)
            {
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response larger than {UpstreamHttp.MaxResponseBytes / (1024 * 1024)} MiB.", retryable: false));
            }
            try
            {
                return ProviderResponse.Completed(AnthropicResponseTranslator.FromAnthropicMessage(json, created, _connection.Name, _logger), requestId);
            }
            catch (JsonException)
            {
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response that is not an Anthropic message."));
            }
        }
    }

    private (JsonObject? Body, ProxyError? Error) Translate(ChatUpstreamRequest request)
    {
        var root = request.Chat.Root;
        if (_connection.DefaultArgs is { Count: > 0 } defaults)
        {
            // default_args are OpenAI request fields the client did not send; merged before translation.
            var merged = (JsonObject)JsonNode.Parse(request.Chat.Body.Span)!;
            foreach (var (key, value) in defaults)
            {
                if (!merged.ContainsKey(key)) merged[key] = value?.DeepClone();
            }
            using var document = JsonDocument.Parse(Serialize(merged));
            return AnthropicRequestTranslator.ToAnthropicRequest(document.RootElement.Clone(), request.UpstreamModel, _settings, request.Chat.Stream);
        }
        return AnthropicRequestTranslator.ToAnthropicRequest(root, request.UpstreamModel, _settings, request.Chat.Stream);
    }

    internal static byte[] Serialize(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            node.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public async ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? after = null;
        for (var page = 0; page < MaxModelPages; page++)
        {
            var url = _modelsUrl + "?limit=1000" + (after is null ? "" : "&after_id=" + Uri.EscapeDataString(after));
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            ApplyHeaders(message, []);
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
                after = ParseModelPage(json, ids, _connection.Name);
                if (after is null) return ids;
            }
        }
        return ids;
    }

    /// <summary>Adds a page's ids; returns the cursor of the next page, or null when this was the last.</summary>
    internal static string? ParseModelPage(byte[] json, List<string> ids, string connection)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (AnthropicJson.TryGet(root, "data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                foreach (var model in data.EnumerateArray())
                {
                    if (AnthropicJson.String(model, "id") is { } id) ids.Add(id);
                }
            }
            var hasMore = AnthropicJson.TryGet(root, "has_more", out var more) && more.ValueKind == JsonValueKind.True;
            return hasMore ? AnthropicJson.String(root, "last_id") : null;
        }
        catch (JsonException e)
        {
            throw new ProviderException($"The model list of connection \"{connection}\" is not valid JSON.", e);
        }
    }

    private void ApplyHeaders(HttpRequestMessage message, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        // Connection headers (anthropic-beta, say) win over forwarded ones; the key and version are the proxy's own.
        UpstreamHttp.AddHeaders(message, extra, _connection.HttpHeaders);
        message.Headers.Remove("x-api-key");
        message.Headers.Remove("authorization");
        if (!string.IsNullOrEmpty(_connection.ApiKey)) message.Headers.TryAddWithoutValidation("x-api-key", _connection.ApiKey);
        if (!message.Headers.Contains("anthropic-version")) message.Headers.TryAddWithoutValidation("anthropic-version", _settings.AnthropicVersion);
    }

    private static async ValueTask<byte[]?> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxErrorBytes, cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The status alone still says what happened.
            return null;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
