using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;
using OaiProxy.Runtime;
using OaiProxy.Wire;

namespace OaiProxy.Dialects.Responses;

/// <summary>
/// OpenAI's <c>POST /responses</c>: a connection that serves the Responses API gets the client's bytes with only the
/// model spliced (or, when the proxy resolved stored state, the request with that state written in); any other gets
/// the request translated to chat, and the writer translates the answer back. Stored conversations
/// (<c>previous_response_id</c>, <c>item_reference</c>) are resolved once, before the limits count the tokens.
/// </summary>
internal sealed partial class ResponsesOperation(IResponseStore store, TimeProvider time, ILogger logger) : ProxyOperation
{
    private readonly List<JsonDocument> _documents = [];
    private readonly List<StoredItem> _input = [];
    private readonly ResponsesToolMap _tools = new();
    private RequestBody? _chat;
    private ChatParamMap? _chatParams;
    private RequestBody? _native;
    private bool _previousUnresolved;

    private string? _referenceUnresolved;
    private string _owner = "";
    private TimeSpan _retention;

    public override string Name => OperationNames.Responses;

    /// <summary>Whether the answering attempt went to a connection serving the Responses API (events relayed as they are).</summary>
    public bool AnsweredNatively { get; private set; }

    /// <summary>Whether the response is to be stored (<c>store</c> is not false, the API's default).</summary>
    public bool Store { get; private set; } = true;

    public string? PreviousResponseId { get; private set; }

    /// <summary>The stored conversation was written into a Responses upstream's input in place of <see cref="PreviousResponseId"/>.</summary>
    public string? PreviousIdWrittenIn => _native is not null ? PreviousResponseId : null;

    /// <summary>The seal of the reasoning state handed to the client.</summary>
    public StateSeal Seal { get; private set; } = new(null);

    public ResponsesToolMap Tools => _tools;

    public override RequestBody CountedBody => _chat ?? _native ?? Body;

