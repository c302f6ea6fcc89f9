using OaiProxy.Configuration;
using OaiProxy.Logging;
using OaiProxy.Usage;

namespace OaiProxy.Storage.Usage;

/// <summary>One request's usage row: who, what, how much, how fast. The request id makes replays idempotent.</summary>
internal sealed record UsageRecord
{
    public required string Id { get; init; }
    public long CreatedAt { get; init; }
    public string? KeyId { get; init; }
    public string? Group { get; init; }
    public string? Connection { get; init; }
    public string? Model { get; init; }
    public string? UpstreamModel { get; init; }

    /// <summary>The API the request came through, one of <see cref="OperationNames.All"/>; null for records older than the column.</summary>
    public string? Endpoint { get; init; }
    public int Status { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long CachedTokens { get; init; }
    public long ReasoningTokens { get; init; }
    public long CostNanos { get; init; }
    public long? LatencyMs { get; init; }
    public long? TtftMs { get; init; }
    public bool Stream { get; init; }
    public bool ClientAborted { get; init; }

    /// <summary>
    /// The row for a finished request. A config key has no stored id; its <c>api_key_id</c> hash stands in, so
    /// usage by key covers every key without revealing one.
    /// </summary>
    public static UsageRecord From(RequestLogEntry entry, PriceTable prices) => new()
    {
        Id = entry.Id,
        CreatedAt = entry.CreatedAt.ToUnixTimeMilliseconds(),
        KeyId = entry.KeyId ?? entry.ApiKeyId,
        Group = entry.Group,
        Connection = entry.Connection,
        Model = entry.Model,
        UpstreamModel = entry.UpstreamModel,
        Endpoint = KnownEndpoint(entry.Operation),
        Status = entry.Status,
        PromptTokens = entry.Usage?.PromptTokens ?? 0,
        CompletionTokens = entry.Usage?.CompletionTokens ?? 0,
        CachedTokens = entry.Usage?.CachedTokens ?? 0,
        ReasoningTokens = entry.Usage?.ReasoningTokens ?? 0,
        CostNanos = prices.CostNanos(entry.Usage, entry.UpstreamModel, entry.Model),
        LatencyMs = entry.Duration is { } d ? (long)d.TotalMilliseconds : null,
        TtftMs = entry.TimeToFirstToken is { } t ? (long)t.TotalMilliseconds : null,
        Stream = entry.Stream,
        ClientAborted = entry.ClientAborted,
    };

    /// <summary>The fixed name, so the column holds only values the admin API's <c>endpoint</c> filter accepts; null for any other.</summary>
    public static string? KnownEndpoint(string? operation)
    {
        foreach (var name in OperationNames.All)
        {
            if (string.Equals(name, operation, StringComparison.Ordinal)) return name;
        }
        return null;
    }
}
