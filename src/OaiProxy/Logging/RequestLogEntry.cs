using System.Text.Json.Nodes;
using OaiProxy.Errors;
using OaiProxy.Usage;

namespace OaiProxy.Logging;

/// <summary>
/// Everything known about one request once it is over: lm-proxy's log entry fields plus status, usage and time to
/// first token. Filled in along the request path, then handed to the loggers off that path.
/// </summary>
public sealed class RequestLogEntry
{
    public required string Id { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The API operation, one of <see cref="OperationNames"/>: <c>chat.completions</c> (default), <c>completions</c>, <c>embeddings</c>, <c>responses</c>, <c>messages</c>, <c>messages.count_tokens</c>.</summary>
    public string Operation { get; init; } = OperationNames.ChatCompletions;

    /// <summary>The client's request body (parsed), null when it was not JSON.</summary>
    public JsonNode? Request { get; set; }

    /// <summary>The completion in OpenAI's shape; for streams, assembled from the chunks.</summary>
    public JsonNode? Response { get; set; }

    /// <summary>The raw request body; parsed into <see cref="Request"/> off the request path.</summary>
    public ReadOnlyMemory<byte> RequestBody { get; set; }

    /// <summary>The raw JSON completion; parsed into <see cref="Response"/> off the request path.</summary>
    public ReadOnlyMemory<byte> ResponseBody { get; set; }

    public ProxyError? Error { get; set; }

    public string? Group { get; set; }

    public string? Connection { get; set; }

    /// <summary>The model the client asked for.</summary>
    public string? Model { get; set; }

    /// <summary>The model name sent upstream.</summary>
    public string? UpstreamModel { get; set; }

    public string? ApiKeyId { get; set; }

    /// <summary>The stored key's id (<see cref="Auth.AuthResult.KeyId"/>); null for config keys.</summary>
    public string? KeyId { get; set; }

    public string? RemoteAddr { get; set; }

    public JsonNode? UserInfo { get; set; }

    public int Status { get; set; }

    public bool Stream { get; set; }

    /// <summary>The client went away before the answer was complete.</summary>
    public bool ClientAborted { get; set; }

    public UsageInfo? Usage { get; set; }

    public TimeSpan? Duration { get; set; }

    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>Upstream attempts made (retries and fallbacks included).</summary>
    public int Attempts { get; set; }

    /// <summary>Time the proxy added before the response started, upstream waits excluded (the overhead header).</summary>
    public TimeSpan? Overhead { get; set; }
}
