using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Providers.Http;
using OaiProxy.Requests;
using OaiProxy.Wire;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// An Anthropic Messages upstream behind the OpenAI chat-completions API: the request is translated, sent with
/// <c>x-api-key</c> and <c>anthropic-version</c>, and the message or event stream translated back.
/// </summary>
internal sealed partial class AnthropicProvider : HttpProvider
{
    private readonly AnthropicSettings _settings;
    private readonly ILogger _logger;
    private readonly Uri _messagesUri;
    private readonly string _modelsUrl;

    public AnthropicProvider(ConnectionConfig connection, AnthropicSettings settings, ProviderContext context) : base(connection, context)
    {
        _settings = settings;
        _logger = context.LoggerFactory.CreateLogger<AnthropicProvider>();
        // Both "https://api.anthropic.com" and ".../v1" are common ways to write the base.
        var apiBase = (connection.ApiBase ?? "https://api.anthropic.com").TrimEnd('/');
        if (!apiBase.EndsWith("/v1", StringComparison.Ordinal)) apiBase += "/v1";
        _messagesUri = new Uri(apiBase + "/messages");
        _modelsUrl = apiBase + "/models";
    }

    public override int? DefaultMaxTokens(string upstreamModel) => AnthropicMaxTokens.Default(_settings, upstreamModel);

    public override async ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        // 1. Translate; a request Anthropic cannot honour is the client's 400, not worth a retry.
        var (body, error) = AnthropicRequestTranslator.ToAnthropicRequest(request.Chat.Root, request.UpstreamModel, _settings, request.Chat.Stream);
        if (error is not null) return ProviderResponse.Failed(error);

        // 2. Send; the message or its event stream comes back translated.
        var reply = await PostAsync(_messagesUri, Serialize(body!), request.Chat.Stream, request.ExtraHeaders, cancellationToken);
        if (reply.Error is not null) return ProviderResponse.Failed(reply.Error);
        var created = Context.Time.GetUtcNow().ToUnixTimeSeconds();
        if (reply.Events is not null)
        {
            return ProviderResponse.Streaming(new AnthropicTranslatingStream(reply.Response, reply.Events, Connection.Name, Secrets,
                request.Chat.IncludeUsage, created, _logger), reply.RequestId);
        }
        try
        {
            return ProviderResponse.Completed(AnthropicResponseTranslator.FromAnthropicMessage(reply.Body!, created, Connection.Name, _logger), reply.RequestId);
        }
        catch (JsonException)
        {
            return ProviderResponse.Failed(Unreadable("a response that is not an Anthropic message"));
        }
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

    public override ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) =>
        ListModelPagesAsync(after => _modelsUrl + "?limit=1000" + (after is null ? "" : "&after_id=" + Uri.EscapeDataString(after)),
            (json, ids) => ParseModelPage(json, ids, Connection.Name), cancellationToken);

    /// <summary>Adds a page's ids; returns the cursor of the next page, or null when this was the last.</summary>
    internal static string? ParseModelPage(byte[] json, List<string> ids, string connection)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (JsonFields.TryGet(root, "data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                foreach (var model in data.EnumerateArray())
                {
                    if (JsonFields.String(model, "id") is { } id) ids.Add(id);
                }
            }
            var hasMore = JsonFields.TryGet(root, "has_more", out var more) && more.ValueKind == JsonValueKind.True;
            return hasMore ? JsonFields.String(root, "last_id") : null;
        }
        catch (JsonException e)
        {
            throw new ProviderException($"The model list of connection \"{connection}\" is not valid JSON.", e);
        }
    }

    protected override ValueTask<ProxyError?> AuthorizeAsync(HttpRequestMessage message, IReadOnlyList<KeyValuePair<string, string>> forwarded,
        CancellationToken cancellationToken)
    {
        // Connection headers (anthropic-beta, say) win over forwarded ones; the key and version are the proxy's own.
        UpstreamHttp.AddHeaders(message, forwarded, Connection.HttpHeaders);
        message.Headers.Remove("x-api-key");
        message.Headers.Remove("authorization");
        if (!string.IsNullOrEmpty(Connection.ApiKey)) message.Headers.TryAddWithoutValidation("x-api-key", Connection.ApiKey);
        if (!message.Headers.Contains("anthropic-version")) message.Headers.TryAddWithoutValidation("anthropic-version", _settings.AnthropicVersion);
        return ValueTask.FromResult<ProxyError?>(null);
    }

    protected override ProxyError ReadError(int status, byte[]? body, TimeSpan? retryAfter) =>
        AnthropicErrors.FromResponse(status, body, retryAfter, Connection.Name, Secrets);
}
