using System.Text;
using System.Text.Json;
using OaiProxy.Configuration;
using OaiProxy.Errors;
using OaiProxy.Logging;
using OaiProxy.Pipeline;
using OaiProxy.Providers;
using OaiProxy.Requests;
using OaiProxy.Routing;
using OaiProxy.Usage;

namespace OaiProxy.Dialects.Anthropic;

/// <summary>
/// Anthropic's <c>POST /messages</c> (and <c>/messages/count_tokens</c>): a provider that speaks Messages natively
/// gets the client's bytes with only the model spliced; any other gets the request translated to OpenAI chat
/// through its <see cref="IProvider.ChatAsync"/>, and the endpoint translates the answer back. Which of the two
/// answered is known per attempt (<see cref="AnsweredNatively"/>), since fallback may cross kinds. Token counts
/// for non-native connections are estimated locally from the translated request (<see cref="PromptTokenCounter"/>).
/// </summary>
internal sealed class MessagesOperation(bool countTokens, string? anthropicVersion, string? anthropicBeta) : ProxyOperation
{
    private RequestBody? _body;
    private RequestBody? _translated;
    private ProxyError? _translationError;
    private List<string> _stopSequences = [];
    private GroupConfig? _group;

    public override string Name => countTokens ? OperationNames.MessagesCountTokens : OperationNames.Messages;

    public bool CountTokens => countTokens;


    /// <summary>Whether the answering attempt went to a native Messages provider (bytes relayed as they are).</summary>
    public bool AnsweredNatively { get; private set; }

    public IReadOnlyList<string> StopSequences => _stopSequences;

    public override ProxyError? Parse(ReadOnlyMemory<byte> body, ProxyConfig config)
    {
        var hasMessages = false;
        var hasMaxTokens = false;
        var stops = new List<string>();
        var error = BodyScanner.Scan(body, (string name, ref Utf8JsonReader reader) =>
        {
            switch (name)
            {
                case "messages":
                    if (reader.TokenType != JsonTokenType.StartArray) return Invalid("messages: Input should be a valid list.");
                    hasMessages = true;
                    break;
                case "max_tokens":
                    if (reader.TokenType != JsonTokenType.Number) return Invalid("max_tokens: Input should be a valid integer.");
                    hasMaxTokens = true;
                    break;
                case "temperature" or "top_p":
                    // Copied as they are into a translated request: a wrong type is the client's 400 on every path.
                    if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null)) return Invalid($"{name}: Input should be a valid number.");
                    break;
                case "stop_sequences" when reader.TokenType == JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.String) stops.Add(reader.GetString()!);
                    }
                    return null;
            }
            reader.Skip();
            return null;
        }, out _body);
        if (error is not null) return error;
        if (!hasMessages) return Invalid("messages: Field required.");
        if (!hasMaxTokens && !countTokens) return Invalid("max_tokens: Field required.");
        Accept(_body!, _body!.Stream && !countTokens);
        _stopSequences = stops;
        return null;
    }

    private static ProxyError Invalid(string message) => ProxyError.BadRequest(message, code: "invalid_request_error");

    /// <summary>Keeps the caller's group: it decides, with each target's connection, which of the client's betas go.</summary>
    public override ValueTask<ProxyError?> PrepareAsync(OperationScope scope, CancellationToken cancellationToken)
    {
        _group = scope.State.Group(scope.Auth.Group);
        return ValueTask.FromResult<ProxyError?>(null);
    }

    public override Func<IProvider, CancellationToken, ValueTask<ProviderResponse>> ForTarget(RouteTarget target,
        IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var native = new MessagesUpstreamRequest
        {
            Body = _body!,
            UpstreamModel = target.UpstreamModel,
            Connection = target.Connection,
            AnthropicVersion = anthropicVersion,
            AnthropicBeta = ClientHeaderGate.AnthropicBetas(anthropicBeta, target.Connection, _group),
            ExtraHeaders = headers,
        };
        RequestBody? translatedForTarget = null;
        return (provider, cancellationToken) =>
        {
            AnsweredNatively = provider is IMessagesProvider;
            if (provider is IMessagesProvider messages)
            {
                return countTokens ? messages.CountTokensAsync(native, cancellationToken) : messages.MessagesAsync(native, cancellationToken);
            }
            if (Translated() is not { } chat) return ValueTask.FromResult(ProviderResponse.Failed(_translationError!));
            if (countTokens) return ValueTask.FromResult(ProviderResponse.Completed(EstimatedCount(chat, cancellationToken)));
            return provider.ChatAsync(new ChatUpstreamRequest
            {
                Chat = translatedForTarget ??= BodyFor(target, chat),
                UpstreamModel = target.UpstreamModel,
                Connection = target.Connection,
                ExtraHeaders = headers,
            }, cancellationToken);
        };
    }

    /// <summary>
    /// <c>count_tokens</c> answered locally: the translated request counted as the limits count it, an estimate for
    /// budgeting, as Anthropic's own count is for its tokenizer only.
    /// </summary>
    private static byte[] EstimatedCount(RequestBody chat, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetBytes($$"""{"input_tokens":{{PromptTokenCounter.Count(chat.Root, cancellationToken)}}}""");

    /// <summary>The OpenAI chat form of the request, built once on first use; null (with the 400) when it has none.</summary>
    private RequestBody? Translated()
    {
        if (_translated is not null || _translationError is not null) return _translated;
        try
        {
            _translated = MessagesRequestTranslator.ToOpenAiChat(_body!.Root);
        }
        catch (MessagesTranslationException e)
        {
            _translationError = e.Error;
        }
        return _translated;
    }

    protected override void Release()
    {
        _translated?.Dispose();
    }
}
