namespace OaiProxy.Configuration;

/// <summary>A group of virtual keys and the connections it may use (<c>[groups.NAME]</c>).</summary>
public sealed record GroupConfig(string Name)
{
    /// <summary><c>api_keys</c>: the virtual keys of the group.</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary><c>allowed_connections</c>: <c>"*"</c> (default) or a comma-separated list (a list also works).</summary>
    public IReadOnlyList<string>? AllowedConnections { get; init; }

    /// <summary>
    /// <c>allowed_client_headers</c>: billing headers (<c>openai-organization</c>, <c>openai-project</c>,
    /// <c>x-goog-user-project</c>) the group's keys may send to any connection, beside the connection's own list. Default: none.
    /// </summary>
    public IReadOnlyList<string> AllowedClientHeaders { get; init; } = [];

    /// <summary>
    /// <c>allowed_anthropic_betas</c>: <c>anthropic-beta</c> values the group's keys may send to any connection, beside
    /// the connection's own list; <c>["*"]</c> passes all. Default: none beyond the connection's.
    /// </summary>
    public IReadOnlyList<string> AllowedAnthropicBetas { get; init; } = [];

    /// <summary><c>rpm</c>, <c>tpm</c>, <c>max_parallel</c>, <c>budget</c>: limits shared by all keys of the group. Default: none.</summary>
    public LimitsConfig? Limits { get; init; }

    public bool Allows(string connection)
    {
        if (AllowedConnections is null) return true;
        foreach (var allowed in AllowedConnections)
        {
            if (allowed == "*" || allowed == connection) return true;
        }
        return false;
    }
}
