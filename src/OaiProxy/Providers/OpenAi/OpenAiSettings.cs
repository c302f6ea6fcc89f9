namespace OaiProxy.Providers.OpenAi;

/// <summary>The OpenAI-specific keys of a connection.</summary>
internal sealed record OpenAiSettings
{
    /// <summary>
    /// <c>responses_api</c>: the upstream serves OpenAI's Responses API, so <c>/responses</c> passes through instead of
    /// being translated to chat. Default true for <c>api_type = "open_ai"</c>, false for other OpenAI-compatible servers.
    /// </summary>
    public bool ServesResponses { get; init; }

    /// <summary>
    /// <c>stream_usage</c>: ask the upstream for the usage of every stream (<c>stream_options.include_usage</c>), also
    /// when the client did not, so limits and usage records count real tokens (hidden reasoning included); the client
    /// still gets exactly the stream it asked for. Set false for a server that refuses <c>stream_options</c>; its
    /// streams are then charged their reservation. Default true.
    /// </summary>
    public bool StreamUsage { get; init; } = true;
}
