using System.Text.Json.Nodes;

namespace OaiProxy.Testing.OpenAi;

/// <summary>What a fake upstream does with one request: answer well, fail in a chosen way, or misbehave.</summary>
public abstract record FakeReply
{
    /// <summary>The fake's default, wire-faithful answer for the request.</summary>
    public static FakeReply Default { get; } = new DefaultReply();

    public sealed record DefaultReply : FakeReply;

    /// <summary>A JSON body (any text, even invalid JSON) with a status and headers.</summary>
    public sealed record Raw(int Status, string Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null) : FakeReply;

    /// <summary>An OpenAI-shaped error.</summary>
    public sealed record Error(int Status, string Message, string Type = "invalid_request_error", string? Code = null,
        IReadOnlyDictionary<string, string>? Headers = null) : FakeReply;

    /// <summary>
    /// An SSE stream of raw event payloads (each sent as <c>data: X</c>), optionally paced, cut or stalled: after
    /// <paramref name="HangAfter"/> events it waits for <paramref name="Resume"/> (forever when null).
    /// </summary>
    public sealed record Stream(IReadOnlyList<string> Payloads, TimeSpan Delay = default, bool SendDone = true,
        int? HangAfter = null, string? RawTail = null, Task? Resume = null) : FakeReply;

    /// <summary>
    /// An SSE stream of named events, each sent as <c>event: TYPE</c> + <c>data: JSON</c> (the Responses API's framing,
    /// see <see cref="OpenAiResponsesWire.Events"/>), optionally paced, cut or stalled like <see cref="Stream"/>.
    /// </summary>
    public sealed record Events(IReadOnlyList<JsonObject> Payloads, TimeSpan Delay = default, int? HangAfter = null,
        string? RawTail = null, Task? Resume = null) : FakeReply;

    /// <summary>
    /// <c>/v1/responses</c> only: these output items answered in the request's mode, a response object or its event
    /// stream, with the request's parameters echoed back.
    /// </summary>
    public sealed record Output(IReadOnlyList<JsonObject> Items, string Status = "completed", JsonObject? Usage = null) : FakeReply;

    /// <summary>Never answers (until the proxy gives up and aborts).</summary>
    public sealed record Hang : FakeReply;

    /// <summary>Drops the connection without an answer.</summary>
    public sealed record Reset : FakeReply;

    /// <summary>A 200 JSON body of the given size in bytes (padding inside a valid completion).</summary>
    public sealed record Huge(int Bytes) : FakeReply;
}
