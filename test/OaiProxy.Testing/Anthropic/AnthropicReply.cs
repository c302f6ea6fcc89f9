using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Anthropic;

/// <summary>What the fake Anthropic server does with one valid request.</summary>
public abstract record AnthropicReply
{
    /// <summary>"Hello from MODEL!" as a message or a stream, whichever the request asked for.</summary>
    public static AnthropicReply Default { get; } = new DefaultReply();

    public sealed record DefaultReply : AnthropicReply;

    /// <summary>Content blocks answered in the request's mode: a message, or its recorded-shape event stream.</summary>
    public sealed record Content(IReadOnlyList<JsonObject> Blocks, string StopReason = "end_turn", JsonObject? Usage = null,
        string? StopSequence = null) : AnthropicReply;

    /// <summary>A raw event stream (HTTP 200), optionally cut short; each write is split into pieces of <paramref name="PieceSize"/> bytes.</summary>
    public sealed record Stream(IReadOnlyList<SseEvent> Events, int? PieceSize = null, string? RawTail = null) : AnthropicReply;

    /// <summary>An Anthropic error answer with its real body shape and headers.</summary>
    public sealed record Error(int Status, string Type, string Message, IReadOnlyDictionary<string, string>? Headers = null) : AnthropicReply;

    /// <summary>Any body, status and headers.</summary>
    public sealed record Raw(int Status, string Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null) : AnthropicReply;
}
