namespace OaiProxy.Requests;

/// <summary>What one scan of a request body learned: the fields the proxy acts on, and where the model is.</summary>
internal sealed record RequestBodyFields
{
    public required string Model { get; init; }

    /// <summary>Byte range of the model's JSON string token (quotes included), for splicing another name in.</summary>
    public required Range ModelToken { get; init; }

    /// <summary>Offset of the closing brace of the top-level object, where default fields are appended.</summary>
    public required int ObjectEnd { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }

    /// <summary>Set by the chat parser once it counted them (the scan it builds on does not know messages).</summary>
    public int MessageCount { get; set; }

    public required HashSet<string> TopLevelKeys { get; init; }
}
