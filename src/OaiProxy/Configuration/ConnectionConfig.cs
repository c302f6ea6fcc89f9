using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>One upstream connection (<c>[connections.NAME]</c>).</summary>
public sealed record ConnectionConfig
{
    public required string Name { get; init; }

    /// <summary><c>api_type</c>: the provider, such as <c>open_ai</c>, <c>anthropic</c>, <c>google_ai_studio</c>. Default <c>open_ai</c>.</summary>
    public required string ApiType { get; init; }

    /// <summary><c>api_base</c>: base URL of the upstream API. Default: the provider's public endpoint.</summary>
    public string? ApiBase { get; init; }

    /// <summary><c>api_key</c>: the provider key; never leaves the proxy.</summary>
    public string? ApiKey { get; init; }

    /// <summary><c>http_headers</c> (alias <c>extra_headers</c>): static headers added to every upstream request.</summary>
    public IReadOnlyDictionary<string, string> HttpHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>allowed_client_headers</c>: which of the client headers that change billing at the provider
    /// (<c>openai-organization</c>, <c>openai-project</c>, <c>x-goog-user-project</c>) may reach this connection when a
    /// <c>before</c> handler forwards them; a group's list adds to it. Default: none.
    /// </summary>
    public IReadOnlyList<string> AllowedClientHeaders { get; init; } = [];

    /// <summary>
    /// <c>allowed_anthropic_betas</c>: the <c>anthropic-beta</c> values a client may send to this connection (others
    /// are dropped from the header); <c>["*"]</c> passes all, <c>[]</c> none; a group's list adds to it. Default: the
    /// betas Claude Code sends, <c>claude-code-20250219</c>, <c>interleaved-thinking-2025-05-14</c>,
    /// <c>fine-grained-tool-streaming-2025-05-14</c> and <c>context-management-2025-06-27</c>.
    /// </summary>
    public IReadOnlyList<string> AllowedAnthropicBetas { get; init; } = GatedHeaders.ClaudeCodeBetas;

    /// <summary><c>default_args</c>: request fields applied when the client did not send them.</summary>
    public JsonObject? DefaultArgs { get; init; }

    public TimeoutsConfig Timeouts { get; init; } = new();

    /// <summary><c>max_retries</c>: retries of a failed attempt on this connection. Default 2.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary><c>breaker_failures</c>, <c>breaker_cooldown</c>, <c>retry_budget</c>.</summary>
    public BreakerConfig Breaker { get; init; } = new();

    /// <summary><c>rpm</c>, <c>tpm</c>, <c>max_parallel</c>: limits of the requests sent through this connection. Default: none.</summary>
    public LimitsConfig? Limits { get; init; }

    /// <summary>Provider-specific settings, as read by the provider's factory.</summary>
    public object? ProviderSettings { get; init; }

    /// <summary>The connection's table as written, to tell whether a reload changed it.</summary>
    public required string Fingerprint { get; init; }
}
