namespace OaiProxy.Providers.OpenAi;

/// <summary>The OpenAI-specific keys of a connection.</summary>
internal sealed record OpenAiSettings
{
    /// <summary>
    /// <c>responses_api</c>: the upstream serves OpenAI's Responses API, so <c>/responses</c> passes through instead of
    /// being translated to chat. Default true for <c>api_type = "open_ai"</c>, false for other OpenAI-compatible servers.
    /// </summary>
    public bool ServesResponses { get; init; }
}
