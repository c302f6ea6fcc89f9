using System.Buffers;
using System.Text;
using System.Text.Json;
using OaiProxy.Errors;
using OaiProxy.Streaming;

namespace OaiProxy.Providers.Gemini;

/// <summary>
/// Translates Gemini's <c>streamGenerateContent?alt=sse</c> events into OpenAI chunks, per candidate: a role chunk
/// first, text deltas (thoughts as <c>reasoning_content</c>), each function call whole in one tool-call delta with a
/// running index, then the finish chunk; a usage chunk at the end when the client asked for it. Gemini sends no end
/// marker, so the end is clean only when every candidate has finished (or the prompt was blocked) before EOF;
/// anything else, an error event or a bare error body, ends the stream with an error.
/// </summary>
internal sealed class GeminiTranslatingStream : TranslatingEventStream
{
    private readonly TailRecordingStream _body;
    private readonly string? _secret;
    private readonly string _upstreamModel;
    private readonly bool _includeUsage;
    private readonly long _created;
    private readonly Dictionary<int, Candidate> _candidates = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private string? _id;
    private string? _responseId;
    private string? _model;
    private GeminiUsage? _usage;

    private sealed class Candidate
    {
        public bool RoleSent;
        public int NextToolIndex;
        public bool Finished;
    }

    public GeminiTranslatingStream(HttpResponseMessage response, Stream body, string connection, string? secret,
        string upstreamModel, bool includeUsage, long created)
        : this(response, new TailRecordingStream(body), connection, secret, upstreamModel, includeUsage, created)
    {
    }

    private GeminiTranslatingStream(HttpResponseMessage response, TailRecordingStream body, string connection, string? secret,
        string upstreamModel, bool includeUsage, long created)
        : base(response, body, connection)
    {
        _body = body;
        _secret = secret;
        _upstreamModel = upstreamModel;
        _includeUsage = includeUsage;
        _created = created;
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
            _responseId ??= GeminiResponseTranslator.Text(root, "responseId");
            _id ??= GeminiResponseTranslator.ChatId(_responseId);
            _model ??= GeminiResponseTranslator.Text(root, "modelVersion") ?? _upstreamModel;
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
                Emit(0, w => { }, "content_filter");
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
        foreach (var part in GeminiResponseTranslator.Parts(candidate))
        {
            if (part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                (GeminiResponseTranslator.IsThought(part) ? reasoning : text).Append(t.GetString());
            }
            else if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
            {
                calls.Add(GeminiResponseTranslator.ToolCall(call, GeminiResponseTranslator.Text(part, "thoughtSignature"), _responseId, index, state.NextToolIndex + calls.Count));
            }
        }
        if (reasoning.Length > 0) Emit(index, w => w.WriteString("reasoning_content"u8, reasoning.ToString()), null);
        if (text.Length > 0) Emit(index, w => w.WriteString("content"u8, text.ToString()), null);
        foreach (var (id, name, arguments) in calls)
        {
            var toolIndex = state.NextToolIndex++;
            Emit(index, w =>
            {
                w.WritePropertyName("tool_calls"u8);
                w.WriteStartArray();
                GeminiResponseTranslator.WriteToolCall(w, id, name, arguments, toolIndex);
                w.WriteEndArray();
            }, null);
        }
        if (GeminiResponseTranslator.Text(candidate, "finishReason") is { } reason)
        {
            Emit(index, w => { }, GeminiFinishReason.ToOpenAi(reason, state.NextToolIndex > 0));
            state.Finished = true;
        }
    }

    private void EmitRole(int index, Candidate state)
    {
        if (state.RoleSent) return;
        state.RoleSent = true;
        Emit(index, w =>
        {
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("content"u8, ""u8);
        }, null);
    }

    private void Emit(int index, Action<Utf8JsonWriter> writeDelta, string? finishReason)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            WriteHeader(writer);
            writer.WritePropertyName("choices"u8);
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, index);
            writer.WritePropertyName("delta"u8);
            writer.WriteStartObject();
            writeDelta(writer);
            writer.WriteEndObject();
            writer.WriteNull("logprobs"u8);
            if (finishReason is null) writer.WriteNull("finish_reason"u8); else writer.WriteString("finish_reason"u8, finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        Pending.Enqueue(_buffer.WrittenSpan.ToArray());
    }

    private void WriteHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, _id);
        writer.WriteString("object"u8, "chat.completion.chunk"u8);
        writer.WriteNumber("created"u8, _created);
        writer.WriteString("model"u8, _model);
    }

    // 4. End of body: clean only when every candidate finished; a bare error body or a cut is a failure.
    private void End()
    {
        var finished = _candidates.Count > 0 && _candidates.Values.All(c => c.Finished);
        if (!finished || Reader.EndedMidEvent)
        {
            var tail = _body.Tail;
            var start = tail.LastIndexOf("\"error\""u8);
            if (start >= 0 && tail[..start].LastIndexOf((byte)'{') is var brace and >= 0 && GeminiErrors.Parse(tail[brace..]) is { Message: not null } bare)
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
        if (_includeUsage)
        {
            var usage = _usage ?? default;
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
            {
                WriteHeader(writer);
                writer.WritePropertyName("choices"u8);
                writer.WriteStartArray();
                writer.WriteEndArray();
                usage.Write(writer);
                writer.WriteEndObject();
            }
            Pending.Enqueue(_buffer.WrittenSpan.ToArray());
        }
        Finished = true;
    }

    private void FailWith(GeminiErrors.GoogleError error)
    {
        Fail(GeminiErrors.Map(GeminiErrors.HttpStatus(error, 502), error, null, Connection, _secret));
        Pending.Clear();
    }
}
