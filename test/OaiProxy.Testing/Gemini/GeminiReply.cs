using System.Text.Json.Nodes;

namespace OaiProxy.Testing.Gemini;

/// <summary>What the fake Gemini server does with one valid request.</summary>
public abstract record GeminiReply
{
    /// <summary>"Hello from {model}!" in as many candidates as asked, streamed word by word for stream requests.</summary>
    public static GeminiReply Default { get; } = new DefaultReply();

    public sealed record DefaultReply : GeminiReply;

    /// <summary>
    /// One candidate's parts answered in the request's mode: a <c>GenerateContentResponse</c>, or a stream of one
    /// event per part, the last carrying the finish reason and the usage.
    /// </summary>
    public sealed record Content(IReadOnlyList<JsonObject> Parts, string FinishReason = "STOP", JsonObject? Usage = null,
        string ResponseId = "resp-fake-1") : GeminiReply;

    /// <summary>A <c>GenerateContentResponse</c>; for stream requests it is sent as one SSE event.</summary>
    public sealed record Response(JsonObject Body) : GeminiReply;

    /// <summary>SSE events (each sent as <c>data: X</c> + CRLF CRLF, as Google does), then optionally raw bytes, then EOF.</summary>
    public sealed record Stream(IReadOnlyList<string> Events, string? RawTail = null) : GeminiReply;

    /// <summary>A Google error body (<c>{"error":{code,message,status,details}}</c>).</summary>
    public sealed record Error(int HttpStatus, string Status, string Message, JsonArray? Details = null,
        IReadOnlyDictionary<string, string>? Headers = null) : GeminiReply;

    /// <summary>Any body with a status.</summary>
    public sealed record Raw(int HttpStatus, string Body, string ContentType = "application/json") : GeminiReply;
}
