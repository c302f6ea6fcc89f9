namespace OaiProxy.Local;

/// <summary>
/// One item of a generation stream: a text delta, or (last) the finish reason with the usage.
/// </summary>
public sealed record LocalChunk
{
    private LocalChunk(string? text, string? finishReason, LocalUsage? usage)
    {
        Text = text;
        FinishReason = finishReason;
        Usage = usage;
    }

    /// <summary>New text (never empty, never a split UTF-8 character); null on the final chunk.</summary>
    public string? Text { get; }

    /// <summary>"stop" or "length" on the final chunk; null otherwise.</summary>
    public string? FinishReason { get; }

    /// <summary>Token counts on the final chunk; null otherwise.</summary>
    public LocalUsage? Usage { get; }

    /// <summary>True for the last chunk of a stream, which carries <see cref="FinishReason"/> and <see cref="Usage"/>.</summary>
    public bool IsFinal => FinishReason is not null;

    /// <summary>A text delta.</summary>
    public static LocalChunk Delta(string text) => new(text, null, null);

    /// <summary>The final chunk.</summary>
    public static LocalChunk Final(string finishReason, LocalUsage usage) => new(null, finishReason, usage);
}
