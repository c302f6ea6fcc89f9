using System.Net.Http.Headers;
using System.Text.Json;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Requests;
using OaiProxy.Usage;

namespace OaiProxy.Providers.OpenAi;

/// <summary>
/// Pass-through to an OpenAI-compatible upstream: the client's body goes out with only <c>model</c> spliced; the
/// answer comes back untouched, streamed event by event.
/// </summary>
internal sealed partial class OpenAiProvider : HttpProvider
{
    private readonly OpenAiSettings _settings;
    private readonly Uri _chatUri;
    private readonly Uri _modelsUri;
    private readonly AuthenticationHeaderValue? _authorization;

    public OpenAiProvider(ConnectionConfig connection, ProviderContext context, OpenAiSettings settings) : base(connection, context)
    {
        _settings = settings;
        var apiBase = connection.ApiBase!.TrimEnd('/');
        _chatUri = new Uri(apiBase + "/chat/completions");
        _modelsUri = new Uri(apiBase + "/models");
        // Built once: header values are never mutated after construction, so every request can share it.
        _authorization = string.IsNullOrEmpty(connection.ApiKey) ? null : new AuthenticationHeaderValue("Bearer", connection.ApiKey);
    }

    // Awaits the skeleton itself rather than through ForwardAsync: one async frame less on the hottest path.
    public override async ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        var (body, usageAdded) = Outgoing(request.Chat, request.UpstreamModel);
        return Relayed(await PostAsync(_chatUri, body, request.Chat.Stream, request.ExtraHeaders, cancellationToken), usageAdded);
    }

    /// <summary>The body goes out as spliced; the answer comes back untouched: events as they are, or a JSON object.</summary>
    private async ValueTask<ProviderResponse> ForwardAsync(Uri uri, RequestBody request, string upstreamModel, IReadOnlyList<KeyValuePair<string, string>> headers,
        CancellationToken cancellationToken)
    {
        var (body, usageAdded) = Outgoing(request, upstreamModel);
        return Relayed(await PostAsync(uri, body, request.Stream, headers, cancellationToken), usageAdded);
    }

    /// <summary>The client's bytes with the model spliced, and the stream's usage asked for when the client did not ask.</summary>
    private (byte[] Body, bool UsageAdded) Outgoing(RequestBody request, string upstreamModel)
    {
        var body = BodyRewriter.Rewrite(request, upstreamModel, null);
        var addUsage = _settings.StreamUsage && request.Stream && !request.IncludeUsage;
        return (addUsage ? StreamUsageOption.Add(body) : body, addUsage);
    }

    private ProviderResponse Relayed(UpstreamReply reply, bool usageAdded = false)
    {
        if (reply.Error is not null) return ProviderResponse.Failed(reply.Error);
        if (reply.Events is not null)
        {
            return ProviderResponse.Streaming(new OpenAiEventStream(reply.Response!, reply.Events, Connection.Name, usageAdded ? new UsageChunkFilter() : null),
                reply.RequestId);
        }
        return UsageReader.TryReadObject(reply.Body!, out var usage)
            ? ProviderResponse.Completed(reply.Body!, reply.RequestId, usage)
            : ProviderResponse.Failed(Unreadable("a response that is not a JSON object"));
    }

    public override ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) =>
        ListModelPagesAsync(_ => _modelsUri.ToString(), (json, ids) =>
        {
            ids.AddRange(ParseModelIds(json, Connection.Name));
            return null;
        }, cancellationToken);

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

    protected override ValueTask<ProxyError?> AuthorizeAsync(HttpRequestMessage message, IReadOnlyList<KeyValuePair<string, string>> forwarded,
        CancellationToken cancellationToken)
    {
        UpstreamHttp.AddHeaders(message, forwarded, Connection.HttpHeaders);
        if (_authorization is not null) message.Headers.Authorization = _authorization;
        return ValueTask.FromResult<ProxyError?>(null);
    }

    protected override ProxyError ReadError(int status, byte[]? body, TimeSpan? retryAfter)
    {
        var (message, type, code, param) = ReadOpenAiError(body, Secrets);
        return UpstreamErrorMapper.Map(status, message, type, code, param, retryAfter, Connection.Name, Secrets);
    }

    internal static (string? Message, string? Type, string? Code, string? Param) ReadOpenAiError(byte[]? body, SecretScrubber secrets)
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
                    return (JsonFields.StringOrNumber(error, "message"), JsonFields.StringOrNumber(error, "type"), JsonFields.StringOrNumber(error, "code"), JsonFields.StringOrNumber(error, "param"));
                }
            }
            if (root.ValueKind == JsonValueKind.Object && JsonFields.StringOrNumber(root, "message") is { } message) return (message, null, null, null);
            if (root.ValueKind == JsonValueKind.Object && JsonFields.StringOrNumber(root, "detail") is { } detail) return (detail, null, null, null);
        }
        catch (JsonException)
        {
            // Not JSON: fall back to plain text below.
        }
        return (UpstreamHttp.Excerpt(body, secrets), null, null, null);
    }
}