    public override ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config)
    {
        var fields = new ResponsesFields();
        var error = BodyScanner.Scan(body, (string name, ref Utf8JsonReader reader) => fields.Check(name, ref reader), out var parsed);
        if (error is not null) return error;
        Store = fields.Store;
        PreviousResponseId = fields.PreviousResponseId;
        Accept(parsed!, parsed!.Stream);
        return null;
    }

    public override async ValueTask<ProxyError?> PrepareAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        var config = scope.State.Config;
        Seal = StateSeal.For(config.StateKey, config.MasterKey, () => ApiKeyIdSecretFile.Load(config.BaseDirectory, logger));
        _owner = ResponseOwner.Of(scope.Auth, scope.ApiKeyId);
        _retention = config.ResponsesRetention;
        var anyNative = scope.Targets.Any(t => scope.State.Provider(t.Connection.Name) is IResponsesProvider { ServesResponses: true });
        var anyTranslated = scope.Targets.Any(t => scope.State.Provider(t.Connection.Name) is not IResponsesProvider { ServesResponses: true });
        try
        {
            // 1. The stored conversation this one continues; one the proxy does not have may live at a Responses upstream.
            var conversation = new List<JsonElement>();
            if (PreviousResponseId is { } previous)
            {
                if (await store.FindConversationAsync(previous, _owner, cancellationToken) is { } history)
                {
                    conversation.AddRange(history.Select(Parse));
                }
                else if (anyNative)
                {
                    _previousUnresolved = true;
                }
                else
                {
                    return PreviousNotFound(previous);
                }
            }

            // 2. This request's input, with item references resolved among the caller's own stored items.
            var input = await InputItemsAsync(anyNative, cancellationToken);
            _chatParams = new ChatParamMap(conversation.Count, JsonFields.TryGet(Body.Root, "input", out var text) && text.ValueKind == JsonValueKind.String);
            conversation.AddRange(input);

            // 3. The chat form for translated connections, and the Responses form when stored state had to be written in.
            if (anyTranslated && !_previousUnresolved && _referenceUnresolved is null)
            {
                var dropped = new List<string>();
                _chat = ResponsesRequestTranslator.ToChat(Body.Root, conversation, _tools, Seal, dropped, _documents, _chatParams);
                if (_tools.Dropped.Count > 0) LogToolsDropped(logger, string.Join(", ", _tools.Dropped.Distinct()));
                if (dropped.Count > 0) LogItemsDropped(logger, string.Join(", ", dropped.Distinct()));
            }
            if (anyNative && (conversation.Count != input.Count || HasReferences() || input.Any(IsOurReasoning)))
            {
                _native = NativeBody(conversation);
            }
            return null;
        }
        catch (ResponsesTranslationException e)
        {
            return e.Error;
        }
    }

    public override Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> ForTarget(RouteTarget target,
        IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        RequestBody? chatForTarget = null;
        return (provider, cancellationToken) =>
        {
            AnsweredNatively = provider is IResponsesProvider { ServesResponses: true };
            if (provider is IResponsesProvider { ServesResponses: true } native)
            {
                return native.ResponsesAsync(new ResponsesUpstreamRequest
                {
                    Body = _native ?? Body,
                    UpstreamModel = target.UpstreamModel,
                    Connection = target.Connection,
                    ExtraHeaders = headers,
                }, cancellationToken);
            }
            if (_previousUnresolved) return ValueTask.FromResult(ProviderResponse.Failed(PreviousNotFound(PreviousResponseId!)));
            if (_referenceUnresolved is { } reference) return ValueTask.FromResult(ProviderResponse.Failed(ItemNotFound(reference)));
            if (_chat is null) return ValueTask.FromResult(ProviderResponse.Failed(ProxyError.Internal("The request was not translated for this connection.")));
            return ChatAsync(provider, new ChatUpstreamRequest
            {
                Chat = chatForTarget ??= BodyFor(target, _chat),
                UpstreamModel = target.UpstreamModel,
                Connection = target.Connection,
                ExtraHeaders = headers,
            }, cancellationToken);
        };
    }

    /// <summary>The translated call; a refusal names the fields of the client's Responses request, not of the chat request.</summary>
    private async ValueTask<ProviderResponse> ChatAsync(IProvider provider, ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        var response = await provider.ChatAsync(request, cancellationToken);
        return response.Error is { } error && _chatParams is not null ? ProviderResponse.Failed(_chatParams.ToResponses(error)) : response;
    }

    /// <summary>Stores the finished response with this request's input; returns when it is durable.</summary>
    public Task SaveAsync(string id, string responseJson, IEnumerable<StoredItem> output, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return store.SaveAsync(new StoredResponse
        {
            Id = id,
            Owner = _owner,
            PreviousResponseId = PreviousResponseId,
            CreatedAt = now,
            ExpiresAt = now + _retention,
            Response = responseJson,
            Input = _input,
            Output = output.ToList(),
        }, cancellationToken);
    }

    private static ProxyError PreviousNotFound(string id) =>
        new(404, ErrorTypes.InvalidRequest, "previous_response_not_found",
            $"Previous response with id \"{id}\" not found. It may have expired, been deleted, been made with store set to false, or belong to another key.", "previous_response_id");

    private static ProxyError ItemNotFound(string? id) =>
        new(404, ErrorTypes.InvalidRequest, "item_not_found", $"Item with id \"{id}\" not found. It may have expired, been deleted, or belong to another key.", "input");

    /// <summary>
    /// The input items, references resolved among the caller's stored items; one the proxy does not have is left for
    /// a Responses upstream to resolve (it stores items too) when one may serve the request, else a 404.
    /// </summary>
    private async Task<List<JsonElement>> InputItemsAsync(bool anyNative, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        if (!JsonFields.TryGet(Body.Root, "input", out var input)) return items;
        if (input.ValueKind == JsonValueKind.String)
        {
            items.Add(Remember(Parse(UserMessage(input.GetString()!)), null));
            return items;
        }
        var references = input.EnumerateArray().Where(IsReference).Select(i => JsonFields.String(i, "id")).OfType<string>().Distinct().ToList();
        var found = references.Count == 0 ? null : await store.FindItemsAsync(references, _owner, cancellationToken);
        foreach (var item in input.EnumerateArray())
        {
            if (!IsReference(item))
            {
                items.Add(Remember(item, JsonFields.String(item, "id")));
                continue;
            }
            var id = JsonFields.String(item, "id");
            if (id is null || found is null || !found.TryGetValue(id, out var stored))
            {
                if (id is null || !anyNative) throw new ResponsesTranslationException(ItemNotFound(id));
                _referenceUnresolved ??= id;
                items.Add(Remember(item, null));
                continue;
            }
            items.Add(Remember(Parse(stored.Json), stored.Id));
        }
        return items;
    }

    /// <summary>Keeps an input item for storing it with the response, under its id or a new one.</summary>
    private JsonElement Remember(JsonElement item, string? id)
    {
        _input.Add(new StoredItem(id ?? ResponsesIds.New("item_"), item.GetRawText()));
        return item;
    }

    private bool HasReferences() =>
        JsonFields.TryGet(Body.Root, "input", out var input) && input.ValueKind == JsonValueKind.Array && input.EnumerateArray().Any(IsReference);

    private static bool IsReference(JsonElement item) => JsonFields.String(item, "type") == "item_reference";

    private static bool IsOurReasoning(JsonElement item) =>
        JsonFields.String(item, "type") == "reasoning" && StateSeal.IsOurs(JsonFields.String(item, "encrypted_content"));

    private JsonElement Parse(StoredItem item) => Parse(item.Json);

    private JsonElement Parse(string json)
    {
        var document = JsonDocument.Parse(json);
        _documents.Add(document);
        return document.RootElement;
    }

    private static string UserMessage(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 64);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message"u8);
            w.WriteString("role"u8, "user"u8);
            w.WriteStartArray("content"u8);
            w.WriteStartObject();
            w.WriteString("type"u8, "input_text"u8);
            w.WriteString("text"u8, text);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The request for a Responses upstream with the proxy's stored state written in: the whole conversation as input, no previous id, no reasoning state of ours.</summary>
    private RequestBody NativeBody(List<JsonElement> conversation)
    {
        var buffer = new ArrayBufferWriter<byte>(Body.Body.Length + 1024);
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            w.WriteStartObject();
            foreach (var property in Body.Root.EnumerateObject())
            {
                if (property.NameEquals("input") || property.NameEquals("previous_response_id")) continue;
                property.WriteTo(w);
            }
            w.WriteStartArray("input"u8);
            foreach (var item in conversation)
            {
                if (!IsOurReasoning(item)) item.WriteTo(w);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var error = BodyScanner.Scan(buffer.WrittenMemory, static (string _, ref Utf8JsonReader reader) =>
        {
            reader.Skip();
            return null;
        }, out var body);
        return body ?? throw new InvalidOperationException($"The rebuilt Responses request is not valid: {error?.Message}");
    }

    protected override void Release()
    {
        _chat?.Dispose();
        _native?.Dispose();
        foreach (var document in _documents) document.Dispose();
    }

    [LoggerMessage(EventId = Diagnostics.LogEvents.ResponsesToolsDropped, Level = LogLevel.Warning,
        Message = "Responses request to a chat connection: tools no chat upstream runs were dropped: {Tools}.")]
    private static partial void LogToolsDropped(ILogger logger, string tools);

    [LoggerMessage(EventId = Diagnostics.LogEvents.ResponsesItemsDropped, Level = LogLevel.Warning,
        Message = "Responses request to a chat connection: input items no chat upstream takes were dropped: {Items}.")]
    private static partial void LogItemsDropped(ILogger logger, string items);
}
