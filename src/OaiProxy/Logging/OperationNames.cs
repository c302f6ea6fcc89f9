namespace OaiProxy.Logging;

/// <summary>
/// The names of the proxy's API operations, one per inbound endpoint: the values of
/// <see cref="RequestLogEntry.Operation"/>, of the metrics' <c>oaiproxy.endpoint</c> attribute and of the usage
/// records' <c>endpoint</c>. A fixed set: a dialect names its operations with these, and a new endpoint adds its
/// name here (and to <see cref="All"/>).
/// </summary>
public static class OperationNames
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    public const string ChatCompletions = "chat.completions";

    /// <summary><c>POST /v1/completions</c> (legacy text completions).</summary>
    public const string Completions = "completions";

    /// <summary><c>POST /v1/embeddings</c>.</summary>
    public const string Embeddings = "embeddings";

    /// <summary><c>POST /v1/responses</c> (OpenAI's Responses API), passed through or translated.</summary>
    public const string Responses = "responses";

    /// <summary><c>POST /v1/messages</c> (Anthropic's Messages API).</summary>
    public const string Messages = "messages";

    /// <summary><c>POST /v1/messages/count_tokens</c>.</summary>
    public const string MessagesCountTokens = "messages.count_tokens";

    /// <summary>Every name above, in this order.</summary>
    public static IReadOnlyList<string> All { get; } = [ChatCompletions, Completions, Embeddings, Responses, Messages, MessagesCountTokens];
}
