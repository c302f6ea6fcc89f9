using System.Text;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Requests;
using OaiProxy.Streaming;
using OaiProxy.Usage;
using OaiProxy.Wire;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Translates Gemini's <c>streamGenerateContent?alt=sse</c> events into OpenAI chunks, per candidate: a role chunk
/// first, text deltas (thoughts as <c>reasoning_content</c>, other parts' thought signatures as <c>thinking_blocks</c>
/// right after them), each function call whole in one tool-call delta with a
/// running index, then the finish chunk; a usage chunk at the end when the client asked for it. Gemini sends no end
/// marker, so the end is clean only when every candidate has finished (or the prompt was blocked) before EOF;
/// anything else, an error event or a bare error body, ends the stream with an error.
/// </summary>
internal sealed class GeminiTranslatingStream : TranslatingEventStream
{
    private readonly TailRecordingStream _body;
    private readonly SecretScrubber _secrets;
    private readonly string _upstreamModel;
    private readonly OpenAiChunkWriter _chunks;
    private readonly Dictionary<int, Candidate> _candidates = [];
    private bool _named;
    private string? _responseId;
    private GeminiUsage? _usage;

    /// <summary>The usage Gemini reported so far, whether or not the client asked for it in the stream.</summary>
    public override UsageInfo? Usage => _usage?.ToUsageInfo();

    private sealed class Candidate
    {
        public bool RoleSent;
        public int NextToolIndex;
        public bool Finished;
    }

    public GeminiTranslatingStream(HttpResponseMessage response, Stream body, string connection, SecretScrubber secrets,
        string upstreamModel, bool includeUsage, long created)
        : this(response, new TailRecordingStream(body), connection, secrets, upstreamModel, includeUsage, created)
    {
    }

    private GeminiTranslatingStream(HttpResponseMessage response, TailRecordingStream body, string connection, SecretScrubber secrets,
        string upstreamModel, bool includeUsage, long created)
        : base(response, body, connection)
    {
        _body = body;
        _secrets = secrets;
        _upstreamModel = upstreamModel;
        _chunks = new OpenAiChunkWriter(created, includeUsage);
    }

    protected override void OnEvent(ReadOnlySpan<byte> eventName, ReadOnlySpan<byte> data) => Translate(data);

    protected override void OnEnd() => End();

    // 1. One Gemini event: errors end the stream; candidates become chunks; usage is remembered (the last one wins).
    private void Translate(ReadOnlySpan<byte> data)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(data.ToArray());
        }
        catch (JsonException)
        {
            Fail("The upstream sent a stream event that is not JSON.");
            Pending.Clear();
            return;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (GeminiErrors.IsError(root, out var error))
            {
                FailWith(error);
                return;
            }
            if (root.ValueKind != JsonValueKind.Object) return;
            _responseId ??= JsonFields.String(root, "responseId");
            if (!_named)
            {
                // The first event names the stream; a responseId or modelVersion that only comes later changes nothing.
                _named = true;
                _chunks.Id = GeminiResponseTranslator.ChatId(_responseId);
                _chunks.Model = JsonFields.String(root, "modelVersion") ?? _upstreamModel;
            }
            if (GeminiUsage.Read(root) is { } usage) _usage = usage;
            if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
            {
                var position = 0;
                foreach (var candidate in candidates.EnumerateArray()) TranslateCandidate(candidate, position++);
            }
            else if (GeminiResponseTranslator.BlockReason(root) is not null && _candidates.Count == 0)
            {
                // 2. A blocked prompt: one empty choice that ends in content_filter.
                var state = new Candidate();
                _candidates[0] = state;
                EmitRole(0, state);
                Pending.Enqueue(_chunks.Finish("content_filter"));
                state.Finished = true;
            }
        }
    }

    // 3. One candidate's parts, in order: role, text, reasoning, tool calls, finish.
    private void TranslateCandidate(JsonElement candidate, int position)
    {
        var index = candidate.TryGetProperty("index", out var i) && i.TryGetInt32(out var value) ? value : position;
        if (!_candidates.TryGetValue(index, out var state)) _candidates[index] = state = new Candidate();
        if (state.Finished) return;
        EmitRole(index, state);
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<(string Id, string Name, string Arguments)>();
        var blocks = new List<string>();
        foreach (var part in GeminiResponseTranslator.Parts(candidate))
        {
            if (GeminiThoughtBlocks.FromPart(part) is { } block) blocks.Add(block);
            if (part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                (GeminiResponseTranslator.IsThought(part) ? reasoning : text).Append(t.GetString());
            }
            else if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
            {
                calls.Add(GeminiResponseTranslator.ToolCall(call, JsonFields.String(part, "thoughtSignature"), _responseId, index, state.NextToolIndex + calls.Count));
            }
        }
        if (reasoning.Length > 0) Pending.Enqueue(_chunks.Reasoning(reasoning.ToString(), index));
        if (blocks.Count > 0) Pending.Enqueue(ThinkingBlocks(blocks, index));
        if (text.Length > 0) Pending.Enqueue(_chunks.Content(text.ToString(), index));
        foreach (var (id, name, arguments) in calls) Pending.Enqueue(_chunks.ToolCallStart(state.NextToolIndex++, id, name, arguments, index));
        if (JsonFields.String(candidate, "finishReason") is { } reason)
        {
            Pending.Enqueue(_chunks.Finish(GeminiFinishReason.ToOpenAi(reason, state.NextToolIndex > 0), index));
            state.Finished = true;
        }
    }

    private byte[] ThinkingBlocks(List<string> blocks, int index)
    {
        var writer = _chunks.Begin(index);
        writer.WriteStartArray("thinking_blocks"u8);
        foreach (var block in blocks) writer.WriteRawValue(block);
        writer.WriteEndArray();
        return _chunks.End(writer);
    }

    private void EmitRole(int index, Candidate state)
    {
        if (state.RoleSent) return;
        state.RoleSent = true;
        Pending.Enqueue(_chunks.Role(index));
    }

    // 4. End of body: clean only when every candidate finished; a bare error body or a cut is a failure.
    private void End()
    {
        var finished = _candidates.Count > 0 && _candidates.Values.All(c => c.Finished);
        if (!finished || Reader.EndedMidEvent)
        {
            var tail = _body.Tail;
            var start = tail.LastIndexOf("\"error\""u8);
            if (start >= 0 && tail[..start].LastIndexOf((byte)'{') is var brace and >= 0 && GeminiErrors.Parse(tail[brace..], _secrets) is { Message: not null } bare)
            {
                FailWith(bare);
                return;
            }
        }
        if (!finished)
        {
            Fail(_candidates.Count == 0
                ? "The upstream stream ended before any answer; the response is empty."
                : "The upstream stream ended before its finish reason; the response is incomplete.");
            Pending.Clear();
            return;
        }
        if (_chunks.IncludeUsage) Pending.Enqueue(_chunks.Usage((_usage ?? default).ToUsageInfo()));
        Finished = true;
    }

    private void FailWith(GeminiErrors.GoogleError error)
    {
        Fail(GeminiErrors.Map(GeminiErrors.HttpStatus(error, 502), error, null, Connection, _secrets));
        Pending.Clear();
    }
}
