using System.Net.Http.Headers;
using System.Text.Json;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Requests;
using OaiProxy.Usage;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// Pass-through to an OpenAI-compatible upstream: the client's body goes out with only <c>model</c> spliced (and
/// defaults appended); the answer comes back untouched, streamed event by event.
/// </summary>
internal sealed partial class OpenAiProvider : IProvider
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly ConnectionConfig _connection;
    private readonly ProviderContext _context;
    private readonly Uri _chatUri;
    private readonly Uri _modelsUri;
    private readonly AuthenticationHeaderValue? _authorization;

    public OpenAiProvider(ConnectionConfig connection, ProviderContext context)
    {
        _connection = connection;
        _context = context;
        var apiBase = connection.ApiBase!.TrimEnd('/');
        _chatUri = new Uri(apiBase + "/chat/completions");
        _modelsUri = new Uri(apiBase + "/models");
        // Built once: header values are never mutated after construction, so every request can share it.
        _authorization = string.IsNullOrEmpty(connection.ApiKey) ? null : new AuthenticationHeaderValue("Bearer", connection.ApiKey);
    }

    public async ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        // 1. Build the upstream request: spliced body, provider key, static and forwarded headers.
        var body = BodyRewriter.Rewrite(request.Chat, request.UpstreamModel, _connection.DefaultArgs);
        using var message = new HttpRequestMessage(HttpMethod.Post, _chatUri)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = JsonContentType } },
            Version = System.Net.HttpVersion.Version11,
        };
        ApplyHeaders(message, request.ExtraHeaders);
        if (request.Chat.Stream) message.Headers.Accept.ParseAdd("text/event-stream");

        // 2. Send; transport failures come back as retryable errors.
        var (response, error) = await UpstreamHttp.SendAsync(_context.Http, message, _connection.Name, cancellationToken);
        if (error is not null) return ProviderResponse.Failed(error);
        var requestId = UpstreamHttp.RequestId(response!);

        // 3. Upstream errors keep their meaning.
        if (!UpstreamHttp.IsSuccess(response!.StatusCode))
        {
            using (response)
            {
                return ProviderResponse.Failed(await ReadErrorAsync(response, cancellationToken));
            }
        }

        // 4. Streams are handed over unread; JSON bodies are read whole and checked.
        if (request.Chat.Stream)
        {
            if (!UpstreamHttp.IsEventStream(response))
            {
                response.Dispose();
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" did not answer a stream request with an event stream."));
            }
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return ProviderResponse.Streaming(new OpenAiEventStream(response, stream, _connection.Name), requestId);
        }
        using (response)
        {
            var json = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxResponseBytes, cancellationToken);
            if (json is null)
            {
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response larger than {UpstreamHttp.MaxResponseBytes / (1024 * 1024)} MiB."));
            }
            if (!UsageReader.TryReadObject(json, out var usage))
            {
                return ProviderResponse.Failed(ProxyError.BadGateway($"The upstream of connection \"{_connection.Name}\" sent a response that is not a JSON object."));
            }
            return ProviderResponse.Completed(json, requestId, usage);
        }
    }

    public async ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, _modelsUri);
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
            return ParseModelIds(json, _connection.Name);
        }
    }

    internal static List<string> ParseModelIds(byte[] json, string connection)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var ids = new List<string>();
            if (doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in data.EnumerateArray())
                {
                    if (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) ids.Add(id.GetString()!);
                }
            }
            return ids;
        }
        catch (JsonException e)
        {
            throw new ProviderException($"The model list of connection \"{connection}\" is not valid JSON.", e);
        }
    }

    private void ApplyHeaders(HttpRequestMessage message, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        UpstreamHttp.AddHeaders(message, extra, _connection.HttpHeaders);
        if (_authorization is not null) message.Headers.Authorization = _authorization;
    }

    private async ValueTask<ProxyError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[]? body = null;
        try
        {
            body = await UpstreamHttp.ReadBoundedAsync(response.Content, UpstreamHttp.MaxErrorBytes, cancellationToken);
        }
        catch (IOException)
        {
            // The status alone still says what happened.
        }
        catch (HttpRequestException)
        {
            // Same: a broken error body does not hide the status.
        }
        var (message, type, code, param) = ReadOpenAiError(body);
        return UpstreamErrorMapper.Map((int)response.StatusCode, message, type, code, param,
            UpstreamHttp.RetryAfter(response), _connection.Name, _connection.ApiKey);
    }

    internal static (string? Message, string? Type, string? Code, string? Param) ReadOpenAiError(byte[]? body)
    {
        if (body is null || body.Length == 0) return default;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String) return (error.GetString(), null, null, null);
                if (error.ValueKind == JsonValueKind.Object)
                {
                    return (Text(error, "message"), Text(error, "type"), Text(error, "code"), Text(error, "param"));
                }
            }
            if (root.ValueKind == JsonValueKind.Object && Text(root, "message") is { } message) return (message, null, null, null);
            if (root.ValueKind == JsonValueKind.Object && Text(root, "detail") is { } detail) return (detail, null, null, null);
        }
        catch (JsonException)
        {
            // Not JSON: fall back to plain text below.
        }
        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        return (text.Length > 500 ? text[..500] : text, null, null, null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : null;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
